/// An IP network in CIDR form (`10.0.0.0/8`, `2001:db8::/32`), or a single address (a /32 or /128).
///
/// Used by name constraints in templates and by policies (step's `ips` rules). The address is masked to the prefix
/// (`10.1.2.3/8` is `10.0.0.0/8`), as Go's `net.ParseCIDR` returns the network.
public struct IPNetwork: Sendable, Hashable, CustomStringConvertible {
    /// Network address bytes (4 or 16), masked.
    public let address: [UInt8]
    public let prefixLength: Int

    /// Parses `address/prefix` or a bare address; nil when either part is not valid.
    public init?(cidr text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let bytes = IPAddressText.bytes(String(parts[0])) else { return nil }
        let bits = bytes.count * 8
        var length = bits
        if parts.count == 2 {
            guard let parsed = Int(parts[1]), parsed >= 0, parsed <= bits, parts[1].allSatisfy(\.isASCII) else { return nil }
            length = parsed
        }
        prefixLength = length
        address = Self.mask(bytes, length)
    }

    private static func mask(_ bytes: [UInt8], _ length: Int) -> [UInt8] {
        bytes.enumerated().map { index, byte in
            let remaining = length - index * 8
            if remaining >= 8 { return byte }
            if remaining <= 0 { return 0 }
            return byte & UInt8(truncatingIfNeeded: 0xFF << (8 - remaining))
        }
    }

    /// The netmask bytes (`255.0.0.0` for a /8).
    public var mask: [UInt8] { Self.mask([UInt8](repeating: 0xFF, count: address.count), prefixLength) }

    /// Whether `bytes` (4 or 16 bytes) lies in the network; an IPv4 address never lies in an IPv6 network.
    public func contains(_ bytes: [UInt8]) -> Bool {
        bytes.count == address.count && Self.mask(bytes, prefixLength) == address
    }

    public func contains(_ text: String) -> Bool {
        guard let bytes = IPAddressText.bytes(text) else { return false }
        return contains(bytes)
    }

    public var description: String { "\(IPAddressText.text(address) ?? "?")/\(prefixLength)" }
}
