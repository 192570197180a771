import Foundation
import SwiftASN1
import WardenCore
import X509

extension CertificateDescription {
    /// The subject in Go's `pkix.Name.ToRDNSequence` order (C, ST, L, street, postalCode, O, OU, CN, serialNumber,
    /// then extra names), several values of one attribute in one RDN, PrintableString where the text allows it.
    public func distinguishedName() throws -> DistinguishedName {
        var rdns: [RelativeDistinguishedName] = []
        func append(_ values: [String], _ oid: ASN1ObjectIdentifier) throws {
            guard !values.isEmpty else { return }
            rdns.append(RelativeDistinguishedName(try values.map { try Self.attribute(oid, $0) }))
        }
        try append(subject.country, .RDNAttributeType.countryName)
        try append(subject.province, .RDNAttributeType.stateOrProvinceName)
        try append(subject.locality, .RDNAttributeType.localityName)
        try append(subject.streetAddress, .RDNAttributeType.streetAddress)
        try append(subject.postalCode, [2, 5, 4, 17])
        try append(subject.organization, .RDNAttributeType.organizationName)
        try append(subject.organizationalUnit, .RDNAttributeType.organizationalUnitName)
        if !subject.commonName.isEmpty { try append([subject.commonName], .RDNAttributeType.commonName) }
        if !subject.serialNumber.isEmpty { try append([subject.serialNumber], [2, 5, 4, 5]) }
        for (oid, value) in subject.extraNames { rdns.append(RelativeDistinguishedName([try Self.attribute(oid, value)])) }
        return DistinguishedName(rdns)
    }

    private static let printable = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 '()+,-./:=?".utf8)

    private static func attribute(_ oid: ASN1ObjectIdentifier, _ value: String) throws -> RelativeDistinguishedName.Attribute {
        if value.utf8.allSatisfy(printable.contains) {
            return try RelativeDistinguishedName.Attribute(type: oid, printableString: value)
        }
        return RelativeDistinguishedName.Attribute(type: oid, utf8String: value)
    }

    /// The extensions Go's `x509.CreateCertificate` writes for these fields, in its order (key usage, extended key
    /// usage, basic constraints, authority information access, subject alternative names — critical when the
    /// subject is empty —, certificate policies, name constraints, CRL distribution points), then the raw
    /// `extensions`, which replace a generated extension with the same OID (as Go's `ExtraExtensions`).
    public func certificateExtensions() throws -> [Certificate.Extension] {
        var generated: [Certificate.Extension] = []
        if let keyUsage, keyUsage != KeyUsage() {
            generated.append(try Certificate.Extension(keyUsage, critical: true))
        }
        if !extKeyUsage.isEmpty {
            generated.append(try Certificate.Extension(try ExtendedKeyUsage(extKeyUsage), critical: false))
        }
        if let basicConstraints {
            let value: BasicConstraints =
                basicConstraints.isCA
                ? .isCertificateAuthority(maxPathLength: basicConstraints.maxPathLength < 0 ? nil : basicConstraints.maxPathLength)
                : .notCertificateAuthority
            generated.append(try Certificate.Extension(value, critical: true))
        }
        if !ocspServer.isEmpty || !issuingCertificateURL.isEmpty {
            let descriptions =
                ocspServer.map { AuthorityInformationAccess.AccessDescription(method: .ocspServer, location: .uniformResourceIdentifier($0)) }
                + issuingCertificateURL.map {
                    AuthorityInformationAccess.AccessDescription(method: .issuingCA, location: .uniformResourceIdentifier($0))
                }
            generated.append(try Certificate.Extension(AuthorityInformationAccess(descriptions), critical: false))
        }
        let names = allSANs
        if !names.isEmpty {
            generated.append(
                try Certificate.Extension(SubjectAlternativeNames(names.map(\.generalName)), critical: subject.isEmpty))
        }
        if !policyIdentifiers.isEmpty {
            var serializer = DER.Serializer()
            try serializer.appendConstructedNode(identifier: .sequence) { policies in
                for oid in policyIdentifiers {
                    try policies.appendConstructedNode(identifier: .sequence) { information in try information.serialize(oid) }
                }
            }
            generated.append(Certificate.Extension(oid: [2, 5, 29, 32], critical: false, value: serializer.serializedBytes[...]))
        }
        if let nameConstraints {
            let constraints = X509.NameConstraints(
                permittedDNSDomains: nameConstraints.permittedDNSDomains, excludedDNSDomains: nameConstraints.excludedDNSDomains,
                permittedIPRanges: nameConstraints.permittedIPRanges.compactMap(Self.ipRange),
                excludedIPRanges: nameConstraints.excludedIPRanges.compactMap(Self.ipRange),
                permittedEmailAddresses: nameConstraints.permittedEmailAddresses, excludedEmailAddresses: nameConstraints.excludedEmailAddresses,
                permittedURIDomains: nameConstraints.permittedURIDomains, forbiddenURIDomains: nameConstraints.excludedURIDomains)
            if !constraints.permittedSubtrees.isEmpty || !constraints.excludedSubtrees.isEmpty {
                generated.append(try Certificate.Extension(constraints, critical: nameConstraints.critical))
            }
        }
        if !crlDistributionPoints.isEmpty {
            // CRLDistributionPoints (RFC 5280 §4.2.1.13): one DistributionPoint per URL, fullName [0] { URI }.
            var serializer = DER.Serializer()
            serializer.appendConstructedNode(identifier: .sequence) { points in
                for url in crlDistributionPoints {
                    points.appendConstructedNode(identifier: .sequence) { point in
                        point.appendConstructedNode(identifier: ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific)) { name in
                            name.appendConstructedNode(identifier: ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific)) { full in
                                full.appendPrimitiveNode(identifier: ASN1Identifier(tagWithNumber: 6, tagClass: .contextSpecific)) {
                                    $0.append(contentsOf: url.utf8)
                                }
                            }
                        }
                    }
                }
            }
            generated.append(Certificate.Extension(oid: [2, 5, 29, 31], critical: false, value: serializer.serializedBytes[...]))
        }
        let overridden = Set(extensions.map(\.oid))
        return generated.filter { !overridden.contains($0.oid) } + extensions
    }

    /// Address and mask octets of a CIDR range, as name constraints encode IP ranges.
    static func ipRange(_ text: String) -> ASN1OctetString? {
        guard let network = IPNetwork(cidr: text) else { return nil }
        return ASN1OctetString(contentBytes: (network.address + network.mask)[...])
    }
}
