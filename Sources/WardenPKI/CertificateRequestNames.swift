import Foundation
import SwiftASN1
import WardenCore
import X509

/// The certificate request (CSR, RFC 2986) of a sign request: parsed, its signature verified, and its names held
/// against what the token authorises, as step-ca does.
public enum CertificateRequestNames {
    /// Parses a PEM CSR and checks its self-signature. Any failure is a 400 that says which.
    public static func parse(pem: String) throws(WardenError) -> CertificateSigningRequest {
        let csr: CertificateSigningRequest
        do {
            csr = try CertificateSigningRequest(pemEncoded: pem)
        } catch {
            throw .badRequest("invalid certificate request: the csr field is not a PEM CSR")
        }
        try verify(csr)
        return csr
    }

    /// Parses a DER CSR (what the PEM carries) and checks its self-signature.
    public static func parse(der: [UInt8]) throws(WardenError) -> CertificateSigningRequest {
        let csr: CertificateSigningRequest
        do {
            csr = try CertificateSigningRequest(derEncoded: der)
        } catch {
            throw .badRequest("invalid certificate request: not a DER CSR")
        }
        try verify(csr)
        return csr
    }

    static func verify(_ csr: CertificateSigningRequest) throws(WardenError) {
        guard csr.publicKey.isValidSignature(csr.signature, for: csr) else {
            throw .badRequest("invalid certificate request: signature does not verify")
        }
    }

    /// The names the request asks for: its common name (nil when absent) and its SANs (forms step ignores
    /// dropped, as step does).
    public static func names(of csr: CertificateSigningRequest) -> (commonName: String?, sans: [SubjectAlternativeName]) {
        var commonName: String?
        for rdn in csr.subject {
            for attribute in rdn where attribute.type == .RDNAttributeType.commonName {
                commonName = attribute.value.description
            }
        }
        var requested: [SubjectAlternativeName] = []
        for attribute in csr.attributes {
            guard let extensionRequest = try? ExtensionRequest(attribute) else { continue }
            if let sans = try? extensionRequest.extensions.subjectAlternativeNames {
                requested += sans.compactMap(SubjectAlternativeName.init)
            }
        }
        return (commonName, requested)
    }

    /// step's rules: the CSR's CN is empty or one of the token's names; each SAN in the CSR is one the token
    /// allows. Refusals are 403 naming the names (quoted, control characters escaped).
    public static func check(_ csr: CertificateSigningRequest, subject: String, tokenSANs: [SubjectAlternativeName]) throws(WardenError) {
        let (commonName, requested) = names(of: csr)
        if let cn = commonName, !cn.isEmpty, cn != subject, !tokenSANs.contains(where: { $0.value == cn }) {
            throw .forbidden("certificate request common name \(CertificateNameRules.quoted(cn)) is not authorized by the token")
        }
        let allowed = Set(tokenSANs)
        let unauthorized = requested.filter { !allowed.contains($0) }
        if !unauthorized.isEmpty {
            throw .forbidden(
                "certificate request names \(unauthorized.map { CertificateNameRules.quoted($0.value) }.joined(separator: ", ")) are not authorized by the token"
            )
        }
    }
}
