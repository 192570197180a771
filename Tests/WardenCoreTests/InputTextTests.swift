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
