import Crypto
import Foundation
import SwiftASN1
import Testing
import WardenCore
import WardenPKI
import X509

@Suite struct IssuanceTests {
    static let hierarchy = try! CertificateHierarchy.create(name: "Unit")

    static var signer: SigningAuthority {
        try! SigningAuthority(roots: [hierarchy.root], intermediate: hierarchy.intermediate, key: hierarchy.intermediateKey)
    }

    func leaf(
        sans: [String] = ["svc.internal", "10.0.0.7", "ops@example.com"], notAfter: Date = Date().addingTimeInterval(3600),
        provisioner: ProvisionerExtension? = nil
    )
        throws -> (Certificate, P256.Signing.PrivateKey)
    {
        let key = P256.Signing.PrivateKey()
        let certificate = try Self.signer.issue(
            .init(
                commonName: "svc.internal", sans: sans.map(SubjectAlternativeName.init(classifying:)),
                publicKey: .init(key.publicKey), notBefore: Date().addingTimeInterval(-60), notAfter: notAfter,
                provisioner: provisioner ?? .init(type: 1, name: "ops", credentialID: "kid-1")))
        return (certificate, key)
    }

    @Test func hierarchyHasTheRightConstraints() throws {
        let root = Self.hierarchy.root
        let intermediate = Self.hierarchy.intermediate
        #expect(try root.extensions.basicConstraints == .isCertificateAuthority(maxPathLength: 1))
        #expect(try intermediate.extensions.basicConstraints == .isCertificateAuthority(maxPathLength: 0))
        #expect(intermediate.issuer == root.subject)
        #expect(root.notValidAfter.timeIntervalSince(root.notValidBefore) > 9.9 * 365 * 86400)
    }

    @Test func leafVerifiesAndCarriesStepsExtension() async throws {
        let (certificate, _) = try leaf()
        try await ClientCertificateVerifier(roots: [Self.hierarchy.root], intermediates: [Self.hierarchy.intermediate]).verify(leaf: certificate)
        let ext = try #require(ProvisionerExtension(certificate: certificate))
        #expect(ext == ProvisionerExtension(type: 1, name: "ops", credentialID: "kid-1"))
        let sans = try #require(try certificate.extensions.subjectAlternativeNames).compactMap(SubjectAlternativeName.init)
        // Go's order, as step-ca writes them: DNS names, email addresses, IP addresses, URIs.
        #expect(sans == [.dns("svc.internal"), .email("ops@example.com"), .ip("10.0.0.7")])
        #expect(try certificate.extensions.keyUsage?.digitalSignature == true)
    }

    @Test func foreignAndExpiredCertificatesAreRejected() async throws {
        let other = try CertificateHierarchy.create(name: "Other")
        let foreignSigner = try SigningAuthority(roots: [other.root], intermediate: other.intermediate, key: other.intermediateKey)
        let key = P256.Signing.PrivateKey()
        let foreign = try foreignSigner.issue(
            .init(
                commonName: "x", sans: [], publicKey: .init(key.publicKey), notBefore: Date(), notAfter: Date().addingTimeInterval(60),
                provisioner: nil))
        let verifier = ClientCertificateVerifier(roots: [Self.hierarchy.root], intermediates: [Self.hierarchy.intermediate])
        await #expect(throws: WardenError.unauthorized("")) { try await verifier.verify(leaf: foreign) }

        let (expired, _) = try leaf(notAfter: Date().addingTimeInterval(30))
        await #expect(throws: WardenError.unauthorized("")) { try await verifier.verify(leaf: expired, now: Date().addingTimeInterval(3600)) }
        try await verifier.verify(leaf: expired, expiry: .ignore, now: Date().addingTimeInterval(3600))
    }

    @Test func renewalKeepsEverythingButSerialAndValidity() throws {
        let (original, _) = try leaf()
        let renewed = try Self.signer.renew(original, notBefore: Date(), notAfter: Date().addingTimeInterval(7200))
        #expect(renewed.subject == original.subject)
        #expect(renewed.publicKey == original.publicKey)
        #expect(renewed.extensions == original.extensions)
        #expect(renewed.serialNumber != original.serialNumber)
    }

    @Test func crlListsEntriesWithReasonsAndIsSigned() throws {
        let (certificate, _) = try leaf()
        let (other, _) = try leaf()
        let revokedAt = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
        let der = try CertificateRevocationList.make(
            entries: [
                .init(serial: certificate.wardenSerial, revokedAt: revokedAt, reason: .keyCompromise),
                .init(serial: other.wardenSerial, revokedAt: revokedAt, reason: .unspecified),
            ],
            number: 7, thisUpdate: revokedAt, nextUpdate: revokedAt.addingTimeInterval(3600), signer: Self.signer)
        let crl = try CertificateRevocationList.Parsed(der: der)
        #expect(crl.number == 7)
        #expect(crl.thisUpdate == revokedAt)
        #expect(crl.nextUpdate == revokedAt.addingTimeInterval(3600))
        #expect(
            crl.entries == [
                .init(serial: certificate.wardenSerial, revokedAt: revokedAt, reason: .keyCompromise),
                .init(serial: other.wardenSerial, revokedAt: revokedAt, reason: .unspecified),
            ])
        // Signed by the intermediate (and by nothing else), as a relying party checks it.
        #expect(crl.isSigned(by: Self.signer.intermediate))
        #expect(!crl.isSigned(by: Self.hierarchy.root))
        var tampered = der
        tampered[tampered.count / 2] ^= 0x01
        #expect((try? CertificateRevocationList.Parsed(der: tampered))?.isSigned(by: Self.signer.intermediate) != true)
        #expect(CertificateRevocationList.pem(der: der).hasPrefix("-----BEGIN X509 CRL-----"))
    }

    @Test func sanClassificationFollowsStep() {
        #expect(SubjectAlternativeName(classifying: "10.0.0.1") == .ip("10.0.0.1"))
        #expect(SubjectAlternativeName(classifying: "::1") == .ip("::1"))
        #expect(SubjectAlternativeName(classifying: "spiffe://acme/svc") == .uri("spiffe://acme/svc"))
        #expect(SubjectAlternativeName(classifying: "alice@example.com") == .email("alice@example.com"))
        #expect(SubjectAlternativeName(classifying: "step") == .dns("step"))
    }
}

extension Array {
    func windows(ofCount count: Int) -> [ArraySlice<Element>] {
        guard count > 0, count <= self.count else { return [] }
        return (0...(self.count - count)).map { self[$0..<($0 + count)] }
    }
}
