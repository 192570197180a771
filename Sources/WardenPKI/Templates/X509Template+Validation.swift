import Crypto
import Foundation
import SwiftASN1
import WardenCore
import WardenTemplate
import X509

extension X509Template {
    /// Write-time check of a provisioner's template: it must parse, and render for a synthetic request (subject and
    /// SAN `synthetic.example.com`, a P-256 CSR, a token with step's claims, an empty `templateData`, and for X5C a
    /// synthetic authorization certificate) to step's certificate JSON. The names it produces for synthetic data are
    /// not judged (they may depend on data the synthetic request lacks, such as a webhook's answer); issuance checks
    /// the real ones.
    ///
    /// A template that calls `fail` on the synthetic request is accepted: `fail` is how templates refuse requests
    /// that lack data (step's documented pattern), and the synthetic request carries none. Any other failure —
    /// syntax, an unknown function, a type error, output that is not step's certificate JSON — is 400 with the
    /// template's line and column.
    public static func validate(_ provisioner: Provisioner) throws(WardenError) {
        for hook in try Webhook.list(provisioner.fields["webhooks"]) { try validateURL(of: hook) }
        let options = provisioner.x509TemplateOptions
        let template = try X509Template(text: options.template, data: options.data, name: provisioner.name)
        guard template.isCustom else { return }
        let synthetic = SyntheticRequest.shared
        let data = X509TemplateData(
            subject: SyntheticRequest.name, sans: [SyntheticRequest.name], tokenPayload: synthetic.payload(issuer: provisioner.name),
            csr: synthetic.csr, userData: .object([:]), authorizationChain: provisioner.type == .x5c ? [synthetic.certificate] : [])
        do {
            _ = try template.renderDescription(data)
        } catch let failure as TemplateError where failure.kind == .failed {
            return
        } catch let failure as TemplateError {
            throw .badRequest("x509 template: \(failure.description)")
        } catch let error as WardenError {
            throw .badRequest("x509 template renders an invalid certificate for a synthetic request: \(error.message)")
        } catch {
            throw .badRequest("x509 template: \(error)")
        }
    }

    /// A webhook's URL is a template too (step renders it with the certificate template's data): it must parse.
    public static func validateURL(of hook: Webhook) throws(WardenError) {
        do {
            _ = try Template(parsing: hook.url, name: "webhook \(hook.name) url")
        } catch {
            throw .badRequest("webhook \(hook.name) url: \(error.description)")
        }
    }

    /// The synthetic request write-time validation renders with; made once per process.
    struct SyntheticRequest: Sendable {
        static let name = "synthetic.example.com"
        static let shared = SyntheticRequest()

        let csr: CertificateSigningRequest
        let certificate: Certificate

        private init() {
            let key = P256.Signing.PrivateKey()
            let subject = (try? DistinguishedName { CommonName(Self.name) }) ?? DistinguishedName()
            let sans =
                (try? Certificate.Extension(SubjectAlternativeNames([.dnsName(Self.name)]), critical: false))
                ?? Certificate.Extension(oid: [2, 5, 29, 17], critical: false, value: [])
            // Building a CSR and a self-signed certificate from a fresh P-256 key cannot fail; the fallbacks are
            // never taken.
            csr =
                (try? CertificateSigningRequest(
                    version: .v1, subject: subject, privateKey: .init(key),
                    attributes: CertificateSigningRequest.Attributes([try .init(ExtensionRequest(extensions: .init([sans])))]),
                    signatureAlgorithm: .ecdsaWithSHA256))!
            certificate =
                (try? Certificate(
                    version: .v3, serialNumber: .init(), publicKey: .init(key.publicKey), notValidBefore: Date(),
                    notValidAfter: Date().addingTimeInterval(3600), issuer: subject, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
                    extensions: .init([sans]), issuerPrivateKey: .init(key)))!
        }

        func payload(issuer: String) -> TemplateJSON {
            let now = Date().timeIntervalSince1970.rounded()
            return .object([
                "iss": .string(issuer), "sub": .string(Self.name), "sans": .array([.string(Self.name)]),
                "aud": .string("https://ca.example.com/1.0/sign"), "nbf": .number(now), "iat": .number(now), "exp": .number(now + 300),
                "jti": .string("synthetic"), "sha": .string(String(repeating: "0", count: 64)),
            ])
        }
    }
}
