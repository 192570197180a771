{
	"subject": {{ toJson .Subject }},
	"sans": {{ toJson .SANs }},
	"keyUsage": ["digitalSignature", "keyAgreement", "contentCommitment"],
	"extKeyUsage": ["codeSigning", "emailProtection", "timeStamping"],
	"unknownExtKeyUsage": ["1.3.6.1.4.1.311.20.2.2", "1.3.6.1.5.5.7.3.17"]
}
