import Foundation

/// Text ↔ bytes for IPv4 and IPv6 addresses, via the C library's inet_pton/inet_ntop.
public enum IPAddressText {
    /// 4 bytes for dotted-quad IPv4, 16 for IPv6 (optionally in brackets); nil for anything else.
    public static func bytes(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if text.withCString({ inet_pton(AF_INET, $0, &v4) }) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        let stripped = text.hasPrefix("[") && text.hasSuffix("]") ? String(text.dropFirst().dropLast()) : text
        if stripped.withCString({ inet_pton(AF_INET6, $0, &v6) }) == 1 {
            return withUnsafeBytes(of: &v6) { Array($0) }
        }
        return nil
    }

    /// inet_ntop's text of 4 or 16 bytes; nil for other lengths.
    public static func text(_ bytes: [UInt8]) -> String? {
        var buffer = [CChar](repeating: 0, count: 64)
        let family = bytes.count == 4 ? AF_INET : bytes.count == 16 ? AF_INET6 : -1
        guard family != -1 else { return nil }
        let ok = bytes.withUnsafeBytes { raw in
            inet_ntop(family, raw.baseAddress, &buffer, socklen_t(buffer.count)) != nil
        }
        guard ok else { return nil }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The text as inet_ntop writes it (`::1`, lowercase hex), or nil if `text` is not an address.
    public static func canonical(_ text: String) -> String? {
        bytes(text).flatMap(self.text)
    }
}
