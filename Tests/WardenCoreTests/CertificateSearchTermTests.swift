import Testing
import WardenCore

@Suite struct CertificateSearchTermTests {
    typealias Range = CertificateSearchTerm.Bounds

    @Test func ipv4PrefixesAreTextualPrefixesOfTheAddress() {
        #expect(
            CertificateSearchTerm("10.3.7").addressRanges == [
                Range(lowest: "10.3.7.0", highest: "10.3.7.255"), Range(lowest: "10.3.70.0", highest: "10.3.79.255"),
            ])
        #expect(CertificateSearchTerm("10.3.7.").addressRanges == [Range(lowest: "10.3.7.0", highest: "10.3.7.255")])
        #expect(
            CertificateSearchTerm("10.3.2").addressRanges == [
                Range(lowest: "10.3.2.0", highest: "10.3.2.255"), Range(lowest: "10.3.20.0", highest: "10.3.29.255"),
                Range(lowest: "10.3.200.0", highest: "10.3.255.255"),
            ])
        #expect(CertificateSearchTerm("10.3.0").addressRanges == [Range(lowest: "10.3.0.0", highest: "10.3.0.255")])
        #expect(CertificateSearchTerm("10.").addressRanges == [Range(lowest: "10.0.0.0", highest: "10.255.255.255")])
        // A whole address is still a prefix as written (as the substring search it replaces was): .5 and .50–.59.
        #expect(
            CertificateSearchTerm("10.3.7.5").addressRanges == [
                Range(lowest: "10.3.7.5", highest: "10.3.7.5"), Range(lowest: "10.3.7.50", highest: "10.3.7.59"),
            ])
        #expect(CertificateSearchTerm("10.3.7.255").addressRanges == [Range(lowest: "10.3.7.255", highest: "10.3.7.255")])
        #expect(
            CertificateSearchTerm("10.3.7.2").addressRanges == [
                Range(lowest: "10.3.7.2", highest: "10.3.7.2"), Range(lowest: "10.3.7.20", highest: "10.3.7.29"),
                Range(lowest: "10.3.7.200", highest: "10.3.7.255"),
            ])
        #expect(CertificateSearchTerm("10.3.7.5").text == nil)
    }

    @Test func cidrBlocksAndIPv6() {
        #expect(CertificateSearchTerm("10.3.0.0/16").addressRanges == [Range(lowest: "10.3.0.0", highest: "10.3.255.255")])
        #expect(CertificateSearchTerm("10.3.7.9/31").addressRanges == [Range(lowest: "10.3.7.8", highest: "10.3.7.9")])
        #expect(CertificateSearchTerm("fd00::/8").addressRanges == [Range(lowest: "fd00::", highest: "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")])
        #expect(CertificateSearchTerm("FD00::5").addressRanges == [Range(lowest: "fd00::5", highest: "fd00::5")])
        #expect(CertificateSearchTerm("10.3.0.0/33").addressRanges.isEmpty)
    }

    @Test func whatIsNotAnAddressIsText() {
        for query in ["svc-1.internal", "1.2.3.4.5", "10.256.1", "10.03.1", "1.2.3.4.", "..", "10.3.7.x", "04:d2", "a/b"] {
            let term = CertificateSearchTerm(query)
            #expect(term.addressRanges.isEmpty, "\(query)")
            #expect(term.text == query.lowercased(), "\(query)")
        }
    }

    @Test func serialPrefixesInDecimalAndInHexAsOpensslPrintsIt() throws {
        let serial = try #require(SerialNumber(decimal: "123456789012345678901234567890123456789"))
        func matches(_ query: String) -> Bool {
            CertificateSearchTerm(query).serialRanges.contains { range in
                let low = SerialNumber(decimal: range.lowest)!
                let high = SerialNumber(decimal: range.highest)!
                return !(serial < low) && !(high < serial)
            }
        }
        #expect(matches("1234567"))
        #expect(matches(serial.decimal))
        #expect(!matches("2345678"))
        let hex = serial.hex  // even length, as openssl prints it
        #expect(matches(String(hex.prefix(6))))
        #expect(matches("0x" + String(hex.prefix(7)).uppercased()))
        #expect(matches(stride(from: 0, to: 8, by: 2).map { String(Array(hex)[$0..<$0 + 2]) }.joined(separator: ":")))
        #expect(matches(hex))
        // Hex is a prefix of the whole-byte form: one digit shifted is not.
        #expect(!matches("0" + String(hex.prefix(6))))
        // Too short to be selective: text only.
        #expect(CertificateSearchTerm("123").serialRanges.isEmpty)
        #expect(CertificateSearchTerm("0x0004").serialRanges.isEmpty)
    }

    @Test func aLeadingZeroDigitOfTheHexFormCounts() throws {
        // 0x04d2ab: openssl prints 04:D2:AB, so "04d2a" finds it and "4d2a" (a prefix of no whole-byte form of it) does not.
        let serial = try #require(SerialNumber(hex: "04d2ab"))
        func matches(_ query: String) -> Bool {
            CertificateSearchTerm(query).serialRanges.contains {
                !(serial < SerialNumber(decimal: $0.lowest)!) && !(SerialNumber(decimal: $0.highest)! < serial)
            }
        }
        #expect(matches("04d2a"))
        #expect(matches("04:d2:ab"))
        #expect(!matches("4d2a"))
        #expect(matches(serial.decimal))
    }
}
