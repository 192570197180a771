import Foundation

/// A certificate serial number: a positive big integer carried as big-endian bytes.
///
/// step's wire formats speak serials in decimal (`/revoke`, the database keys); operators paste hex from
/// `openssl x509 -serial`. Both forms parse here, and the decimal form is canonical.
public struct SerialNumber: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// Big-endian magnitude without leading zero bytes.
    public let bytes: [UInt8]

    public init(bytes: some Sequence<UInt8>) {
        let array = Array(bytes)
        self.bytes = Array(array.drop { $0 == 0 })
    }

    /// Parses decimal ("1234"), or hex with a `0x` prefix ("0x4d2") or colons ("04:d2").
    public init?(parsing text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.lowercased().hasPrefix("0x") {
            self.init(hex: String(trimmed.dropFirst(2)))
        } else if trimmed.contains(":") {
            self.init(hex: trimmed.replacingOccurrences(of: ":", with: ""))
        } else {
            self.init(decimal: trimmed)
        }
    }

    public init?(decimal: String) {
        guard !decimal.isEmpty, decimal.count <= 80, decimal.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        var magnitude: [UInt8] = []  // little-endian base 256
        for digit in decimal.utf8 {
            var carry = UInt32(digit - 48)
            for i in magnitude.indices {
                let value = UInt32(magnitude[i]) * 10 + carry
                magnitude[i] = UInt8(value & 0xff)
                carry = value >> 8
            }
            while carry > 0 {
                magnitude.append(UInt8(carry & 0xff))
                carry >>= 8
            }
        }
        self.init(bytes: magnitude.reversed())
    }

    public init?(hex: String) {
        guard !hex.isEmpty, hex.count <= 64, hex.allSatisfy(\.isHexDigit) else { return nil }
        let padded = hex.count % 2 == 1 ? "0" + hex : hex
        var out: [UInt8] = []
        var index = padded.startIndex
        while index < padded.endIndex {
            let next = padded.index(index, offsetBy: 2)
            guard let byte = UInt8(padded[index..<next], radix: 16) else { return nil }
            out.append(byte)
            index = next
        }
        self.init(bytes: out)
    }

    /// The canonical decimal form.
    public var decimal: String {
        if bytes.isEmpty { return "0" }
        var magnitude = bytes
        var digits: [UInt8] = []
        while !magnitude.isEmpty {
            var remainder: UInt32 = 0
            var quotient: [UInt8] = []
            quotient.reserveCapacity(magnitude.count)
            for byte in magnitude {
                let value = remainder << 8 | UInt32(byte)
                let q = value / 10
                remainder = value % 10
                if !(quotient.isEmpty && q == 0) { quotient.append(UInt8(q)) }
            }
            digits.append(UInt8(remainder) + 48)
            magnitude = quotient
        }
        return String(decoding: digits.reversed(), as: UTF8.self)
    }

    /// Lowercase hex without separators or prefix.
    public var hex: String {
        if bytes.isEmpty { return "00" }
        return bytes.map { byte in
            let s = String(byte, radix: 16)
            return s.count == 1 ? "0" + s : s
        }.joined()
    }

    public var description: String { decimal }

    public static func < (lhs: SerialNumber, rhs: SerialNumber) -> Bool {
        if lhs.bytes.count != rhs.bytes.count { return lhs.bytes.count < rhs.bytes.count }
        return lhs.bytes.lexicographicallyPrecedes(rhs.bytes)
    }
}
