import Foundation

/// How the inventory reads its search text (`q`), decided once per query.
///
/// - An IPv4 prefix as written (`10.3.7`, `10.3.7.`, `10.3.7.5`; at least one dot), a CIDR block (`10.3.0.0/16`,
///   `fd00::/8`) or a whole IPv6 address matches certificates with an IP SAN in that range, through an index over
///   the addresses as `inet` (``addressRanges``). An IPv4 prefix is one as written: `10.3.7` finds 10.3.7.x and
///   10.3.70–79.x, `10.3.7.5` finds .5 and .50–.59 (a `/32` block finds one address).
/// - Anything else is a case-insensitive substring of the subject or a SAN (``text``, a trigram index) and, when it
///   is long enough to be selective (``minimumSerialDigits`` significant digits), also a serial number prefix
///   (``serialRanges``): decimal digits as step prints serials; hex as openssl prints them (`0x` optional,
///   colons allowed), a prefix of the even-length hex form, so `04d2` finds serial 1234 and `4d2` does not.
public struct CertificateSearchTerm: Sendable, Hashable {
    /// An inclusive range: serial numbers in canonical decimal, or IP addresses as inet_ntop writes them (both
    /// ends of the same family).
    public struct Bounds: Sendable, Hashable {
        public var lowest: String
        public var highest: String

        public init(lowest: String, highest: String) {
            self.lowest = lowest
            self.highest = highest
        }
    }

    /// Lowercased substring of the subject or any SAN; nil when the text is an address or address range.
    public var text: String?
    public var serialRanges: [Bounds]
    public var addressRanges: [Bounds]

    /// Fewer significant digits would select too large a share of a big inventory to be worth an index scan.
    public static let minimumSerialDigits = 4
    /// RFC 5280 §4.1.2.2: at most 20 octets, so 40 hex digits or 49 decimal ones.
    static let maximumHexDigits = 40
    static let maximumDecimalDigits = 49

    public init(_ query: String) {
        if let ranges = Self.addressRanges(query) {
            self.text = nil
            self.serialRanges = []
            self.addressRanges = ranges
        } else {
            self.text = query.lowercased()
            self.serialRanges = Self.serialRanges(query)
            self.addressRanges = []
        }
    }

    // MARK: Serial numbers

    static func serialRanges(_ query: String) -> [Bounds] {
        var hex = query.lowercased()
        let explicitHex = hex.hasPrefix("0x") || hex.contains(":")
        if hex.hasPrefix("0x") { hex.removeFirst(2) }
        hex = hex.replacingOccurrences(of: ":", with: "")
        var ranges: [Bounds] = []
        if !explicitHex, query.allSatisfy({ $0.isASCII && $0.isNumber }), !query.hasPrefix("0"), query.count >= minimumSerialDigits,
            query.count <= maximumDecimalDigits
        {
            for extra in 0...(maximumDecimalDigits - query.count) {
                let zeros = String(repeating: "0", count: extra)
                let nines = String(repeating: "9", count: extra)
                ranges.append(Bounds(lowest: query + zeros, highest: query + nines))
            }
        }
        let significant = hex.drop { $0 == "0" }.count
        guard !hex.isEmpty, hex.allSatisfy(\.isHexDigit), significant >= minimumSerialDigits, hex.count <= maximumHexDigits else {
            return ranges
        }
        // The even-length (whole bytes) hex form starts with `hex`: `hex` followed by an odd or even number of digits.
        for extra in stride(from: hex.count % 2, through: maximumHexDigits - hex.count, by: 2) {
            let low = hex + String(repeating: "0", count: extra)
            let high = hex + String(repeating: "f", count: extra)
            guard let lowest = SerialNumber(hex: low), let highest = SerialNumber(hex: high) else { continue }
            // Leading zero bytes beyond the first digit pair are not part of any serial's hex form.
            if low.hasPrefix("00") { continue }
            ranges.append(Bounds(lowest: lowest.decimal, highest: highest.decimal))
        }
        return ranges
    }

    // MARK: IP addresses

    static func addressRanges(_ query: String) -> [Bounds]? {
        if query.contains("/") { return cidrRange(query).map { [$0] } }
        if query.contains(":") {
            guard let canonical = IPAddressText.canonical(query) else { return nil }
            return [Bounds(lowest: canonical, highest: canonical)]
        }
        return ipv4PrefixRanges(query)
    }

    /// `address/length`: the block's first and last address.
    static func cidrRange(_ query: String) -> Bounds? {
        let parts = query.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let bytes = IPAddressText.bytes(String(parts[0])), parts[1].allSatisfy({ $0.isASCII && $0.isNumber }),
            parts[1].count <= 3, let length = Int(parts[1]), length <= bytes.count * 8
        else { return nil }
        var low = bytes
        var high = bytes
        for bit in length..<(bytes.count * 8) {
            let mask = UInt8(0x80) >> UInt8(bit % 8)
            low[bit / 8] &= ~mask
            high[bit / 8] |= mask
        }
        guard let lowest = IPAddressText.text(low), let highest = IPAddressText.text(high) else { return nil }
        return Bounds(lowest: lowest, highest: highest)
    }

    /// A dotted-decimal IPv4 prefix as written: complete octets, then optionally the first digits of the next.
    static func ipv4PrefixRanges(_ query: String) -> [Bounds]? {
        guard query.contains("."), query.allSatisfy({ $0 == "." || ($0.isASCII && $0.isNumber) }) else { return nil }
        var groups = query.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        let partial: String?
        if groups.last == "" {
            groups.removeLast()
            partial = nil
        } else {
            partial = groups.removeLast()
        }
        guard !groups.isEmpty || partial != nil, groups.count + (partial == nil ? 0 : 1) <= 4 else { return nil }
        var octets: [UInt8] = []
        for group in groups {
            guard (1...3).contains(group.count), let value = UInt8(group), String(value) == group else { return nil }
            octets.append(value)
        }
        guard let partial else {
            guard octets.count < 4 else { return nil }  // "1.2.3.4." is not an address
            return [Self.ipv4Range(octets, first: 0, last: 255)]
        }
        guard (1...3).contains(partial.count), let start = Int(partial), String(start) == partial, start <= 255 else { return nil }
        if octets.count == 3 && partial.count == 3 { return [Self.ipv4Range(octets, first: UInt8(start), last: UInt8(start))] }
        // The octets whose decimal text starts with `partial`: itself, then the 10 and 100 that extend it.
        var ranges = [Self.ipv4Range(octets, first: UInt8(start), last: UInt8(start))]
        if start > 0 {
            for scale in [10, 100] where start * scale <= 255 {
                ranges.append(Self.ipv4Range(octets, first: UInt8(start * scale), last: UInt8(min(start * scale + scale - 1, 255))))
            }
        }
        return ranges
    }

    /// Addresses starting with `octets`, then an octet in `first...last`, then anything.
    static func ipv4Range(_ octets: [UInt8], first: UInt8, last: UInt8) -> Bounds {
        let fixed = octets.count < 4 ? octets + [first] : octets
        let highFixed = octets.count < 4 ? octets + [last] : octets
        let padding = 4 - fixed.count
        let low = fixed + Array(repeating: 0, count: padding)
        let high = highFixed + Array(repeating: 255, count: padding)
        return Bounds(lowest: IPAddressText.text(low) ?? "0.0.0.0", highest: IPAddressText.text(high) ?? "255.255.255.255")
    }
}
