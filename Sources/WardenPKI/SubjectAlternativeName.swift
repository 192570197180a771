import Foundation
import SwiftASN1
import WardenCore
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
        } else if let url = URL(string: value), let scheme = url.scheme, !scheme.isEmpty,
            value.contains("://") || value.hasPrefix("urn:") || value.hasPrefix("spiffe:")
        {
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
