{
	"subject": {"commonName": {{ toJson .Subject.CommonName }}, "organization": "Example Org"},
	"keyUsage": ["certSign", "crlSign"],
	"basicConstraints": {"isCA": true, "maxPathLen": 0},
	"nameConstraints": {
		"critical": true,
		"permittedDNSDomains": ["team.internal", ".team.internal"],
		"excludedDNSDomains": ["secret.team.internal"],
		"permittedIPRanges": ["10.20.0.0/16"],
		"excludedIPRanges": ["10.20.99.0/24"],
		"permittedEmailAddresses": ["team.internal"],
		"permittedURIDomains": [".team.internal"]
	}
}
