import Foundation
import Testing
import WardenCore

/// The rules text from clients must pass before it goes further (names, free text, JSON bodies, cursors).
@Suite struct InputTextTests {
    @Test(arguments: [
        ("", "name: cannot be empty"), (" ops", "name: must not begin or end with white space"),
        ("ops\t", "name: contains the control character U+0009"), ("a\u{0}b", "name: contains the control character U+0000"),
        ("a\u{85}b", "name: contains the control character U+0085"), (String(repeating: "n", count: 256), "name: longer than 255 characters"),
    ])
    func badNamesAreRefusedNamingTheField(_ value: String, _ message: String) {
        #expect(throws: WardenError.badRequest("")) { try InputText.checkName(value, field: "name") }
        do {
            try InputText.checkName(value, field: "name")
        } catch {
            #expect(error.message == message)
        }
    }

    @Test func goodNamesPass() throws {
        for name in ["Admin JWK", "ops", "bücher", "a/b", String(repeating: "n", count: 255)] {
            try InputText.checkName(name, field: "name")
        }
        try InputText.checkFreeText("lost\nlaptop\twith key\r", field: "reason")
        #expect(throws: WardenError.badRequest("")) { try InputText.checkFreeText("bell\u{7}", field: "reason") }
    }

    @Test func nulIsFoundAnywhereInADocumentWithItsPath() {
        let document = JSONValue.object(["a": .array([.string("ok"), .object(["b": .string("x\u{0}")])])])
        do {
            try InputText.rejectNUL(in: document)
            Issue.record("a NUL passed")
        } catch {
            #expect(error.message == "body.a[1].b: contains a NUL character (U+0000)")
        }
        #expect(throws: WardenError.badRequest("")) { try InputText.rejectNUL(in: .object(["k\u{0}": .null])) }
    }

    @Test func percentDecodingIsStrict() {
        #expect(InputText.percentDecoded("Admin%20JWK") == "Admin JWK")
        #expect(InputText.percentDecoded("a%2Fb%2fc") == "a/b/c")
        #expect(InputText.percentDecoded("b%C3%BCcher") == "bücher")
        #expect(InputText.percentDecoded("a+b") == "a+b")
        #expect(InputText.percentDecoded("%zz") == nil)
        #expect(InputText.percentDecoded("%2") == nil)
        #expect(InputText.percentDecoded("%ff%fe") == nil)  // not UTF-8
    }

    @Test(arguments: [
        ("2026-11-25 20:33:36.123456+00", true), ("2024-02-29 00:00:00+00", true), ("2026-11-25 20:33:36+05:30", true),
        ("0001-01-01 00:00:00-08:00:00", true), ("2026-02-30 10:00:00+00", false), ("2023-02-29 00:00:00+00", false),
        ("2026-13-01 00:00:00+00", false), ("2026-11-25 24:00:00+00", false), ("2026-11-25 20:60:00+00", false),
        ("2026-11-25 20:33:36.1234567+00", false), ("2026-11-25 20:33:36", false), ("2026-11-25T20:33:36+00", false),
        ("10000-01-01 00:00:00+00", false), ("2026-11-25 20:33:36+00 DROP TABLE", false), ("0000-01-01 00:00:00+00", false),
    ])
    func cursorTimesAreCheckedAgainstTheCalendar(_ text: String, _ valid: Bool) {
        #expect(ListParameters.isTimestampText(text) == valid)
    }
}

/// RFC 3339 as clients send it (`notBefore`, list filters, PUT bodies): strict, calendar-checked, exact.
@Suite struct ProtoTimestampTests {
    @Test func parsesWhatRFC3339Allows() throws {
        #expect(ProtoTimestamp.parse("1970-01-01T00:00:00Z") == Date(timeIntervalSince1970: 0))
        #expect(ProtoTimestamp.parse("2026-11-30T12:00:00Z") == Date(timeIntervalSince1970: 1_796_040_000))
        #expect(ProtoTimestamp.parse("2026-11-30T14:00:00+02:00") == Date(timeIntervalSince1970: 1_796_040_000))
        #expect(ProtoTimestamp.parse("2026-11-30t11:30:00-00:30") == Date(timeIntervalSince1970: 1_796_040_000))
        #expect(ProtoTimestamp.parse("2024-02-29T00:00:00.5z") == Date(timeIntervalSince1970: 1_709_164_800.5))
        #expect(ProtoTimestamp.parse("0001-01-01T00:00:00Z") == Date(timeIntervalSince1970: -62_135_596_800))
        #expect(ProtoTimestamp.parse("9999-12-31T23:59:59Z") == Date(timeIntervalSince1970: 253_402_300_799))
        let now = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
        #expect(ProtoTimestamp.parse(ProtoTimestamp.format(now)) == now)
    }

    @Test(arguments: [
        "2026-02-30T00:00:00Z", "2023-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-11-30T24:00:00Z", "2026-11-30T12:60:00Z",
        "2026-11-30T12:00:60Z", "2026-11-30 12:00:00Z", "2026-11-30T12:00:00", "2026-11-30T12:00:00+0200", "0000-01-01T00:00:00Z",
        "2026-11-30T12:00:00.Z", "2026-11-30T12:00:00.1234567890Z", "2026-11-30T12:00:00Z ", "+2026-11-30T12:00:00Z", "tomorrow",
    ])
    func refusesWhatItDoesNot(_ text: String) {
        #expect(ProtoTimestamp.parse(text) == nil)
    }
}

extension ProtoTimestampTests {
    @Test func formatsInTheProlepticGregorianCalendar() {
        #expect(ProtoTimestamp.format(Date(timeIntervalSince1970: -62_135_596_800)) == "0001-01-01T00:00:00Z")
        #expect(ProtoTimestamp.format(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00Z")
        #expect(ProtoTimestamp.format(Date(timeIntervalSince1970: 1_709_164_800.9)) == "2024-02-29T00:00:00Z")
        #expect(ProtoTimestamp.format(Date(timeIntervalSince1970: -1)) == "1969-12-31T23:59:59Z")
        #expect(ProtoTimestamp.format(Date(timeIntervalSince1970: 253_402_300_799)) == "9999-12-31T23:59:59Z")
        for seconds in stride(from: -62_135_596_800.0, through: 253_402_300_799, by: 7_777_777_777) {
            let date = Date(timeIntervalSince1970: seconds)
            #expect(ProtoTimestamp.parse(ProtoTimestamp.format(date)) == date)
        }
    }
}
