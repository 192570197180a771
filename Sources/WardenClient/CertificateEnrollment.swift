import Crypto
import Foundation
import WardenCore
import WardenPKI
import X509

/// The client side of getting a certificate: a fresh key, a CSR, a token, `/1.0/sign`.
public enum CertificateEnrollment {
    public struct Result: Sendable {
        public var chain: [Certificate]
        public var key: P256.Signing.PrivateKey
    }

    public static func enroll(
        client: CAClient, issuer: ProvisionerTokenIssuer, subject: String, sans: [String], notAfter: String?
    ) async throws -> Result {
        let key = P256.Signing.PrivateKey()
        let names = sans.isEmpty ? [subject] : sans
        let token = try await issuer.token(subject: subject, sans: names, audiencePath: "/1.0/sign")
        let csr = try CertificateRequestBuilder.make(subject: subject, sans: names, key: key)
        let response = try await client.sign(SignRequest(csr: csr, ott: token, notBefore: nil, notAfter: notAfter))
        let chain = try response.certChain.flatMap { try PEMBundle.certificates(fromPEM: $0) }
        return Result(chain: chain, key: key)
    }
}
