import Foundation

/// A duration in Go's `time.ParseDuration` syntax ("5m", "24h", "1h30m", "300ms"), the syntax of every
/// duration in ca.json and in step's wire formats.
///
/// Stored as whole nanoseconds so values round-trip exactly.
public struct GoDuration: Hashable, Sendable, Comparable, CustomStringConvertible, Codable {
    public var nanoseconds: Int64

    public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }
    public init(seconds: Int64) { self.nanoseconds = seconds * 1_000_000_000 }
    public static func minutes(_ m: Int64) -> GoDuration { .init(seconds: m * 60) }
    public static func hours(_ h: Int64) -> GoDuration { .init(seconds: h * 3600) }

    public var seconds: Double { Double(nanoseconds) / 1e9 }

    private static let units: [(String, Int64)] = [
        ("ns", 1), ("us", 1_000), ("µs", 1_000), ("μs", 1_000), ("ms", 1_000_000),
        ("s", 1_000_000_000), ("m", 60_000_000_000), ("h", 3_600_000_000_000),
    ]

    /// Parses Go duration syntax. Returns nil for anything Go would reject.
    public init?(parsing text: String) {
        var s = Substring(text)
        var negative = false
        if s.first == "-" || s.first == "+" {
            negative = s.first == "-"
            s = s.dropFirst()
        }
        if s == "0" {
            self.nanoseconds = 0
            return
        }
        if s.isEmpty { return nil }
        var total: Double = 0
        while !s.isEmpty {
            let number = s.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard !number.isEmpty, number != ".", number.filter({ $0 == "." }).count <= 1,
                let value = Double(number.hasPrefix(".") ? "0" + number : String(number))
            else { return nil }
            s = s.dropFirst(number.count)
            let unitText = s.prefix { !($0.isASCII && ($0.isNumber || $0 == ".")) }
            guard let unit = Self.units.first(where: { $0.0 == unitText }) else { return nil }
            s = s.dropFirst(unitText.count)
            total += value * Double(unit.1)
            guard total < Double(Int64.max) else { return nil }
        }
        self.nanoseconds = Int64(total.rounded()) * (negative ? -1 : 1)
    }

    /// Go's canonical `Duration.String()` form, e.g. "5m0s", "24h0m0s", "1.5s".
    public var description: String {
        if nanoseconds == 0 { return "0s" }
        var n = nanoseconds.magnitude
        let sign = nanoseconds < 0 ? "-" : ""
        if n < 1_000_000_000 {
            if n < 1_000 { return "\(sign)\(n)ns" }
            if n < 1_000_000 { return sign + Self.fraction(n, 1_000) + "µs" }
            return sign + Self.fraction(n, 1_000_000) + "ms"
        }
        let hours = n / 3_600_000_000_000
        n -= hours * 3_600_000_000_000
        let minutes = n / 60_000_000_000
        n -= minutes * 60_000_000_000
        var out = sign
        if hours > 0 { out += "\(hours)h" }
        if hours > 0 || minutes > 0 { out += "\(minutes)m" }
        out += Self.fraction(n, 1_000_000_000) + "s"
        return out
    }

    private static func fraction(_ value: UInt64, _ unit: UInt64) -> String {
        let whole = value / unit
        var rest = value % unit
        if rest == 0 { return "\(whole)" }
        var digits = ""
        var scale = unit / 10
        while rest > 0 && scale > 0 {
            digits += "\(rest / scale)"
            rest %= scale
            scale /= 10
        }
        return "\(whole).\(digits)"
    }

    public static func < (lhs: GoDuration, rhs: GoDuration) -> Bool { lhs.nanoseconds < rhs.nanoseconds }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let parsed = GoDuration(parsing: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "invalid duration \"\(text)\"")
        }
        self = parsed
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
