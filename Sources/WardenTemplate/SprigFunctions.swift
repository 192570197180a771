import Foundation
import WardenCore

/// The sprig (v3) functions Warden implements, with sprig's argument order and Go's results, including its quirks
/// (`get` of a missing key is `""`, `b64dec` of bad input returns the error text, integer arithmetic wraps).
///
/// Not implemented, and so refused when a template is parsed: random functions (`rand*`, `uuidv4`), `ago`,
/// `durationRound`, cryptography (`genCA`, `bcrypt`, `sha*sum`, `encryptAES`, …), `semver*`, `url*`,
/// `merge*`, `values`, `deepCopy`, `getHostByName`, `env`, `expandenv`, and the case converters of `xstrings`.
extension TemplateFunctions {
    public static let sprig: [String: TemplateFunction] = {
        var functions: [String: TemplateFunction] = [:]
        functions.merge(sprigStrings) { first, _ in first }
        functions.merge(sprigLists) { first, _ in first }
        functions.merge(sprigDictionaries) { first, _ in first }
        functions.merge(sprigValues) { first, _ in first }
        functions.merge(sprigRegularExpressions) { first, _ in first }
        functions.merge(sprigTime) { first, _ in first }
        // sprig's second names for the same functions.
        for (alias, name) in ["tuple": "list", "push": "append", "trimall": "trimAll", "date_in_zone": "dateInZone", "biggest": "max"] {
            functions[alias] = functions[name]
        }
        return functions
    }()

    /// sprig's `strval`: strings as they are, anything else in `%v`.
    static func stringValue(_ value: TemplateValue) -> String {
        if case .string(let text) = value { return text }
        return GoFormat.format(value, verb: "v")
    }

    /// spf13/cast's `ToInt64`: integers, floats truncated, strings parsed (base prefixes allowed), booleans 0/1, else 0.
    static func int64Value(_ value: TemplateValue) -> Int64 {
        switch value {
        case .int(let int, _): return int
        case .float(let double): return goTruncate(double)
        case .bool(let bool): return bool ? 1 : 0
        case .string(let text):
            var trimmed = text
            if let dot = trimmed.firstIndex(of: "."), trimmed[trimmed.index(after: dot)...].allSatisfy({ $0 == "0" }),
                trimmed.index(after: dot) != trimmed.endIndex || true
            {
                trimmed = String(trimmed[..<dot])
            }
            let number = try? TemplateLiteral.number(
                TemplateToken(kind: .number, text: trimmed, position: SourcePosition(line: 1, column: 1)), templateName: "")
            guard let number, !number.isFloatSyntax, let integer = number.integer, !trimmed.contains("_") else { return 0 }
            return integer
        default: return 0
        }
    }

    /// Go's `int64(f)` on amd64: out-of-range and NaN give the most negative value, never a trap.
    static func goTruncate(_ double: Double) -> Int64 {
        guard double.isFinite, double > -9_223_372_036_854_775_808.0, double < 9_223_372_036_854_775_808.0 else { return Int64.min }
        return Int64(double.rounded(.towardZero))
    }

    /// spf13/cast's `ToFloat64`.
    static func float64Value(_ value: TemplateValue) -> Double {
        switch value {
        case .int(let int, _): return Double(int)
        case .float(let double): return double
        case .bool(let bool): return bool ? 1 : 0
        case .string(let text): return Double(text.trimmingCharacters(in: .whitespaces) == text ? text : "") ?? 0
        default: return 0
        }
    }

    /// sprig's `strslice`: a slice's non-nil elements as strings, a nil as no strings, anything else as one string.
    static func stringSlice(_ value: TemplateValue) -> [String] {
        switch value {
        case .list(let values, _): return values.filter { $0 != .null && $0 != .missing }.map(stringValue)
        case .null, .missing: return []
        default: return [stringValue(value)]
        }
    }

    /// The elements of a slice argument, or sprig's error for another kind (`Cannot find first on type string`).
    static func elements(_ value: TemplateValue, _ verb: String) throws(Failure) -> [TemplateValue] {
        if let values = value.listElements { return values }
        throw Failure("Cannot \(verb) on type \(value.goKindName)")
    }
}
