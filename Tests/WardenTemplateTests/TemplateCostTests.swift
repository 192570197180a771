import WardenCore
import XCTest

@testable import WardenTemplate

/// A rendering costs bounded CPU and memory whatever the template and its data: regular expressions match in
/// linear time, functions that multiply their input check the size first, arguments are measured and charged.
/// (Before these bounds, `regexMatch "(a+)+b"` on 30 `a`s took 6 s and `indent 65536` of a 1 MiB text asked for
/// 64 GiB.)
final class TemplateCostTests: XCTestCase {
    private func render(_ text: String, work: Int = Template.Limits().maximumWork) throws -> String {
        var limits = Template.Limits()
        limits.maximumWork = work
        return try Template(parsing: text, name: "t", limits: limits).render(.anyMap([:]))
    }

    private func assertFails(_ text: String, work: Int = Template.Limits().maximumWork, saying message: String, line: UInt = #line) {
        XCTAssertThrowsError(try render(text, work: work), line: line) { error in
            XCTAssertTrue("\(error)".contains(message), "\(error)", line: line)
        }
    }

    /// Patterns that backtracking engines take exponential or quadratic time on cost (pattern size × text length)
    /// steps here: each of these fits in a budget of 200,000 units, which a backtracking match would exceed.
    func testRegularExpressionsMatchInLinearTime() throws {
        XCTAssertEqual(try render(#"{{ regexMatch "(a+)+b" (repeat 2000 "a") }}"#, work: 200_000), "false")
        XCTAssertEqual(try render(#"{{ regexMatch "(x+x+)+y" (repeat 2000 "x") }}"#, work: 200_000), "false")
        XCTAssertEqual(try render(#"{{ regexMatch "^(\\w+\\.)*example\\.com$" (printf "%s!" (repeat 500 "ab.")) }}"#, work: 200_000), "false")
        XCTAssertEqual(try render(#"{{ len (regexFindAll "a*b" (repeat 300 "a") -1) }}"#, work: 200_000), "0")
    }

    func testRegularExpressionsSpendTheWorkBudget() {
        assertFails(#"{{ regexMatch "(a|aa)*c" (repeat 100000 "a") }}"#, work: 1_000_000, saying: "work limit")
        assertFails(#"{{ range until 1000 }}{{ regexMatch "[a-z]+x" (repeat 2000 "a") }}{{ end }}"#, work: 1_000_000, saying: "work")
        assertFails(#"{{ regexReplaceAll "" (repeat 200000 "a") (repeat 100 "b") }}"#, saying: "exceeds 1 MiB")
    }

    /// Go's own syntax errors, and what RE2 refuses that backtracking engines accept.
    func testRegularExpressionSyntaxIsGos() {
        assertFails(#"{{ regexFind "(a" "a" }}"#, saying: "error parsing regexp: missing closing ): `(a`")
        assertFails(#"{{ regexFind "a**" "a" }}"#, saying: "invalid nested repetition operator: `**`")
        assertFails(#"{{ regexFind "(a)\\1" "aa" }}"#, saying: "invalid escape sequence")
        assertFails(#"{{ regexFind "(?=a)" "a" }}"#, saying: "invalid or unsupported Perl syntax")
        assertFails(#"{{ regexFind "a{1001}" "a" }}"#, saying: "invalid repeat count")
        assertFails(#"{{ regexFind "\\p{Greek}" "α" }}"#, saying: "invalid character class range")
        XCTAssertEqual(try render(#"{{ regexMatch "[a" "a" }}"#), "false")
    }

    /// `(?<name>…)` as Go 1.22 and later (and so current step-ca) accept it; Go 1.19, the differential's reference,
    /// does not, so it is checked here.
    func testNamedGroupsInBothSpellings() throws {
        XCTAssertEqual(try render(#"{{ regexReplaceAll "(?<y>[0-9]{4})-(?P<m>[0-9]{2})" "on 2026-11" "${m}/${y}" }}"#), "on 11/2026")
    }

    func testMultiplyingFunctionsCheckTheSizeFirst() {
        assertFails(#"{{ indent 65536 (repeat 1000000 "\n") }}"#, saying: "indent: result longer than 1 MiB")
        assertFails(#"{{ nindent 1000 (repeat 2000 "\n") }}"#, saying: "nindent: result longer than 1 MiB")
        assertFails(#"{{ replace "" "0123456789" (repeat 200000 "a") }}"#, saying: "replace: result longer than 1 MiB")
        assertFails(#"{{ replace "a" "0123456789" (repeat 200000 "a") }}"#, saying: "replace: result longer than 1 MiB")
        assertFails(#"{{ printf "%1000000d%1000000d" 1 2 }}"#, saying: "printf: result longer than 1 MiB")
        assertFails(#"{{ repeat 2000000 "a" }}"#, saying: "repeat: result longer than 1 MiB")
        XCTAssertEqual(try render(#"{{ replace "a" "bb" "aXa" }} {{ indent 2 "x\ny" }}"#), "bbXbb   x\n  y")
    }

    func testArgumentsAreMeasured() {
        // A list of 2,000 references to one 1 MiB string is 2 GiB to join: refused before joining.
        assertFails(
            #"{{ $s := repeat 1000000 "a" }}{{ $l := list }}{{ range until 2000 }}{{ $l = append $l $s }}{{ end }}{{ join "" $l }}"#,
            saying: "arguments longer than 1048576 bytes")
        // Nesting deeper than the limit would overflow the stack of recursive printers and deallocation.
        assertFails(#"{{ $d := list }}{{ range until 5000 }}{{ $d = list $d }}{{ end }}{{ toJson $d }}"#, saying: "nest deeper than 1000")
        // Passing a large value around costs in proportion to its size.
        assertFails(#"{{ $s := repeat 1000000 "a" }}{{ range until 1000 }}{{ $x := upper $s }}{{ end }}"#, saying: "units of work")
    }

    /// Request data nests at most 512 deep (the JSON reader's bound) and arguments at most 1,000: the recursive
    /// printers, comparisons and deallocation must fit the stack of a concurrency thread, where the CA renders.
    func testDeepValuesRenderOnACooperativeThread() async throws {
        var value = TemplateValue.string("x")
        for _ in 0..<1000 { value = .anyMap(["k": value]) }
        let template = try Template(
            parsing: #"{{ len (toJson .) }} {{ len (printf "%v" .) }} {{ eq (toJson .) (toJson .) }} {{ len (toPrettyJson .Nothing) }}"#)
        let nested = value
        let output = try await Task.detached { try template.render(nested) }.value
        XCTAssertEqual(output, "6003 7001 true 4")
        // Indented, the same value is 1 MB of spaces: refused by the result bound, never built further.
        let pretty = try Template(parsing: "{{ toPrettyJson . }}")
        XCTAssertThrowsError(try pretty.render(nested)) { error in
            XCTAssertTrue("\(error)".contains("result longer than 1048576 bytes"), "\(error)")
        }
    }

    /// Found by an attack on this stop's bounds (each crashed the process or held a CPU for 5–100 s before).
    func testNestingOfTheTemplateTextIsBounded() throws {
        let parens = "{{ " + String(repeating: "(", count: 3000) + "1" + String(repeating: ")", count: 3000) + " }}"
        let ifs = "{{ if false }}" + String(repeating: "{{ if 1 }}", count: 10000) + "x" + String(repeating: "{{ end }}", count: 10001)
        for text in [parens, ifs] {
            XCTAssertThrowsError(try Template(parsing: text)) { error in
                XCTAssertTrue("\(error)".contains("nest deeper than 300"), "\(error)")
            }
        }
        // 300 levels parse; running them inside templates that call templates is bounded while running.
        let deep = "{{ " + String(repeating: "(", count: 290) + "1" + String(repeating: ")", count: 290) + " }}"
        XCTAssertEqual(try render(deep), "1")
        let recursive =
            #"{{ define "r" }}{{ if . }}{{ if 1 }}{{ if 1 }}{{ template "r" (sub . 1) }}{{ end }}{{ end }}{{ end }}{{ end }}{{ template "r" 150 }}"#
        assertFails(recursive, saying: "exceeded maximum nesting of bodies and pipelines (400)")
    }

    func testRegularExpressionCostsAreCharged() {
        // Capture slots copied per thread, a program-sized array per match, compile loops over empty bodies,
        // classes written as 200,000 ranges: each is charged or bounded.
        assertFails(#"{{ regexMatch "\#(String(repeating: "(a?)", count: 4000))x" (repeat 50 "a") }}"#, saying: "work limit")
        assertFails(#"{{ regexFind "(?:(?:(?:(?:){1000}){1000}){1000}){1000}" "a" }}"#, saying: "expression too large")
        XCTAssertEqual(try render(#"{{ regexMatch (printf "[%s]" (repeat 20000 `\W`)) (repeat 2000 "a") }}"#, work: 200_000), "false")
        XCTAssertEqual(try render(#"{{ len (regexFindAll "a|(?:b{1000}){20}" (repeat 2000 "a") -1) }}"#, work: 200_000), "2000")
    }

    func testQuadraticFunctionsAndScopesAreCharged() {
        assertFails(#"{{ uniq (until 100000) | len }}"#, saying: "uniq: the template's work limit was reached")
        assertFails(#"{{ $s := repeat 200000 "a" }}{{ range until 30 }}{{ $m := split "" $s }}{{ end }}"#, saying: "more than")
        let variables = String(repeating: "{{ $a := 1 }}", count: 5000) + "{{ range until 100000 }}{{ $x := $ }}{{ end }}"
        assertFails(variables, saying: "units of work")
        let listOfLists = #"{{ $v := fromJson (printf "%s%s0%s" (repeat 200 "[") (repeat 20000 "0,") (repeat 200 "]")) }}{{ toPrettyJson $v }}"#
        assertFails(listOfLists, saying: "json: result longer than 1048576 bytes")
    }

    /// The deepest templates the parser accepts parse and run on a concurrency thread (where the CA validates
    /// and renders them), in a debug build too.
    func testDeepestAcceptedTemplatesRunOnACooperativeThread() async throws {
        let output = try await Task.detached {
            let parens = "{{ " + String(repeating: "(", count: 299) + "1" + String(repeating: ")", count: 299) + " }}"
            let ifs = String(repeating: "{{ if 1 }}", count: 299) + "x" + String(repeating: "{{ end }}", count: 299)
            return try Template(parsing: parens).render(.anyMap([:])) + Template(parsing: ifs).render(.anyMap([:]))
        }.value
        XCTAssertEqual(output, "1x")
    }
}
