import Foundation
import SwiftASN1
import WardenCore
import X509

/// The name constraints (RFC 5280 §4.2.1.10) of the CA certificates above a leaf: a name they forbid would
/// make the certificate fail verification everywhere, so the CA refuses to issue it (400 naming the name and
/// the constraint) instead of issuing something that cannot verify.
///
/// Each CA certificate's constraints apply on their own: for every name form it constrains with permitted
/// subtrees the name must fall within one of them, and it must fall within none of its excluded subtrees.
/// DNS names and URI hosts match a constraint equal to them or a parent domain (a leading "." means strictly
/// below it); email constraints are a mailbox, a host (`example.com`) or a domain below (`.example.com`); IP
/// constraints are address and mask.
public struct CANameConstraints: Sendable {
    struct Constrained: Sendable {
        var issuer: String
        var constraints: NameConstraints
    }

    let constrained: [Constrained]

    /// The constraints of `chain` (the issuing CA first, then its issuers); certificates without them are skipped.
    public init(chain: [Certificate]) {
        constrained = chain.compactMap { certificate in
            guard let ext = certificate.extensions.first(where: { $0.oid == .X509ExtensionID.nameConstraints }),
                let constraints = try? NameConstraints(ext)
            else { return nil }
            let name = certificate.subject.description
            return Constrained(issuer: name, constraints: constraints)
        }
    }

    public var isEmpty: Bool { constrained.isEmpty }

    /// Refuses the first name a CA's constraints forbid.
    public func check(_ names: [SubjectAlternativeName]) throws(WardenError) {
        for name in names {
            for ca in constrained {
                let permitted = ca.constraints.permittedSubtrees.filter { Self.sameForm($0, name) }
                if !permitted.isEmpty && !permitted.contains(where: { Self.matches(name, $0) }) {
                    throw .badRequest(
                        "\(Self.form(name)) \"\(name.value)\" is not permitted by the name constraints of \(ca.issuer) (permitted: \(permitted.map(Self.describe).joined(separator: ", ")))"
                    )
                }
                if let excluded = ca.constraints.excludedSubtrees.first(where: { Self.sameForm($0, name) && Self.matches(name, $0) }) {
                    throw .badRequest(
                        "\(Self.form(name)) \"\(name.value)\" is excluded by the name constraints of \(ca.issuer) (excluded: \(Self.describe(excluded)))"
                    )
                }
            }
        }
    }

    static func form(_ name: SubjectAlternativeName) -> String {
        switch name {
        case .dns: "dns name"
        case .email: "email address"
        case .ip: "ip address"
        case .uri: "uri"
        }
    }

    static func sameForm(_ constraint: GeneralName, _ name: SubjectAlternativeName) -> Bool {
        switch (constraint, name) {
        case (.dnsName, .dns), (.rfc822Name, .email), (.ipAddress, .ip), (.uniformResourceIdentifier, .uri): true
        default: false
        }
    }

    static func describe(_ constraint: GeneralName) -> String {
        switch constraint {
        case .dnsName(let value), .rfc822Name(let value), .uniformResourceIdentifier(let value): return value
        case .ipAddress(let octets):
            let bytes = Array(octets.bytes)
            let half = bytes.count / 2
            let address = IPAddressText.text(Array(bytes.prefix(half))) ?? "?"
            let bits = bytes.suffix(half).reduce(0) { $0 + $1.nonzeroBitCount }
            return "\(address)/\(bits)"
        default: return "\(constraint)"
        }
    }

    static func matches(_ name: SubjectAlternativeName, _ constraint: GeneralName) -> Bool {
        switch (name, constraint) {
        case (.dns(let value), .dnsName(let domain)):
            return domainMatches(value, domain)
        case (.uri(let value), .uniformResourceIdentifier(let domain)):
            guard let host = URLComponents(string: value)?.host else { return false }
            return domainMatches(host, domain)
        case (.email(let value), .rfc822Name(let constraint)):
            let lowered = value.lowercased()
            let wanted = constraint.lowercased()
            if wanted.contains("@") { return lowered == wanted }
            guard let at = lowered.lastIndex(of: "@") else { return false }
            let host = String(lowered[lowered.index(after: at)...])
            return wanted.hasPrefix(".") ? host.hasSuffix(wanted) : host == wanted
        case (.ip(let value), .ipAddress(let octets)):
            let range = Array(octets.bytes)
            guard let address = IPAddressText.bytes(value), range.count == address.count * 2 else { return false }
            let mask = range.suffix(address.count)
            return zip(zip(address, range.prefix(address.count)), mask).allSatisfy { pair, bits in pair.0 & bits == pair.1 & bits }
        default:
            return false
        }
    }

    /// `domain` permits itself and everything below it; `.domain` only what is below it; "" everything.
    static func domainMatches(_ name: String, _ domain: String) -> Bool {
        let name = name.lowercased()
        let domain = domain.lowercased()
        if domain.isEmpty { return true }
        if domain.hasPrefix(".") { return name.hasSuffix(domain) }
        return name == domain || name.hasSuffix("." + domain)
    }
}
