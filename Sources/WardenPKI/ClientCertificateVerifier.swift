import Foundation
import SwiftASN1
import WardenCore
@_spi(DisableValidityCheck) import X509

/// Decides whether a client certificate (from a TLS handshake or an x5c header) was issued under the CA's roots
/// and may authenticate a client: chain, validity, clientAuth EKU and digitalSignature key usage.
///
/// TLS accepts any client certificate at the handshake so that failures can be reported as JSON errors a
/// person can read; this type is the real check.
public struct ClientCertificateVerifier: Sendable {
    public let roots: [Certificate]
    public let intermediates: [Certificate]

    public init(roots: [Certificate], intermediates: [Certificate]) {
        self.roots = roots
        self.intermediates = intermediates
    }

    public enum Expiry: Sendable {
        /// Reject certificates outside their validity period.
        case enforce
        /// Accept an expired certificate (renewal with `allowRenewalAfterExpiry`); the chain must still verify.
        case ignore
    }

    /// Verifies `leaf` with the supplied and known intermediates. Throws `unauthorized` naming the problem.
    public func verify(leaf: Certificate, presentedIntermediates: [Certificate] = [], expiry: Expiry = .enforce, now: Date = Date())
        async throws(WardenError)
    {
        if expiry == .enforce {
            if now < leaf.notValidBefore.addingTimeInterval(-60) {
                throw .unauthorized("certificate is not yet valid (valid from \(leaf.notValidBefore))")
            }
            if now > leaf.notValidAfter {
                throw .unauthorized("certificate has expired (expired at \(leaf.notValidAfter))")
            }
        }
        let rootStore = CertificateStore(roots)
        let intermediateStore = CertificateStore(intermediates + presentedIntermediates)
        let result: CertificateValidationResult
        switch expiry {
        case .enforce:
            var verifier = Verifier(rootCertificates: rootStore) {
                RFC5280Policy()
                ClientAuthenticationPolicy()
            }
            result = await verifier.validate(leaf: leaf, intermediates: intermediateStore)
        case .ignore:
            var verifier = Verifier(rootCertificates: rootStore) {
                RFC5280Policy.withValidityCheckDisabled()
                ClientAuthenticationPolicy()
            }
            result = await verifier.validate(leaf: leaf, intermediates: intermediateStore)
        }
        switch result {
        case .validCertificate:
            return
        case .couldNotValidate(let failures):
            let reason = failures.first.map { "\($0.policyFailureReason)" } ?? "no chain to a trusted root"
            if failures.isEmpty || reason.isEmpty {
                throw .unauthorized("certificate is not issued by this CA")
            }
            throw .unauthorized("certificate does not verify against this CA: \(reason)")
        }
    }
}

/// EKU must allow clientAuth and, when key usage is present, it must allow digitalSignature.
struct ClientAuthenticationPolicy: VerifierPolicy {
    let verifyingCriticalExtensions: [ASN1ObjectIdentifier] = [.X509ExtensionID.extendedKeyUsage]

    func chainMeetsPolicyRequirements(chain: UnverifiedCertificateChain) async -> PolicyEvaluationResult {
        let leaf = chain.leaf
        do {
            if let eku = try leaf.extensions.extendedKeyUsage {
                if !eku.contains(.clientAuth) && !eku.contains(.any) {
                    return .failsToMeetPolicy(reason: "certificate is not valid for client authentication (no clientAuth EKU)")
                }
            }
            if let usage = try leaf.extensions.keyUsage, !usage.digitalSignature {
                return .failsToMeetPolicy(reason: "certificate cannot be used for digital signature")
            }
        } catch {
            return .failsToMeetPolicy(reason: "certificate has malformed usage extensions")
        }
        return .meetsPolicy
    }
}
