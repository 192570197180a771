import Crypto
import Foundation
import WardenCore
import X509

/// A freshly created root and intermediate, the output of `warden init`.
public struct CertificateHierarchy: Sendable {
    public var root: Certificate
    public var rootKey: P256.Signing.PrivateKey
    public var intermediate: Certificate
    public var intermediateKey: P256.Signing.PrivateKey

    /// Creates a P-256 root (path length 1) and an intermediate (path length 0), both valid for `validity`,
    /// named the way `step ca init` names them.
    /// `permittedDNSDomains`/`excludedDNSDomains` put critical name constraints (RFC 5280 §4.2.1.10) on the
    /// intermediate: a CA for `example.internal` only, say.
    public static func create(
        name: String, validity: TimeInterval = 10 * 365.25 * 86400, permittedDNSDomains: [String] = [], excludedDNSDomains: [String] = [],
        now: Date = Date()
    ) throws -> CertificateHierarchy {
        let rootKey = P256.Signing.PrivateKey()
        let rootPublic = Certificate.PublicKey(rootKey.publicKey)
        let rootName = try DistinguishedName {
            OrganizationName(name)
            CommonName("\(name) Root CA")
        }
        let notBefore = now.addingTimeInterval(-60)
        let root = try Certificate(
            version: .v3, serialNumber: .init(bytes: SerialNumberGenerator.next().bytes), publicKey: rootPublic,
            notValidBefore: notBefore, notValidAfter: now.addingTimeInterval(validity),
            issuer: rootName, subject: rootName, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 1))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                SubjectKeyIdentifier(hash: rootPublic)
            },
            issuerPrivateKey: .init(rootKey))

        let intermediateKey = P256.Signing.PrivateKey()
        let intermediatePublic = Certificate.PublicKey(intermediateKey.publicKey)
        let intermediateName = try DistinguishedName {
            OrganizationName(name)
            CommonName("\(name) Intermediate CA")
        }
        var intermediateExtensions = try Certificate.Extensions {
            Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
            Critical(KeyUsage(keyCertSign: true, cRLSign: true))
            SubjectKeyIdentifier(hash: intermediatePublic)
            AuthorityKeyIdentifier(keyIdentifier: SubjectKeyIdentifier(hash: rootPublic).keyIdentifier)
        }
        if !permittedDNSDomains.isEmpty || !excludedDNSDomains.isEmpty {
            try intermediateExtensions.append(
                Certificate.Extension(
                    NameConstraints(permittedDNSDomains: permittedDNSDomains, excludedDNSDomains: excludedDNSDomains), critical: true))
        }
        let intermediate = try Certificate(
            version: .v3, serialNumber: .init(bytes: SerialNumberGenerator.next().bytes), publicKey: intermediatePublic,
            notValidBefore: notBefore, notValidAfter: now.addingTimeInterval(validity),
            issuer: rootName, subject: intermediateName, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: intermediateExtensions, issuerPrivateKey: .init(rootKey))
        return CertificateHierarchy(root: root, rootKey: rootKey, intermediate: intermediate, intermediateKey: intermediateKey)
    }
}

/// Random 128-bit positive serials, as step issues them.
public enum SerialNumberGenerator {
    public static func next() -> WardenCore.SerialNumber {
        var bytes = randomBytes(16)
        bytes[0] &= 0x7f
        if bytes[0] == 0 { bytes[0] = 0x01 }
        return WardenCore.SerialNumber(bytes: bytes)
    }
}
