import Foundation

/// A provisioner in ca.json's shape: `type`, `name`, `claims`, plus the type's own fields (`key` and
/// `encryptedKey` for JWK, `roots` for X5C, `options`, templates, ...) kept verbatim in ``fields``.
///
/// Keeping the type-specific part as JSON means a configuration round-trips byte-for-byte in meaning even for
/// types Warden does not issue for.
public struct Provisioner: Hashable, Sendable, Codable {
    /// Database id; nil for provisioners that only live in ca.json.
    public var id: UUID?
    public var type: ProvisionerType
    public var name: String
    public var claims: Claims?
    /// Every other top-level key of the ca.json object.
    public var fields: [String: JSONValue]

    public init(id: UUID? = nil, type: ProvisionerType, name: String, claims: Claims? = nil, fields: [String: JSONValue] = [:]) {
        self.id = id
        self.type = type
        self.name = name
        self.claims = claims
        self.fields = fields
    }

    private static let reservedKeys: Set<String> = ["type", "name", "claims", "id"]

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let object = try container.decode([String: JSONValue].self)
        guard let typeName = object["type"]?.stringValue else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "provisioner is missing \"type\"")
        }
        guard let type = ProvisionerType(name: typeName) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "unknown provisioner type \"\(typeName)\"")
        }
        guard let name = object["name"]?.stringValue, !name.isEmpty else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "provisioner is missing \"name\"")
        }
        self.type = type
        self.name = name
        self.id = nil
        if let claims = object["claims"], claims != .null {
            let data = try JSONEncoder().encode(claims)
            self.claims = try JSONDecoder().decode(Claims.self, from: data)
        }
        self.fields = object.filter { !Self.reservedKeys.contains($0.key) }
    }

    public func encode(to encoder: any Encoder) throws {
        var object = fields
        object["type"] = .string(type.configName)
        object["name"] = .string(name)
        if let claims {
            let data = try JSONEncoder().encode(claims)
            object["claims"] = try JSONDecoder().decode(JSONValue.self, from: data)
        }
        var container = encoder.singleValueContainer()
        try container.encode(object)
    }

    // MARK: Templates

    /// `options.x509`: the template text (`template`, JSON text or base64 as step accepts), the path of a template
    /// file on the CA host (`templateFile`, ca.json only; remote management stores its contents), and
    /// `templateData`.
    public var x509TemplateOptions: (template: String?, templateFile: String?, data: JSONValue?) {
        let options = fields["options"]?["x509"]
        let template = options?["template"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        let file = options?["templateFile"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        let data = options?["templateData"].flatMap { $0 == .null ? nil : $0 }
        return (template, file, data)
    }

    // MARK: JWK fields

    /// The public JWK's key id, used as the token `kid`.
    public var keyID: String? { fields["key"]?["kid"]?.stringValue }

    /// The JWE-wrapped private key step clients download from `/provisioners/{kid}/encrypted-key`.
    public var encryptedKey: String? { fields["encryptedKey"]?.stringValue }

    // MARK: X5C fields

    /// The PEM bundle of roots an X5C provisioner trusts (ca.json stores it base64-encoded).
    public var x5cRootsPEM: String? {
        guard let encoded = fields["roots"]?.stringValue else { return nil }
        if encoded.contains("-----BEGIN") { return encoded }
        guard let data = Data(base64Encoded: encoded) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// The value stored in the provisioner certificate extension as `credentialID`.
    public var credentialID: String {
        switch type {
        case .jwk: keyID ?? ""
        case .oidc: fields["clientID"]?.stringValue ?? ""
        default: ""
        }
    }

    /// Checks what must hold for the provisioner to be usable, naming the field at fault.
    public func validate() throws(WardenError) {
        if name.trimmingCharacters(in: .whitespaces).isEmpty {
            throw .badRequest("name: provisioner name cannot be empty")
        }
        try claims?.validate()
        switch type {
        case .jwk:
            guard let key = fields["key"]?.objectValue else { throw .badRequest("key: JWK provisioner requires a public key") }
            guard key["kid"]?.stringValue?.isEmpty == false else { throw .badRequest("key.kid: JWK key requires a kid") }
        case .x5c:
            guard let roots = x5cRootsPEM, roots.contains("BEGIN CERTIFICATE") else {
                throw .badRequest("roots: X5C provisioner requires a PEM bundle of root certificates")
            }
        default:
            break
        }
    }
}
