import Foundation
import WardenCore

/// JSON as templates see it (Go's `encoding/json` into `interface{}`: numbers are `float64`): WardenCore's
/// ``JSONValue``. Encoding follows `json.Marshal` (``GoJSONEncoder``): object keys sorted, `<`, `>`, `&`, U+2028
/// and U+2029 escaped as `\u003c` … (unless `escapeHTML` is false, as sprig's `toRawJson`), floats in Go's shortest
/// form (`1e+21`, `1e-7`).
public typealias TemplateJSON = JSONValue

extension JSONValue {
    /// Parses JSON text with Go's rules (``TemplateJSONParser``); `nil` when it is not JSON (`json.Unmarshal` error).
    public static func parse(_ text: String) -> JSONValue? {
        TemplateJSONParser.parse(text)
    }
}

/// Go's `json.Marshal` / `json.MarshalIndent` of template values.
struct GoJSONEncoder {
    var escapeHTML = true
    var indent: String?
    /// Bytes of output beyond which encoding stops (indentation grows with depth × elements, so an indented value
    /// can be far larger than the value).
    var maximumLength = TemplateFunctions.maximumResult

    struct UnsupportedValue: Error {
        let message: String
        /// The output would exceed ``GoJSONEncoder/maximumLength`` (not a value Go would refuse).
        var isTooLong = false
    }

    func encode(_ value: TemplateValue) throws(UnsupportedValue) -> String {
        var out = ""
        try write(value, into: &out, depth: 0)
        return out
    }

    private func write(_ value: TemplateValue, into out: inout String, depth: Int) throws(UnsupportedValue) {
        switch value {
        case .missing, .null: out += "null"
        case .bool(let bool): out += bool ? "true" : "false"
        case .int(let int, _): out += String(int)
        case .float(let double):
            guard double.isFinite else { throw UnsupportedValue(message: "json: unsupported value: \(GoFloat.format(double, verb: "g"))") }
            out += GoFloat.json(double)
        case .string(let string): writeString(string, into: &out)
        case .opaque(_, let description): writeString(description, into: &out)
        case .time(let time): writeString(time.rfc3339Nano, into: &out)
        case .object(let object):
            let fields = object.fields.filter { !$0.jsonName.isEmpty && !($0.omitEmpty && $0.value.isEmpty) }
            if fields.isEmpty {
                out += "{}"
                return
            }
            out += "{"
            for (offset, field) in fields.enumerated() {
                if offset > 0 { out += "," }
                try newline(&out, depth: depth + 1)
                writeString(field.jsonName, into: &out)
                out += indent == nil ? ":" : ": "
                try write(field.value, into: &out, depth: depth + 1)
            }
            try newline(&out, depth: depth)
            out += "}"
        case .list(let values, _):
            if values.isEmpty {
                out += "[]"
                return
            }
            out += "["
            for (offset, element) in values.enumerated() {
                if offset > 0 { out += "," }
                try newline(&out, depth: depth + 1)
                try write(element, into: &out, depth: depth + 1)
            }
            try newline(&out, depth: depth)
            out += "]"
        case .map(let values, _):
            if values.isEmpty {
                out += "{}"
                return
            }
            out += "{"
            for (offset, key) in values.keys.sorted(by: GoString.less).enumerated() {
                if offset > 0 { out += "," }
                try newline(&out, depth: depth + 1)
                writeString(key, into: &out)
                out += indent == nil ? ":" : ": "
                try write(values[key] ?? .null, into: &out, depth: depth + 1)
            }
            try newline(&out, depth: depth)
            out += "}"
        }
    }

    private func newline(_ out: inout String, depth: Int) throws(UnsupportedValue) {
        guard let indent else { return }
        guard out.utf8.count + 1 + depth * indent.utf8.count <= maximumLength else {
            throw UnsupportedValue(message: "json: result longer than \(maximumLength) bytes", isTooLong: true)
        }
        out += "\n" + String(repeating: indent, count: depth)
    }

    private func writeString(_ string: String, into out: inout String) {
        out += "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<" where escapeHTML, ">" where escapeHTML, "&" where escapeHTML: out += "\\u00" + GoString.hex(scalar.value, width: 2)
            case "\u{2028}", "\u{2029}": out += "\\u" + GoString.hex(scalar.value, width: 4)
            default:
                if scalar.value < 0x20 {
                    out += "\\u00" + GoString.hex(scalar.value, width: 2)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}

extension TemplateValue {
    /// The value as Go's `json.Marshal` writes it (`null` for what JSON cannot hold, such as NaN).
    public var goJSON: String { (try? GoJSONEncoder().encode(self)) ?? "null" }
}
