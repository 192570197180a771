import WardenCore
import XCTest

@testable import WardenTemplate

/// Behaviour the differential corpus (Go's own output) cannot show: positions in errors, Warden's bounds, the
/// `fail` kind, and inputs that must never trap. Everything Go defines is checked against Go in
/// scripts/template-differential.sh.
final class TemplateTests: XCTestCase {
    private func render(_ text: String, _ data: TemplateValue = .anyMap([:])) throws -> String {
        try Template(parsing: text, name: "t").render(data)
    }

    func testParseErrorsNameLineAndColumn() {
        XCTAssertThrowsError(try Template(parsing: "line one\n  {{ .a | nosuch }}", name: "x509")) { error in
            let failure = error as? TemplateError
            XCTAssertEqual(failure?.kind, .parse)
            XCTAssertEqual(failure?.line, 2)
            XCTAssertEqual(failure?.column, 11)
            XCTAssertEqual(failure?.description, #"template: x509:2:11: function "nosuch" not defined"#)
        }
        XCTAssertThrowsError(try Template(parsing: "{{ if .a }}\n\n{{ end", name: "t")) { error in
            XCTAssertEqual((error as? TemplateError)?.line, 3)
        }
    }

    func testExecutionErrorsNameTheOperand() {
        XCTAssertThrowsError(try render("{\n  \"cn\": {{ upper .n }}\n}", .anyMap(["n": .float(1)]))) { error in
            let failure = error as? TemplateError
            XCTAssertEqual(failure?.kind, .execution)
            XCTAssertEqual(failure?.line, 2)
            XCTAssertTrue(failure?.description.contains("at <.n>: wrong type for value; expected string; got float64") == true, "\(error)")
        }
    }

    func testFailIsTheTemplatesOwnMessage() {
        XCTAssertThrowsError(try render(#"{{ fail "department is required" }}"#)) { error in
            XCTAssertEqual((error as? TemplateError)?.kind, .failed)
            XCTAssertEqual((error as? TemplateError)?.description, "department is required")
        }
    }

    func testOutputIsBounded() throws {
        var limits = Template.Limits()
        limits.maximumOutput = 1000
        let template = try Template(parsing: #"{{ range until 100000 }}xxxxxxxxxx{{ end }}"#, limits: limits)
        XCTAssertThrowsError(try template.render(.anyMap([:]))) { error in
            XCTAssertTrue("\(error)".contains("output exceeds 1000 bytes"), "\(error)")
        }
    }

    func testRecursionIsBounded() throws {
        let template = try Template(parsing: #"{{ define "loop" }}{{ template "loop" . }}{{ end }}{{ template "loop" . }}"#)
        XCTAssertThrowsError(try template.render(.anyMap([:]))) { error in
            XCTAssertTrue("\(error)".contains("exceeded maximum template depth (200)"), "\(error)")
        }
    }

    func testListsAreBounded() {
        XCTAssertThrowsError(try render("{{ until 2000000 }}")) { error in
            XCTAssertTrue("\(error)".contains("longer than 1,000,000"), "\(error)")
        }
    }

    /// Conversions of input that trap in Swift unless checked: Go wraps or panics (an error), Warden must do the same.
    func testArithmeticNeverTraps() throws {
        XCTAssertEqual(try render("{{ add 9223372036854775807 1 }}"), "-9223372036854775808")
        XCTAssertEqual(try render("{{ mul 9223372036854775807 2 }}"), "-2")
        XCTAssertEqual(try render("{{ div -9223372036854775808 -1 }}"), "-9223372036854775808")
        XCTAssertEqual(try render("{{ int 1e300 }}"), "-9223372036854775808")
        XCTAssertEqual(try render("{{ int64 .x }}", .anyMap(["x": .float(.nan)])), "-9223372036854775808")
        XCTAssertThrowsError(try render("{{ mod 1 0 }}"))
        XCTAssertThrowsError(try render("{{ repeat 100000000 \"xx\" }}"))
        XCTAssertThrowsError(try render("{{ substr 5 2 \"abcdef\" }}"))
        XCTAssertEqual(try render(#"{{ printf "%*d" 99999999999 1 }}"#).count > 0, true)
        // Times at the ends of Int64 (Go prints odd years; nothing traps).
        XCTAssertFalse(try render(#"{{ date "2006-01-02 15:04:05 -0700" (int64 9223372036854775807) }}"#).isEmpty)
        XCTAssertFalse(try render(#"{{ dateInZone "2006" (int64 -9223372036854775808) "Asia/Kolkata" }}"#).isEmpty)
        XCTAssertFalse(try render(#"{{ dateModify "2562047h" (toDate "2006" "9999") | unixEpoch }}"#).isEmpty)
        // A fraction of more than nine digits in the layout: nanoseconds from the first nine, no overflow.
        XCTAssertEqual(
            try render(#"{{ toDate "2006-01-02 15:04:05.000000000000" "2024-01-02 03:04:05.123456789123" | date "05.000000000" }}"#),
            "05.123456789")
        // Found by FuzzTemplates: a layout whose "0" is followed by a character that sorts between "1" and "6"
        // without being a digit ("2" + U+0618, a combining mark) trapped on a table lookup.
        let layout = String(decoding: [0x32, 0x30, 0x30, 0x36, 0x2D, 0x30, 0x32, 0xD8, 0x98, 0x4E], as: UTF8.self)
        XCTAssertNoThrow(try render(#"{{ toDate "\#(layout)" "2024-01-02" }} {{ date "\#(layout)" (int64 0) }}"#))
    }

    func testObjectsReadByGoNameAndWriteJSONNames() throws {
        let subject = TemplateObject(
            typeName: "x509util.Subject",
            fields: [
                .init(name: "CommonName", jsonName: "commonName", value: .string("svc")),
                .init(name: "Organization", jsonName: "organization", value: .list([], element: .string)),
            ])
        let data = TemplateValue.anyMap(["Subject": .object(subject)])
        XCTAssertEqual(
            try render("{{ .Subject.CommonName }} {{ toJson .Subject }} {{ typeOf .Subject }}", data), #"svc {"commonName":"svc"} x509util.Subject"#)
        XCTAssertThrowsError(try render("{{ .Subject.Nope }}", data))
    }

    /// The JSON reader behind `fromJson` and the certificate JSON: Go's grammar, Go's limits, no traps.
    func testJSONReaderIsStrictAndBounded() {
        XCTAssertEqual(
            TemplateJSON.parse(#" {"a": [1, -2.5e3, true, null, "\u00e9\ud83d\ude00\n"]} "#),
            .object(["a": .array([.number(1), .number(-2500), .bool(true), .null, .string("é😀\n")])]))
        XCTAssertEqual(TemplateJSON.parse(#"{"a": 1, "a": 2}"#), .object(["a": .number(2)]))  // the last wins, as in Go
        XCTAssertEqual(TemplateJSON.parse(#""\ud800x""#), .string("\u{FFFD}x"))  // a lone surrogate, as Go decodes it
        for bad in ["", "{", "[1,]", "{\"a\" 1}", "01", "1.", "-", "1e", "1e400", "tru", #""a\u00""#, "\"\u{01}\"", "{} x", "[1] [2]"] {
            XCTAssertNil(TemplateJSON.parse(bad), bad)
        }
        XCTAssertNil(TemplateJSON.parse(String(repeating: "[", count: 100_000)))  // deep nesting: refused, not a stack overflow
        XCTAssertNotNil(TemplateJSON.parse(String(repeating: "[", count: 400) + String(repeating: "]", count: 400)))
    }
}
