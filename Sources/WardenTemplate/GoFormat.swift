import WardenCore

/// Go's `fmt.Sprint`, `fmt.Sprintln` and `fmt.Sprintf` over template values, with Go's output for mismatched verbs
/// (`%!d(string=x)`), missing operands (`%!s(MISSING)`) and extra ones (`%!(EXTRA int=1)`).
enum GoFormat {
    /// `fmt.Sprint`: operands in `%v`, a space between two operands when neither is a string.
    static func sprint(_ values: [TemplateValue]) -> String {
        var out = ""
        var previousWasString = false
        for (offset, value) in values.enumerated() {
            let isString: Bool
            if case .string = value { isString = true } else { isString = false }
            if offset > 0 && !isString && !previousWasString { out += " " }
            out += format(value, verb: "v")
            previousWasString = isString
        }
        return out
    }

    /// `fmt.Sprintln`: operands in `%v` separated by spaces, then a newline.
    static func sprintln(_ values: [TemplateValue]) -> String {
        values.map { format($0, verb: "v") }.joined(separator: " ") + "\n"
    }

    /// `%v` (and the other verbs without flags) of one value.
    static func format(_ value: TemplateValue, verb: Character) -> String {
        var spec = Spec()
        spec.verb = verb
        return format(value, spec: spec)
    }

    struct Spec {
        var verb: Character = "v"
        var minus = false
        var plus = false
        var sharp = false
        var space = false
        var zero = false
        var width: Int?
        var precision: Int?
    }

    /// Go's `fmt.Sprintf`; nil once the result exceeds `maximumLength` bytes (each verb adds at most its value's
    /// text plus a width or precision of 1e6).
    static func sprintf(_ format: String, _ arguments: [TemplateValue], maximumLength: Int) -> String? {
        let characters = Array(format)
        var out = ""
        var argument = 0
        var index = 0
        /// Go's `parsenum`: digits up to 1e6; a longer number consumes the rest of the format (Go's overflow rule).
        func nextInt() -> Int? {
            var number = 0
            var found = false
            while index < characters.count, let digit = characters[index].wholeNumberValue, characters[index].isASCII {
                if number > 1_000_000 {
                    index = characters.count
                    return nil
                }
                number = number * 10 + digit
                found = true
                index += 1
            }
            return found ? number : nil
        }
        /// Go's `intFromArg`: an integer argument within ±1e6.
        func intArgument() -> Int? {
            defer { argument += 1 }
            guard argument < arguments.count, case .int(let value, _) = arguments[argument], abs(value) <= 1_000_000 else { return nil }
            return Int(value)
        }
        while index < characters.count {
            let character = characters[index]
            index += 1
            guard character == "%" else {
                out.append(character)
                continue
            }
            var spec = Spec()
            flags: while index < characters.count {
                switch characters[index] {
                case "-": spec.minus = true
                case "+": spec.plus = true
                case "#": spec.sharp = true
                case " ": spec.space = true
                case "0": spec.zero = !spec.minus
                default: break flags
                }
                index += 1
            }
            if index < characters.count && characters[index] == "*" {
                index += 1
                if let width = intArgument() {
                    spec.width = abs(width)
                    if width < 0 {
                        spec.minus = true
                        spec.zero = false
                    }
                } else {
                    out += "%!(BADWIDTH)"
                }
            } else {
                spec.width = nextInt()
            }
            if index < characters.count && characters[index] == "." {
                index += 1
                if index < characters.count && characters[index] == "*" {
                    index += 1
                    if let precision = intArgument(), precision >= 0 {
                        spec.precision = precision
                    } else {
                        out += "%!(BADPREC)"
                    }
                } else {
                    spec.precision = nextInt() ?? 0
                }
            }
            guard index < characters.count else {
                out += "%!(NOVERB)"
                break
            }
            spec.verb = characters[index]
            index += 1
            if spec.verb == "%" {
                out += "%"
                continue
            }
            guard argument < arguments.count else {
                out += "%!\(spec.verb)(MISSING)"
                continue
            }
            out += GoFormat.format(arguments[argument], spec: spec)
            argument += 1
            if out.utf8.count > maximumLength { return nil }
        }
        if argument < arguments.count {
            out += "%!(EXTRA "
            out += arguments[argument...].map { "\($0.goTypeName)=\(GoFormat.format($0, verb: "v"))" }.joined(separator: ", ")
            out += ")"
        }
        return out
    }

    static func format(_ value: TemplateValue, spec: Spec) -> String {
        if spec.verb == "T" { return pad(value.goTypeName, spec: spec) }
        switch value {
        case .missing, .null:
            return spec.verb == "v" ? pad("<nil>", spec: spec) : "%!\(spec.verb)(<nil>)"
        case .bool(let bool):
            guard spec.verb == "v" || spec.verb == "t" else { return bad(value, spec) }
            return pad(bool ? "true" : "false", spec: spec)
        case .int(let int, _):
            return formatInteger(int, value: value, spec: spec)
        case .float(let double):
            return formatFloat(double, value: value, spec: spec)
        case .string(let string):
            return formatString(string, value: value, spec: spec)
        case .opaque(_, let description):
            return spec.verb == "v" || spec.verb == "s" ? pad(description, spec: spec) : bad(value, spec)
        case .time(let time):
            return spec.verb == "v" || spec.verb == "s" ? pad(time.description, spec: spec) : bad(value, spec)
        case .object(let object):
            var inner = spec
            inner.width = nil
            return pad("{" + object.fields.map { format($0.value, spec: inner) }.joined(separator: " ") + "}", spec: spec)
        case .list(let values, _):
            var inner = spec
            inner.width = nil
            return pad("[" + values.map { format($0, spec: inner) }.joined(separator: " ") + "]", spec: spec)
        case .map(let values, _):
            var inner = spec
            inner.width = nil
            let entries = values.keys.sorted(by: GoString.less).map { key in
                format(.string(key), spec: inner) + ":" + format(values[key] ?? .null, spec: inner)
            }
            return pad("map[" + entries.joined(separator: " ") + "]", spec: spec)
        }
    }

    private static func bad(_ value: TemplateValue, _ spec: Spec) -> String {
        "%!\(spec.verb)(\(value.goTypeName)=\(format(value, verb: "v")))"
    }

    private static func pad(_ text: String, spec: Spec, numeric: Bool = false) -> String {
        guard let width = spec.width else { return text }
        let count = text.unicodeScalars.count
        guard count < width else { return text }
        let padding = width - count
        if spec.minus { return text + String(repeating: " ", count: padding) }
        if spec.zero && numeric {
            var body = Substring(text)
            var sign = ""
            if let first = body.first, first == "-" || first == "+" || first == " " {
                sign = String(first)
                body = body.dropFirst()
            }
            return sign + String(repeating: "0", count: padding) + body
        }
        if spec.zero && !numeric && spec.verb != "v" { return String(repeating: "0", count: padding) + text }
        return String(repeating: " ", count: padding) + text
    }

    private static func formatInteger(_ int: Int64, value: TemplateValue, spec: Spec) -> String {
        let magnitude = int.magnitude
        var digits: String
        var prefix = ""
        switch spec.verb {
        case "v", "d": digits = String(magnitude)
        case "b": digits = String(magnitude, radix: 2)
        case "o", "O":
            digits = String(magnitude, radix: 8)
            if spec.verb == "O" { prefix = "0o" } else if spec.sharp { prefix = "0" }
        case "x":
            digits = String(magnitude, radix: 16)
            if spec.sharp { prefix = "0x" }
        case "X":
            digits = String(magnitude, radix: 16, uppercase: true)
            if spec.sharp { prefix = "0X" }
        case "c":
            guard let scalar = Unicode.Scalar(UInt32(truncatingIfNeeded: int)), int >= 0, int <= 0x10FFFF else {
                return pad("\u{FFFD}", spec: spec)
            }
            return pad(String(Character(scalar)), spec: spec)
        case "q":
            guard let scalar = Unicode.Scalar(UInt32(truncatingIfNeeded: int)), int >= 0, int <= 0x10FFFF else {
                return pad("'\u{FFFD}'", spec: spec)
            }
            return pad(GoString.quote(String(Character(scalar)), quote: "'"), spec: spec)
        case "U":
            let hex = String(UInt64(bitPattern: int), radix: 16, uppercase: true)
            return pad("U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex, spec: spec)
        default:
            return bad(value, spec)
        }
        if let precision = spec.precision {
            if precision == 0 && int == 0 { digits = "" }
            if digits.count < precision { digits = String(repeating: "0", count: precision - digits.count) + digits }
        }
        let sign = int < 0 ? "-" : spec.plus ? "+" : spec.space ? " " : ""
        var zeroSpec = spec
        if spec.precision != nil { zeroSpec.zero = false }
        return pad(sign + prefix + digits, spec: zeroSpec, numeric: true)
    }

    private static func formatFloat(_ double: Double, value: TemplateValue, spec: Spec) -> String {
        var text: String
        switch spec.verb {
        case "v", "g", "G":
            if let precision = spec.precision {
                text = GoFloat.format(double, verb: spec.verb == "G" ? "G" : "g", precision: precision == 0 ? 1 : precision, alternate: spec.sharp)
            } else {
                text = GoFloat.format(double, verb: "g")
                if spec.verb == "G" { text = text.uppercased() }
            }
        case "e", "E", "f", "F":
            let verb: Character = spec.verb == "F" ? "f" : spec.verb
            text = GoFloat.format(double, verb: verb, precision: spec.precision ?? 6, alternate: spec.sharp)
        default:
            return bad(value, spec)
        }
        if text == "inf" || text == "+Inf" || text == "INF" { text = "+Inf" }
        if text == "-inf" || text == "-INF" { text = "-Inf" }
        if text.lowercased() == "nan" || text == "-nan" { text = "NaN" }
        if !text.hasPrefix("-") && !text.hasPrefix("+") {
            if spec.plus { text = "+" + text } else if spec.space { text = " " + text }
        } else if text.hasPrefix("+") && !spec.plus {
            text = spec.space ? " " + text.dropFirst() : String(text.dropFirst())
        }
        return pad(text, spec: spec, numeric: double.isFinite)
    }

    private static func formatString(_ string: String, value: TemplateValue, spec: Spec) -> String {
        var text = string
        switch spec.verb {
        case "v", "s":
            if let precision = spec.precision { text = String(text.unicodeScalars.prefix(precision)) }
            return pad(text, spec: spec)
        case "q":
            if let precision = spec.precision { text = String(text.unicodeScalars.prefix(precision)) }
            if spec.sharp && !text.contains("`") && text.unicodeScalars.allSatisfy({ GoString.isPrint($0) || $0 == "\t" }) {
                return pad("`" + text + "`", spec: spec)
            }
            return pad(GoString.quote(text, asciiOnly: spec.plus), spec: spec)
        case "x", "X":
            var bytes = Array(text.utf8)
            if let precision = spec.precision { bytes = Array(bytes.prefix(precision)) }
            let upper = spec.verb == "X"
            var out = ""
            for (offset, byte) in bytes.enumerated() {
                if spec.space && offset > 0 { out += " " }
                if spec.sharp && (spec.space || offset == 0) { out += upper ? "0X" : "0x" }
                out += GoString.hex(UInt32(byte), width: 2, upper: upper)
            }
            return pad(out, spec: spec)
        default:
            return bad(value, spec)
        }
    }
}
