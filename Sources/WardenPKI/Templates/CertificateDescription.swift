import Foundation
import SwiftASN1
import WardenCore
import WardenTemplate
import X509

/// What an X.509 template renders: step's certificate JSON (`go.step.sm/crypto/x509util.Certificate`).
///
/// Keys are matched case-insensitively, as Go's `encoding/json` matches struct fields; list fields accept a single
/// string too (step's `MultiString`). Fields the CA decides itself are read and ignored, as documented in the README:
/// `serialNumber`, `issuer`, `subjectKeyId`, `authorityKeyId`, `signatureAlgorithm`. Unknown keys are ignored, as
/// step ignores them. Every error names the field (`keyUsage: unsupported keyUsage "signing"`).
public struct CertificateDescription: Sendable, Equatable {
    public var subject = NameDescription()
    public var dnsNames: [String] = []
    public var emailAddresses: [String] = []
    public var ipAddresses: [String] = []
    public var uris: [String] = []
    /// `sans` with their types (`dns`, `email`, `ip`, `uri`, `auto` or empty for step's classification).
    public var sans: [SubjectAlternativeName] = []
    public var keyUsage: KeyUsage?
    public var extKeyUsage: [ExtendedKeyUsage.Usage] = []
    public var basicConstraints: BasicConstraintsDescription?
    public var nameConstraints: NameConstraintsDescription?
    public var crlDistributionPoints: [String] = []
    public var issuingCertificateURL: [String] = []
    public var ocspServer: [String] = []
    public var policyIdentifiers: [ASN1ObjectIdentifier] = []
    /// Raw extensions (`{"id": "1.2.3.4", "critical": false, "value": "<base64 DER>"}`), added as given.
    public var extensions: [Certificate.Extension] = []

    public struct NameDescription: Sendable, Equatable {
        public var country: [String] = []
        public var organization: [String] = []
        public var organizationalUnit: [String] = []
        public var locality: [String] = []
        public var province: [String] = []
        public var streetAddress: [String] = []
        public var postalCode: [String] = []
        public var serialNumber = ""
        public var commonName = ""
        /// Further attributes by OID (`extraNames`, or the list form's entries Warden has no field for).
        public var extraNames: [(ASN1ObjectIdentifier, String)] = []

        public init() {}

        public var isEmpty: Bool {
            country.isEmpty && organization.isEmpty && organizationalUnit.isEmpty && locality.isEmpty && province.isEmpty
                && streetAddress.isEmpty && postalCode.isEmpty && serialNumber.isEmpty && commonName.isEmpty && extraNames.isEmpty
        }

        public static func == (lhs: NameDescription, rhs: NameDescription) -> Bool {
            lhs.country == rhs.country && lhs.organization == rhs.organization && lhs.organizationalUnit == rhs.organizationalUnit
                && lhs.locality == rhs.locality && lhs.province == rhs.province && lhs.streetAddress == rhs.streetAddress
                && lhs.postalCode == rhs.postalCode && lhs.serialNumber == rhs.serialNumber && lhs.commonName == rhs.commonName
                && lhs.extraNames.map(\.0) == rhs.extraNames.map(\.0) && lhs.extraNames.map(\.1) == rhs.extraNames.map(\.1)
        }
    }

    public struct BasicConstraintsDescription: Sendable, Equatable {
        public var isCA: Bool
        /// step's convention: 0 means "no CA may follow" (pathLenConstraint 0), negative means no limit.
        public var maxPathLength: Int
    }

    public struct NameConstraintsDescription: Sendable, Equatable {
        public var critical = false
        public var permittedDNSDomains: [String] = []
        public var excludedDNSDomains: [String] = []
        /// CIDR texts (`10.0.0.0/8`).
        public var permittedIPRanges: [String] = []
        public var excludedIPRanges: [String] = []
        public var permittedEmailAddresses: [String] = []
        public var excludedEmailAddresses: [String] = []
        public var permittedURIDomains: [String] = []
        public var excludedURIDomains: [String] = []
    }

    public init() {}

    /// Every subject alternative name the certificate will carry, as Go's `x509.CreateCertificate` writes them
    /// from step's fields: DNS names (`dnsNames`, then `sans` of type dns), email addresses, IP addresses, URIs —
    /// in that order, repeats kept (step-ca keeps them too; the peer test compares).
    public var allSANs: [SubjectAlternativeName] {
        var dns = dnsNames.map(SubjectAlternativeName.dns)
        var emails = emailAddresses.map(SubjectAlternativeName.email)
        var addresses = ipAddresses.map { SubjectAlternativeName.ip(IPAddressText.canonical($0) ?? $0) }
        var identifiers = uris.map(SubjectAlternativeName.uri)
        for name in sans {
            switch name {
            case .dns: dns.append(name)
            case .email: emails.append(name)
            case .ip: addresses.append(name)
            case .uri: identifiers.append(name)
            }
        }
        return dns + emails + addresses + identifiers
    }

    /// Decodes the rendered text. Throws a 400 naming the field (the template produced it, so it is the operator's
    /// or the requester's mistake, never the CA's).
    public init(rendered text: String) throws(WardenError) {
        guard let json = TemplateJSON.parse(text) else {
            throw .badRequest("the template did not render a JSON object: \(Self.excerpt(text))")
        }
        guard case .object(let object) = json else { throw .badRequest("the template rendered JSON that is not an object") }
        try self.init(object: object)
    }

    private static func excerpt(_ text: String) -> String {
        let flat = text.replacingOccurrences(of: "\n", with: " ").trimmingCharacters(in: .whitespaces)
        return flat.count > 120 ? "\"\(flat.prefix(120))…\"" : "\"\(flat)\""
    }
}
