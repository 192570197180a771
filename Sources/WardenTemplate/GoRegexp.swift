/// A regular expression with Go's `regexp` syntax and semantics (RE2: leftmost-first, no backreferences), matched in
/// time linear in the text (``GoRegexpProgram``), as sprig's `regex*` functions use it in step's templates.
///
/// Offsets are Unicode-scalar offsets into the text (Go's are byte offsets; the substrings they delimit are the same).
/// Every operation takes a `budget` of steps and throws ``WorkExceeded`` when it runs out, so that a template's
/// regular expressions cost a bounded amount of CPU in all.
struct GoRegexp: Sendable {
    /// Go's parse error text: `error parsing regexp: missing closing ): `(a``.
    struct SyntaxError: Error, Sendable {
        let message: String
    }

    /// The step budget ran out.
    struct WorkExceeded: Error, Sendable {}

    private let program: GoRegexpProgram
    /// Group names by index (index 0, the whole match, has none; unnamed groups neither).
    let groupNames: [String?]
    /// Steps charged for compiling (pattern length plus program size).
    let compileCost: Int

    init(_ pattern: String) throws(SyntaxError) {
        var parser = GoRegexpParser(pattern)
        let node = try parser.parse()
        program = try GoRegexpProgram(node, groupCount: parser.groupCount)
        groupNames = parser.groupNames
        compileCost = pattern.unicodeScalars.count + program.instructions.count
    }

    /// The leftmost-first match at or after `start`: capture slots (pairs of offsets, -1 where a group did not take
    /// part), or nil.
    func firstMatch(in text: [Unicode.Scalar], from start: Int, budget: inout Int) throws(WorkExceeded) -> [Int]? {
        var scratch = program.scratch()
        return try firstMatch(in: text, from: start, budget: &budget, scratch: &scratch)
    }

    private func firstMatch(
        in text: [Unicode.Scalar], from start: Int, budget: inout Int, scratch: inout GoRegexpProgram.Scratch
    ) throws(WorkExceeded) -> [Int]? {
        guard start <= text.count else { return nil }
        return try program.firstMatch(in: text, from: start, budget: &budget, scratch: &scratch)
    }

    /// Go's `allMatches`: successive non-overlapping matches, at most `limit` (all when negative); an empty match
    /// right after the previous match is skipped.
    func allMatches(in text: [Unicode.Scalar], limit: Int, budget: inout Int) throws(WorkExceeded) -> [[Int]] {
        var found: [[Int]] = []
        let wanted = limit < 0 ? text.count + 1 : limit
        var position = 0
        var previousEnd = -1
        var scratch = program.scratch()
        while found.count < wanted && position <= text.count {
            guard let slots = try firstMatch(in: text, from: position, budget: &budget, scratch: &scratch) else { break }
            var accept = true
            if slots[1] == position {
                if slots[0] == previousEnd { accept = false }
                position += 1
            } else {
                position = slots[1]
            }
            previousEnd = slots[1]
            if accept { found.append(slots) }
        }
        return found
    }

    /// Go's `ReplaceAllString` (or `ReplaceAllLiteralString` when `literal`): `replacement` expanded per match with
    /// ``expand(_:slots:in:)``. Throws ``WorkExceeded`` also when the result would exceed `maximumLength` bytes.
    func replaceAll(
        in text: [Unicode.Scalar], with replacement: String, literal: Bool, maximumLength: Int, budget: inout Int
    ) throws(WorkExceeded) -> String {
        var out = ""
        var lastEnd = 0
        var position = 0
        var scratch = program.scratch()
        while position <= text.count {
            guard let slots = try firstMatch(in: text, from: position, budget: &budget, scratch: &scratch) else { break }
            out.unicodeScalars.append(contentsOf: text[lastEnd..<slots[0]])
            if slots[1] > lastEnd || slots[0] == 0 {
                out += literal ? replacement : expand(replacement, slots: slots, in: text)
            }
            guard out.utf8.count <= maximumLength else { throw WorkExceeded() }
            lastEnd = slots[1]
            // Advance past this match; always advance at least one character.
            position = position + 1 > slots[1] ? position + 1 : slots[1]
        }
        out.unicodeScalars.append(contentsOf: text[lastEnd...])
        guard out.utf8.count <= maximumLength else { throw WorkExceeded() }
        return out
    }

    /// Go's `Regexp.Split`.
    func split(_ text: [Unicode.Scalar], limit: Int, isEmptyPattern: Bool, budget: inout Int) throws(WorkExceeded) -> [String] {
        if limit == 0 { return [] }
        if !isEmptyPattern && text.isEmpty { return [""] }
        var parts: [String] = []
        var begin = 0
        var end = 0
        for slots in try allMatches(in: text, limit: limit, budget: &budget) {
            if limit > 0 && parts.count == limit - 1 { break }
            end = slots[0]
            if slots[1] != 0 { parts.append(Self.string(text[begin..<end])) }
            begin = slots[1]
        }
        if end != text.count { parts.append(Self.string(text[begin...])) }
        return parts
    }

    static func string(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        String(String.UnicodeScalarView(scalars))
    }

    /// The text of group `group` of a match, "" when it did not take part.
    func group(_ group: Int, slots: [Int], in text: [Unicode.Scalar]) -> String {
        guard 2 * group + 1 < slots.count, slots[2 * group] >= 0, slots[2 * group + 1] >= slots[2 * group] else { return "" }
        return Self.string(text[slots[2 * group]..<slots[2 * group + 1]])
    }

    /// Go's `Regexp.Expand` template syntax: `$1`, `${1}`, `$name`, `${name}`, `$$`; a name is as long as possible
    /// (`$1x` is `${1x}`); an unknown group expands to nothing; a `$` not followed by a name is kept.
    func expand(_ template: String, slots: [Int], in text: [Unicode.Scalar]) -> String {
        var out = ""
        var scalars = Substring(template).unicodeScalars[...]
        while let first = scalars.first {
            scalars = scalars.dropFirst()
            guard first == "$" else {
                out.unicodeScalars.append(first)
                continue
            }
            if scalars.first == "$" {
                out += "$"
                scalars = scalars.dropFirst()
                continue
            }
            var name = ""
            if scalars.first == "{" {
                let body = scalars.dropFirst()
                guard let close = body.firstIndex(of: "}") else {
                    out += "$"
                    continue
                }
                name = String(String.UnicodeScalarView(body[..<close]))
                guard !name.isEmpty, name.unicodeScalars.allSatisfy({ TemplateLexer.isAlphanumeric($0) && $0.isASCII }) else {
                    out += "$"
                    continue
                }
                scalars = body[body.index(after: close)...]
            } else {
                while let next = scalars.first, next.isASCII, TemplateLexer.isAlphanumeric(next) {
                    name.unicodeScalars.append(next)
                    scalars = scalars.dropFirst()
                }
                if name.isEmpty {
                    out += "$"
                    continue
                }
            }
            if name.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }) {
                if name.count < 9, let number = Int(name), number < groupNames.count { out += group(number, slots: slots, in: text) }
            } else if let number = groupNames.firstIndex(of: name) {
                out += group(number, slots: slots, in: text)
            }
        }
        return out
    }
}
