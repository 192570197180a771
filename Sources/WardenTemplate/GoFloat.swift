import Foundation

/// Go's formatting of `float64` (`strconv.FormatFloat` with precision -1, `fmt`'s `%v`, `encoding/json`).
enum GoFloat {
    /// The shortest decimal digits that round-trip, with the decimal point position: value = 0.d₁d₂… × 10^point.
    struct Decimal {
        var digits: [UInt8]
        var point: Int
        var negative: Bool
    }

    static func shortest(_ value: Double) -> Decimal {
        let negative = value.sign == .minus
        if value == 0 { return Decimal(digits: [], point: 0, negative: negative) }
        // Swift's description is the shortest round-tripping representation, like Go's.
        var text = "\(abs(value))"
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(text[text.index(after: e)...]) ?? 0
            text = String(text[..<e])
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        let integral = Array(parts[0].utf8).map { $0 - 48 }
        let fraction = parts.count > 1 ? Array(parts[1].utf8).map { $0 - 48 } : []
        var digits = integral + fraction
        var point = integral.count + exponent
        while let first = digits.first, first == 0 {
            digits.removeFirst()
            point -= 1
        }
        while let last = digits.last, last == 0 { digits.removeLast() }
        return Decimal(digits: digits, point: point, negative: negative)
    }

    /// `strconv.FormatFloat(v, verb, -1, 64)` for verb `e`, `f` or `g` (shortest); `fmt` adds `+Inf`, `NaN`.
    static func format(_ value: Double, verb: Character) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Inf" : "+Inf" }
        let decimal = shortest(value)
        let sign = decimal.negative ? "-" : ""
        switch verb {
        case "e": return sign + exponential(decimal)
        case "f": return sign + fixed(decimal)
        default:
            let exponent = decimal.digits.isEmpty ? 0 : decimal.point - 1
            // strconv: %e when the exponent is below -4 or at least 6 (the precision Go uses for this when shortest).
            if exponent < -4 || exponent >= 6 { return sign + exponential(decimal) }
            return sign + fixed(decimal)
        }
    }

    /// `encoding/json`'s float: `f` unless below 1e-6 or from 1e21, then `e` with a one-digit negative exponent kept short.
    static func json(_ value: Double) -> String {
        let magnitude = abs(value)
        if magnitude != 0 && (magnitude < 1e-6 || magnitude >= 1e21) {
            var text = format(value, verb: "e")
            if let range = text.range(of: "e-0") { text.replaceSubrange(range, with: "e-") }
            return text
        }
        return format(value, verb: "f")
    }

    private static func exponential(_ decimal: Decimal) -> String {
        let digits = decimal.digits.isEmpty ? [0] : decimal.digits
        var out = String(digits[0])
        if digits.count > 1 { out += "." + digits[1...].map(String.init).joined() }
        let exponent = decimal.digits.isEmpty ? 0 : decimal.point - 1
        out += exponent < 0 ? "e-" : "e+"
        let magnitude = abs(exponent)
        out += magnitude < 10 ? "0\(magnitude)" : "\(magnitude)"
        return out
    }

    private static func fixed(_ decimal: Decimal) -> String {
        let digits = decimal.digits
        if digits.isEmpty { return "0" }
        if decimal.point <= 0 {
            return "0." + String(repeating: "0", count: -decimal.point) + digits.map(String.init).joined()
        }
        if decimal.point >= digits.count {
            return digits.map(String.init).joined() + String(repeating: "0", count: decimal.point - digits.count)
        }
        return digits[..<decimal.point].map(String.init).joined() + "." + digits[decimal.point...].map(String.init).joined()
    }

    /// A C-style conversion with an explicit precision (`%.2f`, `%.3e`, `%.4g`): glibc rounds correctly, as Go does.
    static func format(_ value: Double, verb: Character, precision: Int, alternate: Bool) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Inf" : "+Inf" }
        let bounded = min(max(precision, 0), 300)
        return String(format: "%\(alternate ? "#" : "").\(bounded)\(verb)", value)
    }
}
