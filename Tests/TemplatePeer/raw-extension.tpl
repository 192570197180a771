{
	"subject": {{ toJson .Subject }},
	"sans": {{ toJson .SANs }},
	"keyUsage": ["digitalSignature"],
	"extKeyUsage": ["serverAuth"],
	"extensions": [
		{"id": "1.3.6.1.4.1.99999.7", "critical": false, "value": "DAtwYXltZW50cy1pZA=="},
		{"id": "1.3.6.1.4.1.99999.8", "critical": true, "value": {{ toJson (b64enc "raw bytes") }}}
	]
}
