import Foundation
import WardenCore
import WardenTemplate

/// A provisioner's X.509 template, parsed once: its own (`options.x509.template`, inline JSON text or base64 as step
/// accepts, or the contents of `templateFile`) or step's default leaf template, with the provisioner's
/// `templateData`.
public struct X509Template: Sendable {
    /// step's `x509util.DefaultLeafTemplate`: the token's subject and SANs; RSA keys also get keyEncipherment.
    public static let defaultLeafText = """
        {
        	"subject": {{ toJson .Subject }},
        	"sans": {{ toJson .SANs }},
        {{- if typeIs "*rsa.PublicKey" .Insecure.CR.PublicKey }}
        	"keyUsage": ["keyEncipherment", "digitalSignature"],
        {{- else }}
        	"keyUsage": ["digitalSignature"],
        {{- end }}
        	"extKeyUsage": ["serverAuth", "clientAuth"]
        }
        """

    /// The default, parsed once for the process.
    public static let defaultLeaf: X509Template = {
        // The text is a constant of this file: a parse failure would be a defect caught by every test.
        guard let template = try? Template(parsing: defaultLeafText, name: "default") else {
            preconditionFailure("step's default leaf template does not parse")
        }
        return X509Template(template: template, data: nil, isCustom: false)
    }()

    let template: Template
    /// The provisioner's `templateData` (a JSON object), merged at the top level of the data.
    public let data: TemplateJSON?
    /// Whether the provisioner has its own template: only then does the request's `templateData` reach
    /// `.Insecure.User` (step-ca's rule).
    public let isCustom: Bool

    init(template: Template, data: TemplateJSON?, isCustom: Bool) {
        self.template = template
        self.data = data
        self.isCustom = isCustom
    }

    /// Parses a provisioner's template. `text` nil means step's default. Throws 400 naming the template's line and
    /// column, as write-time validation reports it.
    public init(text: String?, data: TemplateJSON?, name: String) throws(WardenError) {
        if case .some(let data) = data, case .object = data {
        } else if let data, data != .null {
            throw .badRequest("x509 templateData of \(name) must be a JSON object")
        }
        guard let text = text.map(Self.decodedText), !text.isEmpty else {
            self.init(template: Self.defaultLeaf.template, data: data, isCustom: false)
            return
        }
        do {
            self.init(template: try Template(parsing: text, name: name), data: data, isCustom: true)
        } catch {
            throw .badRequest("x509 template: \(error.description)")
        }
    }

    /// step-ca accepts the template as JSON text or base64 of it.
    static func decodedText(_ text: String) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("{") || trimmed.contains("{{") { return text }
        if let bytes = Data(base64Encoded: trimmed), let decoded = String(data: bytes, encoding: .utf8) { return decoded }
        return text
    }

    /// Renders with `data` and reads the certificate description. Template failures (`fail`, a type error, bad
    /// JSON) are 400 with the template's message: they depend on the request or the provisioner, not on the CA.
    public func render(_ input: X509TemplateData) throws(WardenError) -> CertificateDescription {
        do {
            return try renderDescription(input)
        } catch let error as TemplateError {
            throw .badRequest(error.kind == .failed ? error.message : "x509 template: \(error.description)")
        } catch let error as WardenError {
            throw error
        } catch {
            throw .badRequest("x509 template: \(error)")
        }
    }

    /// Renders and decodes, keeping the two kinds of failure apart: ``TemplateError`` from the template,
    /// ``WardenError`` from a description that is not step's certificate JSON.
    func renderDescription(_ input: X509TemplateData) throws -> CertificateDescription {
        var input = input
        input.provisionerData = data
        if !isCustom { input.userData = nil }
        return try CertificateDescription(rendered: try template.render(input.value))
    }
}
