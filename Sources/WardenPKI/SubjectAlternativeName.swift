import Foundation
import SwiftASN1
import X509

/// One subject alternative name, classified the way step's `x509util.SplitSANs` does: an IP if it parses as
/// one, else a URI if it has a scheme, else an email if it contains "@", else a DNS name.
public enum SubjectAlternativeName: Hashable, Sendable, CustomStringConvertible {
    case dns(String)
    case ip(String)
    case email(String)
    case uri(String)

    public init(classifying value: String) {
        if IPAddressText.bytes(value) != nil {
            self = .ip(IPAddressText.canonical(value) ?? value)
        } else if let url = URL(string: value), let scheme = url.scheme, !scheme.isEmpty, value.contains("://") || value.hasPrefix("urn:") || value.hasPrefix("spiffe:") {
            self = .uri(value)
        } else if value.contains("@") {
            self = .email(value)
        } else {
            self = .dns(value)
        }
    }

    /// Nil for name forms step ignores (directory names, other names, ...).
    public init?(_ generalName: GeneralName) {
        switch generalName {
        case .dnsName(let name): self = .dns(name)
        case .rfc822Name(let name): self = .email(name)
        case .uniformResourceIdentifier(let uri): self = .uri(uri)
        case .ipAddress(let octets):
            guard let text = IPAddressText.text(Array(octets.bytes)) else { return nil }
            self = .ip(text)
        default: return nil
        }
    }

    public var value: String {
        switch self {
        case .dns(let v), .ip(let v), .email(let v), .uri(let v): v
        }
    }

    public var description: String { value }

    public var generalName: GeneralName {
        switch self {
        case .dns(let v): .dnsName(v)
        case .email(let v): .rfc822Name(v)
        case .uri(let v): .uniformResourceIdentifier(v)
        case .ip(let v): .ipAddress(ASN1OctetString(contentBytes: (IPAddressText.bytes(v) ?? [])[...]))
        }
    }
}

/// Text ↔ bytes for IPv4 and IPv6 addresses, via the C library's inet_pton/inet_ntop.
enum IPAddressText {
    static func bytes(_ text: String) -> [UInt8]? {
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

    static func text(_ bytes: [UInt8]) -> String? {
        var buffer = [CChar](repeating: 0, count: 64)
        let family = bytes.count == 4 ? AF_INET : bytes.count == 16 ? AF_INET6 : -1
        guard family != -1 else { return nil }
        let ok = bytes.withUnsafeBytes { raw in
            inet_ntop(family, raw.baseAddress, &buffer, socklen_t(buffer.count)) != nil
        }
        guard ok else { return nil }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func canonical(_ text: String) -> String? {
        bytes(text).flatMap(self.text)
    }
}
