import Foundation
import SwiftASN1
import Testing
import WardenCore
import X509

@testable import WardenPKI

/// RFC 5280 §4.2.1.10 matching, one rule per name form.
@Suite struct CANameConstraintsTests {
    static func permits(_ name: SubjectAlternativeName, _ constraint: GeneralName) -> Bool {
        CANameConstraints.matches(name, constraint)
    }

    @Test func dnsAndURIHostsMatchTheDomainAndBelow() {
        #expect(Self.permits(.dns("example.com"), .dnsName("example.com")))
        #expect(Self.permits(.dns("a.b.Example.com"), .dnsName("example.com")))
        #expect(!Self.permits(.dns("badexample.com"), .dnsName("example.com")))
        #expect(!Self.permits(.dns("example.com"), .dnsName(".example.com")))
        #expect(Self.permits(.dns("www.example.com"), .dnsName(".example.com")))
        #expect(Self.permits(.uri("https://api.example.com/x"), .uniformResourceIdentifier("example.com")))
        #expect(!Self.permits(.uri("https://api.example.net/x"), .uniformResourceIdentifier("example.com")))
    }

    @Test func emailsMatchMailboxHostOrDomain() {
        #expect(Self.permits(.email("a@example.com"), .rfc822Name("a@example.com")))
        #expect(!Self.permits(.email("b@example.com"), .rfc822Name("a@example.com")))
        #expect(Self.permits(.email("b@example.com"), .rfc822Name("example.com")))
        #expect(!Self.permits(.email("b@mail.example.com"), .rfc822Name("example.com")))
        #expect(Self.permits(.email("b@mail.example.com"), .rfc822Name(".example.com")))
    }

    @Test func ipsMatchAddressAndMask() {
        let tenSlash8 = GeneralName.ipAddress(ASN1OctetString(contentBytes: [10, 0, 0, 0, 255, 0, 0, 0]))
        #expect(Self.permits(.ip("10.1.2.3"), tenSlash8))
        #expect(!Self.permits(.ip("11.1.2.3"), tenSlash8))
        #expect(!Self.permits(.ip("::1"), tenSlash8))
    }
}
