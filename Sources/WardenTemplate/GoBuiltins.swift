import Foundation

/// Go's `text/template` builtins: `and`, `or`, `not`, `len`, `index`, `slice`, `print`, `printf`, `println`, `html`,
/// `js`, `urlquery`, `eq`, `ne`, `lt`, `le`, `gt`, `ge`, `call`, with Go's errors.
extension TemplateFunctions {
    typealias Failure = TemplateFunction.Failure

    public static let builtins: [String: TemplateFunction] = [
        // and/or are evaluated lazily by the executor; these bodies are not called.
        "and": TemplateFunction([.reflected], variadic: .reflected) { arguments in arguments.last ?? .missing },
        "or": TemplateFunction([.reflected], variadic: .reflected) { arguments in arguments.last ?? .missing },
        "not": TemplateFunction([.reflected]) { arguments in .bool(!arguments[0].isTrue) },
        "len": TemplateFunction([.reflected]) { (arguments) throws(Failure) in
            switch arguments[0] {
            case .string(let text): return .goInt(text.utf8.count)
            case .list(let values, _): return .goInt(values.count)
            case .map(let values, _): return .goInt(values.count)
            case .null: throw Failure("len of nil pointer")
            case .missing: throw Failure("reflect: call of reflect.Value.Type on zero Value")
            case let value: throw Failure("len of type \(value.goTypeName)")
            }
        },
        "index": TemplateFunction([.reflected], variadic: .reflected) { (arguments) throws(Failure) in
            var item = arguments[0].dug
            guard item != .missing else { throw Failure("index of untyped nil") }
            for index in arguments.dropFirst() {
                item = try indexOnce(item.dug, index.dug)
            }
            return item
        },
        "call": TemplateFunction([.reflected], variadic: .reflected) { (arguments) throws(Failure) in
            throw Failure("non-function of type \(arguments[0].goTypeName)")
        },
        "print": TemplateFunction([], variadic: .any) { arguments in .string(GoFormat.sprint(arguments)) },
        "println": TemplateFunction([], variadic: .any) { arguments in .string(GoFormat.sprintln(arguments)) },
        "printf": TemplateFunction([.string], variadic: .any) { (arguments) throws(Failure) in
            guard let text = GoFormat.sprintf(arguments[0].stringValue, Array(arguments.dropFirst()), maximumLength: maximumResult) else {
                throw Failure("printf: result longer than 1 MiB")
            }
            return .string(text)
        },
        "html": TemplateFunction([], variadic: .any) { arguments in .string(htmlEscape(escaperArgument(arguments))) },
        "js": TemplateFunction([], variadic: .any) { arguments in .string(jsEscape(escaperArgument(arguments))) },
        "urlquery": TemplateFunction([], variadic: .any) { arguments in .string(queryEscape(escaperArgument(arguments))) },
        "eq": TemplateFunction([.reflected], variadic: .reflected) { (arguments) throws(Failure) in
            guard arguments.count > 1 else { throw Failure("missing argument for comparison") }
            for other in arguments.dropFirst() where try equal(arguments[0], other) { return .bool(true) }
            return .bool(false)
        },
        "ne": TemplateFunction([.reflected, .reflected]) { (arguments) throws(Failure) in .bool(!(try equal(arguments[0], arguments[1]))) },
        "lt": TemplateFunction([.reflected, .reflected]) { (arguments) throws(Failure) in .bool(try less(arguments[0], arguments[1])) },
        "le": TemplateFunction([.reflected, .reflected]) { (arguments) throws(Failure) in
            .bool(try lessOrEqual(arguments[0], arguments[1]))
        },
        "gt": TemplateFunction([.reflected, .reflected]) { (arguments) throws(Failure) in
            .bool(!(try lessOrEqual(arguments[0], arguments[1])))
        },
        "ge": TemplateFunction([.reflected, .reflected]) { (arguments) throws(Failure) in .bool(!(try less(arguments[0], arguments[1]))) },
    ]

    private static func indexOnce(_ item: TemplateValue, _ index: TemplateValue) throws(Failure) -> TemplateValue {
        func position(_ count: Int) throws(Failure) -> Int {
            switch index {
            case .int(let value, _):
                guard value >= 0, value <= Int64(count) else { throw Failure("index out of range: \(value)") }
                guard value < Int64(count) else { throw Failure("reflect: slice index out of range") }
                return Int(value)
            case .missing, .null: throw Failure("cannot index slice/array with nil")
            default: throw Failure("cannot index slice/array with type \(index.goTypeName)")
            }
        }
        switch item {
        case .list(let values, _):
            return values[try position(values.count)]
        case .string(let text):
            let bytes = Array(text.utf8)
            return .int(Int64(bytes[try position(bytes.count)]), .uint8)
        case .map(let values, let element):
            switch index {
            case .string(let key):
                if let value = values[key] { return value }
                return element == .string ? .string("") : element == .int ? .goInt(0) : .null
            case .missing, .null: throw Failure("value is nil; should be of type string")
            default: throw Failure("value has type \(index.goTypeName); should be string")
            }
        case .null: throw Failure("index of nil pointer")
        default: throw Failure("can't index item of type \(item.goTypeName)")
        }
    }

    private enum BasicKind { case bool, int, float, string, invalid }

    private static func basicKind(_ value: TemplateValue) -> BasicKind {
        switch value {
        case .bool: return .bool
        case .int: return .int
        case .float: return .float
        case .string: return .string
        default: return .invalid
        }
    }

    /// Go's `eq` for one pair: basic kinds compare by value; nil equals only nil; maps and slices are not comparable.
    static func equal(_ left: TemplateValue, _ right: TemplateValue) throws(Failure) -> Bool {
        let left = left.dug
        let right = right.dug
        let leftKind = basicKind(left)
        let rightKind = basicKind(right)
        if leftKind != rightKind {
            if left != .missing && right != .missing { throw Failure("incompatible types for comparison") }
            return false
        }
        switch (left, right) {
        case (.bool(let a), .bool(let b)): return a == b
        case (.int(let a, _), .int(let b, _)): return a == b
        case (.float(let a), .float(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        default:
            if left == .missing || right == .missing { return left == right }
            switch (left, right) {
            case (.list, .list), (.map, .map):
                throw Failure("non-comparable type \(GoFormat.format(right, verb: "v")): \(right.goTypeName)")
            case (.opaque, .opaque), (.object, .object), (.time, .time):
                return left == right
            default:
                throw Failure(
                    "non-comparable types \(GoFormat.format(left, verb: "v")): \(left.goTypeName), \(right.goTypeName): \(GoFormat.format(right, verb: "v"))"
                )
            }
        }
    }

    /// Go's `lt`: only basic kinds of the same kind compare; booleans do not.
    static func less(_ left: TemplateValue, _ right: TemplateValue) throws(Failure) -> Bool {
        let left = left.dug
        let right = right.dug
        let leftKind = basicKind(left)
        let rightKind = basicKind(right)
        guard leftKind != .invalid, rightKind != .invalid else { throw Failure("invalid type for comparison") }
        guard leftKind == rightKind else { throw Failure("incompatible types for comparison") }
        switch (left, right) {
        case (.int(let a, _), .int(let b, _)): return a < b
        case (.float(let a), .float(let b)): return a < b
        case (.string(let a), .string(let b)): return GoString.less(a, b)
        default: throw Failure("invalid type for comparison")
        }
    }

    /// Go's `le`: `lt`, or else `eq`.
    static func lessOrEqual(_ left: TemplateValue, _ right: TemplateValue) throws(Failure) -> Bool {
        if try less(left, right) { return true }
        return try equal(left, right)
    }

    /// `evalArgs` of Go's escapers: a lone string as is, anything else through `fmt.Sprint` (`<no value>` for nil).
    private static func escaperArgument(_ arguments: [TemplateValue]) -> String {
        if arguments.count == 1, case .string(let text) = arguments[0] { return text }
        return GoFormat.sprint(arguments.map { $0 == .null || $0 == .missing ? .string("<no value>") : $0 })
    }

    /// `template.HTMLEscapeString`.
    static func htmlEscape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "&#34;"
            case "'": out += "&#39;"
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\0": out += "\u{FFFD}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// `template.JSEscapeString`.
    static func jsEscape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "'": out += "\\'"
            case "\"": out += "\\\""
            case "<": out += "\\u003C"
            case ">": out += "\\u003E"
            case "&": out += "\\u0026"
            case "=": out += "\\u003D"
            default:
                if scalar.value < 0x20 {
                    out += "\\u00" + GoString.hex(scalar.value, width: 2, upper: true)
                } else if scalar.value >= 0x80 && !GoString.isPrint(scalar) {
                    out += "\\u" + GoString.hex(scalar.value, width: 4, upper: true)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// `url.QueryEscape`.
    static func queryEscape(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: " "): out += "+"
            default: out += "%" + GoString.hex(UInt32(byte), width: 2, upper: true)
            }
        }
        return out
    }
}
