{{- /* A deliberately heavy template for scripts/bench-templates.sh: loops, regular expressions, dictionaries,
       JSON round trips and formatting on every issuance. */ -}}
{{- $labels := splitList "." .Subject.CommonName -}}
{{- $host := first $labels -}}
{{- $domain := join "." (rest $labels) -}}
{{- $meta := dict "host" $host "domain" $domain "org" (first .organizations) -}}
{{- $aliases := list -}}
{{- range $i := until 20 -}}
  {{- $aliases = append $aliases (printf "%s-%02d.%s" $host $i $domain) -}}
{{- end -}}
{{- $clean := regexReplaceAll "[^a-z0-9-]" (lower $host) "-" -}}
{{- $round := fromJson (toJson $meta) -}}
{
	"subject": {
		"commonName": {{ toJson .Subject.CommonName }},
		"organization": {{ toJson .organizations }},
		"organizationalUnit": {{ toJson (printf "%s/%s" $round.org $clean | upper) }}
	},
	"sans": {{ toJson .SANs }},
	"dnsNames": {{ toJson (uniq $aliases) }},
{{- if regexMatch "^[a-z0-9-]+$" $clean }}
	"keyUsage": ["digitalSignature", "keyEncipherment"],
{{- else }}
	"keyUsage": ["digitalSignature"],
{{- end }}
	"extKeyUsage": ["serverAuth", "clientAuth"],
	"extensions": [{"id": "1.3.6.1.4.1.99999.9", "critical": false, "value": {{ toJson (b64enc (toJson $round)) }}}]
}
