/// Go's `regexp/syntax` parser for the `Perl` flag set. Errors carry Go's codes (`missing closing )`, `invalid
/// escape sequence`, …) and the offending text.
struct GoRegexpParser {
    struct Flags {
        var foldCase = false
        var multiLine = false
        var dotMatchesNewline = false
        var ungreedy = false
    }

    private let scalars: [Unicode.Scalar]
    private var index = 0
    private(set) var groupCount = 0
    private(set) var groupNames: [String?] = [nil]

    init(_ pattern: String) {
        scalars = Array(pattern.unicodeScalars)
    }

    static func error(_ code: String, _ text: String) -> GoRegexp.SyntaxError {
        GoRegexp.SyntaxError(message: "error parsing regexp: \(code): `\(text)`")
    }

    private func text(from start: Int) -> String {
        GoRegexp.string(scalars[start..<min(index, scalars.count)])
    }

    mutating func parse() throws(GoRegexp.SyntaxError) -> GoRegexpNode {
        var flags = Flags()
        let node = try alternation(&flags, depth: 0)
        if index < scalars.count {
            // Only an unbalanced `)` stops the top level early.
            throw Self.error("unexpected )", GoRegexp.string(scalars[...]))
        }
        return node
    }

    private mutating func alternation(_ flags: inout Flags, depth: Int) throws(GoRegexp.SyntaxError) -> GoRegexpNode {
        guard depth < 1000 else { throw Self.error("expression nests too deeply", GoRegexp.string(scalars[...])) }
        var branches = [try concatenation(&flags, depth: depth)]
        while index < scalars.count && scalars[index] == "|" {
            index += 1
            branches.append(try concatenation(&flags, depth: depth))
        }
        return branches.count == 1 ? branches[0] : .alternation(branches)
    }

    private mutating func concatenation(_ flags: inout Flags, depth: Int) throws(GoRegexp.SyntaxError) -> GoRegexpNode {
        var items: [GoRegexpNode] = []
        var lastWasRepetition = false
        var lastRepetitionStart = 0
        while index < scalars.count && scalars[index] != "|" && scalars[index] != ")" {
            let start = index
            let scalar = scalars[index]
            if scalar == "*" || scalar == "+" || scalar == "?" || (scalar == "{" && repeatCount(at: index) != nil) {
                guard !lastWasRepetition else {
                    let end = scalar == "{" ? (repeatCount(at: index)?.end ?? index + 1) : index + 1
                    throw Self.error("invalid nested repetition operator", GoRegexp.string(scalars[lastRepetitionStart..<end]))
                }
                guard let last = items.popLast() else {
                    throw Self.error("missing argument to repetition operator", GoRegexp.string(scalars[start..<start + 1]))
                }
                items.append(try repetition(of: last, flags: flags, start: start))
                lastWasRepetition = true
                lastRepetitionStart = start
                continue
            }
            lastWasRepetition = false
            if let atom = try atom(&flags, depth: depth) { items.append(atom) }
        }
        return items.count == 1 ? items[0] : items.isEmpty ? .empty : .concatenation(items)
    }

    /// `{n}`, `{n,}` or `{n,m}` at `position`: the bounds and the index after `}`, or nil when it is a literal `{`.
    private func repeatCount(at position: Int) -> (min: Int, max: Int?, end: Int)? {
        var i = position + 1
        func number() -> Int? {
            let start = i
            var value = 0
            while i < scalars.count && ("0"..."9").contains(scalars[i]) {
                value = min(value * 10 + Int(scalars[i].value) - 48, 100_000)
                i += 1
            }
            return i > start ? value : nil
        }
        guard let low = number() else { return nil }
        var high: Int? = low
        if i < scalars.count && scalars[i] == "," {
            i += 1
            high = i < scalars.count && scalars[i] == "}" ? nil : number()
            if high == nil && !(i < scalars.count && scalars[i] == "}") { return nil }
        }
        guard i < scalars.count && scalars[i] == "}" else { return nil }
        return (low, high, i + 1)
    }

    private mutating func repetition(of node: GoRegexpNode, flags: Flags, start: Int) throws(GoRegexp.SyntaxError) -> GoRegexpNode {
        var minimum = 0
        var maximum: Int?
        switch scalars[index] {
        case "*": index += 1
        case "+":
            minimum = 1
            index += 1
        case "?":
            maximum = 1
            index += 1
        default:
            guard let count = repeatCount(at: index) else { throw Self.error("invalid repeat count", text(from: start)) }
            index = count.end
            guard count.min <= 1000, (count.max ?? 0) <= 1000, count.max.map({ $0 >= count.min }) ?? true else {
                throw Self.error("invalid repeat count", text(from: start))
            }
            minimum = count.min
            maximum = count.max
        }
        var greedy = !flags.ungreedy
        if index < scalars.count && scalars[index] == "?" {
            greedy.toggle()
            index += 1
        }
        return .repetition(node, min: minimum, max: maximum, greedy: greedy)
    }

    private mutating func atom(_ flags: inout Flags, depth: Int) throws(GoRegexp.SyntaxError) -> GoRegexpNode? {
        let scalar = scalars[index]
        let start = index
        index += 1
        switch scalar {
        case "(":
            return try group(&flags, start: start, depth: depth)
        case "[":
            return .characterClass(try characterClass(start: start), foldCase: flags.foldCase)
        case ".":
            return .anyCharacter(matchesNewline: flags.dotMatchesNewline)
        case "^":
            return .assertion(flags.multiLine ? .beginLine : .beginText)
        case "$":
            return .assertion(flags.multiLine ? .endLine : .endText)
        case "\\":
            return try escape(flags: flags, start: start)
        default:
            return .literal(scalar, foldCase: flags.foldCase)
        }
    }

    private mutating func group(_ flags: inout Flags, start: Int, depth: Int) throws(GoRegexp.SyntaxError) -> GoRegexpNode? {
        var name: String?
        var capturing = true
        var inner = flags
        if index < scalars.count && scalars[index] == "?" {
            // (?P<name>re), (?<name>re), (?flags), (?flags:re)
            if index + 1 < scalars.count
                && (scalars[index + 1] == "<" || (scalars[index + 1] == "P" && index + 2 < scalars.count && scalars[index + 2] == "<"))
            {
                index += scalars[index + 1] == "P" ? 3 : 2
                let nameStart = index
                while index < scalars.count && scalars[index] != ">" { index += 1 }
                guard index < scalars.count else { throw Self.error("invalid named capture", text(from: start)) }
                let candidate = GoRegexp.string(scalars[nameStart..<index])
                index += 1
                guard !candidate.isEmpty, candidate.unicodeScalars.allSatisfy({ $0 == "_" || ($0.isASCII && TemplateLexer.isAlphanumeric($0)) })
                else {
                    throw Self.error("invalid named capture", text(from: start))
                }
                name = candidate
            } else {
                index += 1
                var negate = false
                var flagCount = 0
                var negatedCount = 0
                flagLoop: while true {
                    guard index < scalars.count else { throw Self.error("missing closing )", text(from: start)) }
                    let c = scalars[index]
                    index += 1
                    switch c {
                    case "i", "m", "s", "U":
                        if c == "i" { inner.foldCase = !negate }
                        if c == "m" { inner.multiLine = !negate }
                        if c == "s" { inner.dotMatchesNewline = !negate }
                        if c == "U" { inner.ungreedy = !negate }
                        flagCount += 1
                        if negate { negatedCount += 1 }
                    case "-" where !negate:
                        negate = true
                    case ":", ")":
                        guard !(negate && negatedCount == 0), c == ":" || flagCount > 0 else {
                            throw Self.error("invalid or unsupported Perl syntax", text(from: start))
                        }
                        if c == ")" {
                            flags = inner
                            return nil
                        }
                        capturing = false
                        break flagLoop
                    default:
                        throw Self.error("invalid or unsupported Perl syntax", text(from: start))
                    }
                }
            }
        }
        var group = 0
        if capturing {
            groupCount += 1
            group = groupCount
            groupNames.append(name)
        }
        let body = try alternation(&inner, depth: depth + 1)
        guard index < scalars.count && scalars[index] == ")" else { throw Self.error("missing closing )", text(from: start)) }
        index += 1
        return capturing ? .capture(group, name: name, body) : body
    }

    private mutating func escape(flags: Flags, start: Int) throws(GoRegexp.SyntaxError) -> GoRegexpNode {
        guard index < scalars.count else { throw Self.error("trailing backslash at end of expression", "") }
        let letter = scalars[index]
        let assertions: [Unicode.Scalar: GoRegexpAssertion] = ["A": .beginText, "z": .endText, "b": .wordBoundary, "B": .notWordBoundary]
        if let assertion = assertions[letter] {
            index += 1
            return .assertion(assertion)
        }
        switch letter {
        case "Q":
            index += 1
            var items: [GoRegexpNode] = []
            while index < scalars.count {
                if scalars[index] == "\\" && index + 1 < scalars.count && scalars[index + 1] == "E" {
                    index += 2
                    break
                }
                items.append(.literal(scalars[index], foldCase: flags.foldCase))
                index += 1
            }
            return items.count == 1 ? items[0] : .concatenation(items)
        default:
            var set = GoRegexpClass()
            if try classEscape(into: &set, start: start) {
                return .characterClass(set, foldCase: flags.foldCase)
            }
            return .literal(try singleEscape(start: start), foldCase: flags.foldCase)
        }
    }

    /// `\d \D \s \S \w \W \pX \p{Name} \PX`: adds to `set` and returns true; false when the escape is not a class.
    private mutating func classEscape(into set: inout GoRegexpClass, start: Int) throws(GoRegexp.SyntaxError) -> Bool {
        let letter = scalars[index]
        if let perl = GoRegexpClass.perl(letter) {
            index += 1
            set.ranges += perl.negated ? GoRegexpClass.complement(perl.ranges) : perl.ranges
            return true
        }
        guard letter == "p" || letter == "P" else { return false }
        index += 1
        guard index < scalars.count else { throw Self.error("invalid character class range", text(from: start)) }
        var name: String
        if scalars[index] == "{" {
            let nameStart = index + 1
            while index < scalars.count && scalars[index] != "}" { index += 1 }
            guard index < scalars.count else { throw Self.error("invalid character class range", text(from: start)) }
            name = GoRegexp.string(scalars[nameStart..<index])
            index += 1
        } else {
            name = String(scalars[index])
            index += 1
        }
        var negated = letter == "P"
        if name.hasPrefix("^") {
            negated.toggle()
            name.removeFirst()
        }
        if name == "Any" {
            set.categories.append(("", negated))
        } else {
            guard GoRegexpClass.categoryNames.contains(name) else { throw Self.error("invalid character class range", text(from: start)) }
            set.categories.append((name, negated))
        }
        return true
    }

    /// One escaped character: `\a \f \t \n \r \v`, octal `\0…`/`\1x…`, `\xHH`, `\x{H…}`, escaped punctuation.
    private mutating func singleEscape(start: Int) throws(GoRegexp.SyntaxError) -> Unicode.Scalar {
        let letter = scalars[index]
        index += 1
        switch letter {
        case "a": return "\u{07}"
        case "f": return "\u{0C}"
        case "t": return "\t"
        case "n": return "\n"
        case "r": return "\r"
        case "v": return "\u{0B}"
        case "0"..."7":
            // A single non-zero digit would be a backreference, which RE2 does not have.
            guard letter == "0" || (index < scalars.count && ("0"..."7").contains(scalars[index])) else { break }
            var value = letter.value - 48
            var digits = 1
            while digits < 3 && index < scalars.count && ("0"..."7").contains(scalars[index]) {
                value = value * 8 + scalars[index].value - 48
                index += 1
                digits += 1
            }
            return Unicode.Scalar(value) ?? "\u{FFFD}"
        case "x":
            guard index < scalars.count else { break }
            var value: UInt32 = 0
            if scalars[index] == "{" {
                index += 1
                var digits = 0
                while index < scalars.count, let digit = Character(scalars[index]).hexDigitValue {
                    value = value * 16 + UInt32(digit)
                    index += 1
                    digits += 1
                    if value > 0x10FFFF { break }
                }
                guard digits > 0, index < scalars.count, scalars[index] == "}", value <= 0x10FFFF, let scalar = Unicode.Scalar(value) else { break }
                index += 1
                return scalar
            }
            guard index + 1 < scalars.count, let high = Character(scalars[index]).hexDigitValue, let low = Character(scalars[index + 1]).hexDigitValue
            else { break }
            index += 2
            return Unicode.Scalar(UInt32(high * 16 + low)) ?? "\u{FFFD}"
        default:
            if letter.isASCII && !TemplateLexer.isAlphanumeric(letter) && letter.value >= 0x20 { return letter }
        }
        throw Self.error("invalid escape sequence", text(from: start))
    }

    private mutating func characterClass(start: Int) throws(GoRegexp.SyntaxError) -> GoRegexpClass {
        var set = GoRegexpClass()
        if index < scalars.count && scalars[index] == "^" {
            set.negated = true
            index += 1
        }
        var first = true
        while true {
            guard index < scalars.count else { throw Self.error("missing closing ]", text(from: start)) }
            let scalar = scalars[index]
            if scalar == "]" && !first {
                index += 1
                return set
            }
            first = false
            if scalar == "[" && index + 1 < scalars.count && scalars[index + 1] == ":" {
                let nameStart = index + 2
                var end = nameStart
                while end + 1 < scalars.count && !(scalars[end] == ":" && scalars[end + 1] == "]") { end += 1 }
                if end + 1 < scalars.count {
                    var name = GoRegexp.string(scalars[nameStart..<end])
                    let negated = name.hasPrefix("^")
                    if negated { name.removeFirst() }
                    guard let ranges = GoRegexpClass.posix(name) else {
                        index = end + 2
                        throw Self.error("invalid character class range", text(from: nameStart - 2))
                    }
                    set.ranges += negated ? GoRegexpClass.complement(ranges) : ranges
                    index = end + 2
                    continue
                }
            }
            let itemStart = index
            if scalar == "\\" {
                index += 1
                guard index < scalars.count else { throw Self.error("missing closing ]", text(from: start)) }
                if try classEscape(into: &set, start: itemStart) { continue }
                index = itemStart
            }
            let low = try classCharacter(start: itemStart)
            var high = low
            if index + 1 < scalars.count && scalars[index] == "-" && scalars[index + 1] != "]" {
                index += 1
                let highStart = index
                high = try classCharacter(start: highStart)
                guard high.value >= low.value else { throw Self.error("invalid character class range", text(from: itemStart)) }
            }
            set.ranges.append(low.value...high.value)
        }
    }

    private mutating func classCharacter(start: Int) throws(GoRegexp.SyntaxError) -> Unicode.Scalar {
        let scalar = scalars[index]
        index += 1
        guard scalar == "\\" else { return scalar }
        guard index < scalars.count else { throw Self.error("missing closing ]", text(from: start)) }
        return try singleEscape(start: start)
    }
}
