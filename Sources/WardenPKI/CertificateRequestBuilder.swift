import Crypto
import Foundation
import SwiftASN1
import X509

/// Builds the CSR step clients send: CN = subject, SANs classified from the names.
public enum CertificateRequestBuilder {
    public static func make(subject: String, sans: [String], key: P256.Signing.PrivateKey) throws -> String {
        let name = try DistinguishedName { CommonName(subject) }
        var attributes = CertificateSigningRequest.Attributes()
        let names = sans.isEmpty ? [subject] : sans
        let extensions = try Certificate.Extensions {
            SubjectAlternativeNames(names.map { SubjectAlternativeName(classifying: $0).generalName })
        }
        attributes.insert(try .init(ExtensionRequest(extensions: extensions)))
        let csr = try CertificateSigningRequest(
            version: .v1, subject: name, privateKey: .init(key), attributes: attributes, signatureAlgorithm: .ecdsaWithSHA256)
        return try csr.serializeAsPEM().pemString + "\n"
    }
}
