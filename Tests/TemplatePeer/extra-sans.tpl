{
	"subject": {{ toJson .Subject }},
	"sans": {{ toJson .SANs }},
	"dnsNames": [{{ range $i, $n := .Insecure.User.aliases }}{{ if $i }}, {{ end }}{{ printf "%s.%s" $n $.zone | toJson }}{{ end }}],
	"ipAddresses": {{ toJson .Insecure.User.addresses }},
	"emailAddresses": [{{ toJson .Insecure.User.contact }}],
	"uris": "spiffe://{{ .zone }}/{{ .Insecure.User.team }}",
	"keyUsage": ["digitalSignature"],
	"extKeyUsage": ["serverAuth"]
}
