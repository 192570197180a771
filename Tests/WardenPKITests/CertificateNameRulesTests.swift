import Testing
import WardenCore
import WardenPKI

/// Names the CA writes into certificates: what cannot be encoded (IA5String) or is malformed is a 400 naming it.
@Suite struct CertificateNameRulesTests {
    @Test func encodableNamesPass() throws {
        for name in ["step", "web.internal", "*.example.com", "_acme-challenge.example.com", "xn--bcher-kva.example"] {
            try CertificateNameRules.check(.dns(name))
        }
        try CertificateNameRules.check(.email("alice@example.com"))
        try CertificateNameRules.check(.uri("spiffe://example.org/ns/default/sa/web"))
        try CertificateNameRules.check(.ip("10.0.0.1"))
        try CertificateNameRules.checkCommonName("Jürgen's laptop")
    }

    @Test(arguments: [
        (SubjectAlternativeName.dns("bücher.example"), "dns name \"bücher.example\" is not ASCII (U+00FC)"),
        (.dns("ex\u{430}mple.com"), "is not ASCII (U+0430)"),
        (.dns("a..b"), "has an empty label"),
        (.dns("a.*.b"), "may contain only letters, digits"),
        (.dns(String(repeating: "x", count: 64) + ".example"), "has a label longer than 63 characters"),
        (.dns(String(repeating: "abc.", count: 70)), "is longer than 253 characters"),
        (.email("jürgen@example.com"), "email address \"jürgen@example.com\" contains U+00FC"),
        (.email("@example.com"), "has no local part"),
        (.email("a@exa mple.com"), "contains U+0020"),
        (.uri("no-scheme"), "uri \"no-scheme\" has no scheme"),
        (.uri("https://bücher.example/"), "contains U+00FC"),
    ])
    func unencodableNamesAreRefusedNamingThem(_ name: SubjectAlternativeName, _ message: String) {
        do {
            try CertificateNameRules.check(name)
            Issue.record("\(name) passed")
        } catch {
            #expect(error.code == .badRequest)
            #expect(error.message.contains(message), "\(error.message)")
        }
    }

    @Test func commonNamesRefuseControlCharactersAndLength() {
        #expect(throws: WardenError.badRequest("")) { try CertificateNameRules.checkCommonName("a\u{0}b") }
        #expect(throws: WardenError.badRequest("")) { try CertificateNameRules.checkCommonName(String(repeating: "c", count: 256)) }
    }
}
