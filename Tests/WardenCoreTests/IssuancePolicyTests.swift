import Testing
import WardenCore

/// step's policy semantics (docs/step-ca/policies), rule kind by rule kind, allow and deny.
@Suite struct IssuancePolicyTests {
    typealias Kind = X509NamePolicy.NameKind

    func allowed(_ policy: X509NamePolicy, cn: String = "", _ names: [(Kind, String)]) -> Bool {
        (try? policy.check(commonName: cn, names: names, scope: "test")) != nil
    }

    @Test func dnsRulesMatchLabelByLabelWithALeadingWildcard() {
        let policy = X509NamePolicy(allow: X509Names(dns: ["*.example.com", "host.internal"]))
        #expect(allowed(policy, [(.dns, "www.example.com")]))
        #expect(allowed(policy, [(.dns, "WWW.Example.COM")]))
        #expect(!allowed(policy, [(.dns, "example.com")]))
        #expect(!allowed(policy, [(.dns, "a.b.example.com")]))
        #expect(allowed(policy, [(.dns, "host.internal")]))
        #expect(!allowed(policy, [(.dns, "sub.host.internal")]))
        // Another kind of name is refused once any allow rule exists (and it has none).
        #expect(!allowed(policy, [(.ip, "10.0.0.1")]))
        // Literal wildcards only with allowWildcardNames.
        #expect(!allowed(policy, [(.dns, "*.example.com")]))
        #expect(allowed(X509NamePolicy(allow: X509Names(dns: ["*.example.com"]), allowWildcardNames: true), [(.dns, "*.example.com")]))
    }

    @Test func denyWinsOverAllow() {
        let policy = X509NamePolicy(allow: X509Names(dns: ["*.example.com"]), deny: X509Names(dns: ["admin.example.com"]))
        #expect(allowed(policy, [(.dns, "www.example.com")]))
        #expect(!allowed(policy, [(.dns, "admin.example.com")]))
        // Deny alone allows everything else, of every kind.
        let denyOnly = X509NamePolicy(deny: X509Names(ips: ["10.0.0.0/8"]))
        #expect(!allowed(denyOnly, [(.ip, "10.1.2.3")]))
        #expect(allowed(denyOnly, [(.ip, "192.168.1.1"), (.dns, "anything.example")]))
    }

    @Test func ipRulesAreAddressesAndRanges() {
        let policy = X509NamePolicy(allow: X509Names(ips: ["192.168.0.0/24", "::1", "2001:db8::/32"]))
        #expect(allowed(policy, [(.ip, "192.168.0.10")]))
        #expect(!allowed(policy, [(.ip, "192.168.1.10")]))
        #expect(allowed(policy, [(.ip, "::1")]))
        #expect(!allowed(policy, [(.ip, "::2")]))
        #expect(allowed(policy, [(.ip, "2001:db8:1::5")]))
    }

    @Test func emailRulesAreMailboxesOrDomains() {
        let policy = X509NamePolicy(allow: X509Names(emails: ["@example.com", "jane@other.org"]))
        #expect(allowed(policy, [(.email, "anyone@example.com")]))
        #expect(allowed(policy, [(.email, "x@EXAMPLE.com")]))
        #expect(!allowed(policy, [(.email, "anyone@www.example.com")]))
        #expect(allowed(policy, [(.email, "jane@other.org")]))
        #expect(!allowed(policy, [(.email, "john@other.org")]))
        let denied = X509NamePolicy(deny: X509Names(emails: ["root@example.com"]))
        #expect(!allowed(denied, [(.email, "root@example.com")]))
        #expect(allowed(denied, [(.email, "jane@example.com")]))
    }

    @Test func uriRulesMatchTheHostIgnoringTheScheme() {
        let policy = X509NamePolicy(allow: X509Names(uris: ["https://*.example.com", "spiffe.internal"]))
        #expect(allowed(policy, [(.uri, "https://api.example.com/path")]))
        #expect(allowed(policy, [(.uri, "sftp://api.example.com")]))
        #expect(!allowed(policy, [(.uri, "https://example.com")]))
        #expect(allowed(policy, [(.uri, "spiffe://spiffe.internal/workload")]))
        #expect(!allowed(policy, [(.uri, "https://10.0.0.1/")]))
        let denied = X509NamePolicy(deny: X509Names(uris: ["*.evil.example"]))
        #expect(!allowed(denied, [(.uri, "https://www.evil.example")]))
    }

    @Test func commonNamesUseTheirOwnRulesOrTheRulesOfTheirKind() {
        // No commonNames rules: the CN is checked as the kind of name it looks like.
        let byKind = X509NamePolicy(allow: X509Names(dns: ["*.local"]))
        #expect(allowed(byKind, cn: "ca.local", []))
        #expect(!allowed(byKind, cn: "ca.example.com", []))
        #expect(!allowed(byKind, cn: "My Service", []))
        // commonNames rules: exact strings.
        let byName = X509NamePolicy(allow: X509Names(dns: ["*.local"], commonNames: ["Custom CA Name"]))
        #expect(allowed(byName, cn: "Custom CA Name", [(.dns, "ca.local")]))
        #expect(!allowed(byName, cn: "Different CA Name", [(.dns, "ca.local")]))
        let deniedName = X509NamePolicy(deny: X509Names(commonNames: ["root"]))
        #expect(!allowed(deniedName, cn: "root", []))
        #expect(allowed(deniedName, cn: "alice", []))
    }

    @Test func refusalsNameTheNameThePolicyAndTheRule() {
        let policy = X509NamePolicy(allow: X509Names(dns: ["*.example.com"]), deny: X509Names(dns: ["admin.example.com"]))
        #expect(throws: WardenError.forbidden("")) {
            try policy.check(commonName: "", names: [(.dns, "admin.example.com")], scope: "the authority policy")
        }
        do {
            try policy.check(commonName: "", names: [(.dns, "admin.example.com")], scope: "the authority policy")
        } catch {
            #expect(
                error.message == #"dns name "admin.example.com" is not allowed by the authority policy: it matches the deny rule "admin.example.com""#
            )
        }
        do {
            try policy.check(commonName: "", names: [(.ip, "10.0.0.1")], scope: "the authority policy")
        } catch {
            #expect(error.message == #"ip address "10.0.0.1" is not allowed by the authority policy (it allows no ip address)"#)
        }
    }

    @Test func bothEncodingsAreReadAndRulesValidated() throws {
        let linked = try IssuancePolicy(
            json: .object([
                "x509": .object([
                    "allow": .object([
                        "dns": .array([.string("*.local")]), "ips": .array([.string("10.0.0.0/8")]), "commonNames": .array([.string("CA")]),
                    ]),
                    "allowWildcardNames": .bool(true),
                ])
            ]))
        let config = try IssuancePolicy(
            json: .object([
                "x509": .object([
                    "allow": .object(["dns": .array([.string("*.local")]), "ip": .array([.string("10.0.0.0/8")]), "cn": .array([.string("CA")])]),
                    "allowWildcardNames": .bool(true),
                ])
            ]))
        #expect(linked == config)
        #expect(try IssuancePolicy(json: linked.json) == linked)
        #expect(throws: WardenError.badRequest("")) {
            try IssuancePolicy(json: .object(["x509": .object(["allow": .object(["ips": .array([.string("10.0.0.0/33")])])])]))
        }
        #expect(throws: WardenError.badRequest("")) {
            try IssuancePolicy(json: .object(["x509": .object(["allow": .object(["dns": .array([.string("a.*.com")])])])]))
        }
        #expect(throws: WardenError.badRequest("")) { try IssuancePolicy(json: .object(["x509": .object(["allow": .object(["dnss": .array([])])])])) }
    }
}
