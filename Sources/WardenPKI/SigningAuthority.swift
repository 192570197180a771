import Crypto
import Foundation
import SwiftASN1
import WardenCore
import X509

/// The intermediate CA that signs leaves, server certificates and CRLs.
///
/// A value type holding the loaded key: build it once at start-up (or on reload) and share it.
public struct SigningAuthority: Sendable {
    public let roots: [Certificate]
    public let intermediate: Certificate
    /// The intermediate in PEM, made once: every sign and renew response carries it.
    public let intermediatePEM: String
    /// The name constraints of the intermediate and roots: names they forbid are refused before signing.
    public let nameConstraints: CANameConstraints
    let key: P256.Signing.PrivateKey

    public init(roots: [Certificate], intermediate: Certificate, key: P256.Signing.PrivateKey) throws(WardenError) {
        guard Certificate.PublicKey(key.publicKey) == intermediate.publicKey else {
            throw .badRequest("the intermediate key does not match the intermediate certificate")
        }
        self.roots = roots
        self.intermediate = intermediate
        self.intermediatePEM = PEMBundle.pem(intermediate)
        self.nameConstraints = CANameConstraints(chain: [intermediate] + roots)
        self.key = key
    }

    /// What a leaf certificate should say; the CA decides serial, issuer and key identifiers.
    public struct LeafTemplate: Sendable {
        public var commonName: String
        public var sans: [SubjectAlternativeName]
        public var publicKey: Certificate.PublicKey
        public var notBefore: Date
        public var notAfter: Date
        public var provisioner: ProvisionerExtension?

        public init(
            commonName: String, sans: [SubjectAlternativeName], publicKey: Certificate.PublicKey, notBefore: Date,
            notAfter: Date, provisioner: ProvisionerExtension?
        ) {
            self.commonName = commonName
            self.sans = sans
            self.publicKey = publicKey
            self.notBefore = notBefore
            self.notAfter = notAfter
            self.provisioner = provisioner
        }
    }

    /// Signs a leaf in the shape of step's default X.509 template: subject CN, SANs, digitalSignature key usage
    /// (plus keyEncipherment for RSA keys), serverAuth and clientAuth, key identifiers and the provisioner
    /// extension.
    public func issue(_ template: LeafTemplate) throws -> Certificate {
        var description = CertificateDescription()
        description.subject.commonName = template.commonName
        description.sans = template.sans
        description.keyUsage = KeyUsage(digitalSignature: true, keyEncipherment: PublicKeyKind(template.publicKey) == .rsa)
        description.extKeyUsage = [.serverAuth, .clientAuth]
        return try issue(
            description, publicKey: template.publicKey, notBefore: template.notBefore, notAfter: template.notAfter,
            provisioner: template.provisioner)
    }

    /// Signs what a template described (``CertificateDescription``), adding what the CA decides: serial, issuer,
    /// validity, subject and authority key identifiers (unless the template gave them as raw extensions) and the
    /// provisioner extension.
    public func issue(
        _ description: CertificateDescription, publicKey: Certificate.PublicKey, notBefore: Date, notAfter: Date,
        provisioner: ProvisionerExtension?
    ) throws -> Certificate {
        let authorityKeyID =
            (try? intermediate.extensions.subjectKeyIdentifier)??.keyIdentifier
            ?? SubjectKeyIdentifier(hash: intermediate.publicKey).keyIdentifier
        var list = try description.certificateExtensions()
        let present = Set(list.map(\.oid))
        if !present.contains(.X509ExtensionID.subjectKeyIdentifier) {
            list.append(try Certificate.Extension(SubjectKeyIdentifier(hash: publicKey), critical: false))
        }
        if !present.contains(.X509ExtensionID.authorityKeyIdentifier) {
            list.append(try Certificate.Extension(AuthorityKeyIdentifier(keyIdentifier: authorityKeyID), critical: false))
        }
        if let provisioner {
            let ext = try provisioner.makeExtension()
            if !present.contains(ext.oid) { list.append(ext) }
        }
        return try sign(
            subject: try description.distinguishedName(), publicKey: publicKey, notBefore: notBefore, notAfter: notAfter,
            extensions: try Certificate.Extensions(list))
    }

    /// A copy of `certificate` with a new serial and validity: same subject, key, SANs and extensions, as
    /// step's `/renew` does.
    public func renew(_ certificate: Certificate, notBefore: Date, notAfter: Date) throws -> Certificate {
        try sign(
            subject: certificate.subject, publicKey: certificate.publicKey, notBefore: notBefore, notAfter: notAfter,
            extensions: certificate.extensions)
    }

    /// The TLS certificate the CA serves with, for its DNS names and IPs.
    public func issueServerCertificate(names: [String], key: P256.Signing.PrivateKey, validity: TimeInterval, now: Date = Date())
        throws -> Certificate
    {
        try issue(
            LeafTemplate(
                commonName: names.first ?? "localhost", sans: names.map(SubjectAlternativeName.init(classifying:)),
                publicKey: Certificate.PublicKey(key.publicKey), notBefore: now.addingTimeInterval(-60),
                notAfter: now.addingTimeInterval(validity), provisioner: nil))
    }

    private func sign(
        subject: DistinguishedName, publicKey: Certificate.PublicKey, notBefore: Date, notAfter: Date,
        extensions: Certificate.Extensions
    ) throws -> Certificate {
        let cappedNotAfter = min(notAfter, intermediate.notValidAfter)
        return try Certificate(
            version: .v3, serialNumber: .init(bytes: SerialNumberGenerator.next().bytes), publicKey: publicKey,
            notValidBefore: notBefore, notValidAfter: cappedNotAfter, issuer: intermediate.subject, subject: subject,
            signatureAlgorithm: .ecdsaWithSHA256, extensions: extensions, issuerPrivateKey: .init(key))
    }

    /// ECDSA P-256 / SHA-256 signature in DER, for structures swift-certificates does not build (CRLs).
    func signatureDER(over bytes: [UInt8]) throws -> [UInt8] {
        Array(try key.signature(for: bytes).derRepresentation)
    }
}
