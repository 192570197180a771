{
	"subject": {{ toJson .Subject }},
	"sans": {{ toJson .SANs }},
	"keyUsage": ["digitalSignature", "keyEncipherment"],
	"extKeyUsage": ["serverAuth"],
	"crlDistributionPoints": ["http://crl.example.internal/ca.crl", "ldap://ldap.example.internal/cn=ca"],
	"ocspServer": "http://ocsp.example.internal",
	"issuingCertificateURL": ["http://ca.example.internal/ca.crt"],
	"policyIdentifiers": ["2.23.140.1.2.1", "1.3.6.1.4.1.99999.1.1"]
}
