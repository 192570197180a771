import Foundation

/// A linkedca `Provisioner` as received in a POST or PUT body, validated and normalised.
///
/// Identity fields (`id`, `authorityId`, `createdAt`, `deletedAt`) are kept so an update can check that the
/// client did not try to change them.
public struct LinkedProvisionerDocument: Sendable {
    public var id: String?
    public var authorityID: String?
    public var createdAt: String?
    public var deletedAt: String?
    public var type: ProvisionerType
    public var name: String
    public var details: [String: JSONValue]
    public var claims: JSONValue?
    public var x509Template: JSONValue?
    public var sshTemplate: JSONValue?
    public var extras: [String: JSONValue]

    static let topLevel: Set<String> = [
        "id", "authorityId", "type", "name", "details", "claims", "x509Template", "sshTemplate", "createdAt", "deletedAt",
        "policy", "webhooks",
    ]

    /// Parses protojson. Every problem is a `badRequest` naming the field, as step's protojson reader does.
    public init(parsing value: JSONValue) throws(WardenError) {
        guard case .object(let raw) = value else { throw .badRequest("body: expected a JSON object") }
        var object: [String: JSONValue] = [:]
        for (key, inner) in raw {
            let normalized = LinkedProvisionerSchema.camelCase(key)
            guard Self.topLevel.contains(normalized) else { throw .badRequest("unknown field \"\(key)\"") }
            if inner != .null { object[normalized] = inner }
        }
        func optionalString(_ key: String) throws(WardenError) -> String? {
            guard let value = object[key] else { return nil }
            guard case .string(let text) = value else { throw .badRequest("\(key): expected a string") }
            return text
        }
        self.id = try optionalString("id")
        self.authorityID = try optionalString("authorityId")
        self.createdAt = try optionalString("createdAt")
        self.deletedAt = try optionalString("deletedAt")

        guard let name = try optionalString("name"), !name.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw .badRequest("name: provisioner name cannot be empty")
        }
        try InputText.checkName(name, field: "name")
        self.name = name

        let declaredType: ProvisionerType?
        switch object["type"] {
        case .string(let text)?:
            guard let parsed = ProvisionerType(name: text) else { throw .badRequest("type: unknown provisioner type \"\(text)\"") }
            declaredType = parsed
        case .number(let n)?:
            guard let value = Int(exactly: n), let parsed = ProvisionerType(rawValue: value) else {
                throw .badRequest("type: unknown provisioner type \(n)")
            }
            declaredType = parsed
        case nil:
            declaredType = nil
        default:
            throw .badRequest("type: expected a provisioner type name")
        }

        guard case .object(let detailsWrapper)? = object["details"] else {
            throw .badRequest("details: provisioner details are required")
        }
        guard detailsWrapper.count == 1, let (detailsKey, detailsValue) = detailsWrapper.first else {
            throw .badRequest("details: expected exactly one of JWK, OIDC, GCP, AWS, Azure, ACME, X5C, K8sSA, SSHPOP, SCEP, Nebula")
        }
        guard
            let detailsType = ProvisionerType.allCases.first(where: {
                LinkedProvisioner.detailsKey(for: $0).caseInsensitiveCompare(detailsKey) == .orderedSame
            })
        else { throw .badRequest("details: unknown provisioner type \"\(detailsKey)\"") }
        let type = declaredType ?? detailsType
        guard type == detailsType else {
            throw .badRequest("details: \(detailsKey) details do not match type \(type.enumName)")
        }
        self.type = type

        guard let schema = LinkedProvisionerSchema.types[type] else { throw .badRequest("type: \(type.enumName) has no schema") }
        let normalizedDetails = try LinkedProvisionerSchema.normalize(
            detailsValue, as: .object(schema.fields), path: "details.\(LinkedProvisioner.detailsKey(for: type))")
        guard case .object(let details) = normalizedDetails else { throw .badRequest("details: expected an object") }
        for field in schema.required {
            let present: Bool
            switch details[field] {
            case .string(let s)?: present = !s.isEmpty
            case .array(let a)?: present = !a.isEmpty
            case nil: present = false
            default: present = true
            }
            if !present {
                throw .badRequest("details.\(LinkedProvisioner.detailsKey(for: type)).\(field): required for \(type.enumName) provisioners")
            }
        }
        self.details = details
        try Self.checkSemantics(type: type, details: details)

        if let claims = object["claims"] {
            let normalized = try LinkedProvisionerSchema.normalize(claims, as: LinkedProvisionerSchema.claims, path: "claims")
            try LinkedClaims.validate(normalized)
            self.claims = normalized
        }
        if let template = object["x509Template"] {
            self.x509Template = try LinkedProvisionerSchema.normalize(template, as: LinkedProvisionerSchema.template, path: "x509Template")
        }
        if let template = object["sshTemplate"] {
            self.sshTemplate = try LinkedProvisionerSchema.normalize(template, as: LinkedProvisionerSchema.template, path: "sshTemplate")
        }
        var extras: [String: JSONValue] = [:]
        if let policy = object["policy"] {
            guard case .object = policy else { throw .badRequest("policy: expected an object") }
            extras["policy"] = policy
        }
        if let policy = extras["policy"] { _ = try IssuancePolicy(json: policy) }
        if let webhooks = object["webhooks"] {
            guard case .array = webhooks else { throw .badRequest("webhooks: expected a list") }
            _ = try Webhook.list(webhooks)
            extras["webhooks"] = webhooks
        }
        self.extras = extras
    }

    /// Checks that go beyond shapes: a JWK public key must be a JWK, X5C roots must be certificates.
    static func checkSemantics(type: ProvisionerType, details: [String: JSONValue]) throws(WardenError) {
        switch type {
        case .jwk:
            guard let encoded = details["publicKey"]?.stringValue, let data = ProtoBytes.decode(encoded),
                let jwk = try? JSONDecoder().decode(JSONValue.self, from: data), jwk["kty"]?.stringValue != nil
            else { throw .badRequest("details.JWK.publicKey: must be a JSON Web Key") }
            if jwk["d"] != nil { throw .badRequest("details.JWK.publicKey: must not contain a private key") }
            guard jwk["kid"]?.stringValue?.isEmpty == false else {
                throw .badRequest("details.JWK.publicKey: the key must have a key id (kid), which tokens name")
            }
            if let encrypted = details["encryptedPrivateKey"]?.stringValue {
                try checkCompactJWE(ProtoBytes.decode(encrypted).map { String(decoding: $0, as: UTF8.self) } ?? "")
            }
        case .x5c:
            for case .string(let encoded) in details["roots"]?.arrayValue ?? [] {
                let text = ProtoBytes.decode(encoded).map { String(decoding: $0, as: UTF8.self) } ?? ""
                guard text.contains("-----BEGIN CERTIFICATE-----") else {
                    throw .badRequest("details.X5C.roots: each root must be a PEM certificate")
                }
            }
        default:
            break
        }
    }

    /// step clients download `encryptedPrivateKey` and decrypt it as a compact JWE (RFC 7516 §7.1): five
    /// base64url parts whose protected header names `alg` and `enc`. Anything else would fail for every client
    /// later, so it is refused now, as step-ca refuses it.
    static func checkCompactJWE(_ text: String) throws(WardenError) {
        let field = "details.JWK.encryptedPrivateKey"
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 5 else { throw .badRequest("\(field): not a JWE (expected five dot-separated parts, got \(parts.count))") }
        guard let headerBytes = ProtoBytes.decode(String(parts[0])),
            case .object(let header)? = try? JSONDecoder().decode(JSONValue.self, from: headerBytes),
            header["alg"]?.stringValue?.isEmpty == false, header["enc"]?.stringValue?.isEmpty == false
        else { throw .badRequest("\(field): not a JWE (the protected header must be JSON naming alg and enc)") }
        for (index, part) in parts.enumerated().dropFirst() where !part.isEmpty && ProtoBytes.decode(String(part)) == nil {
            throw .badRequest("\(field): not a JWE (part \(index + 1) is not base64url)")
        }
    }

    /// A new stored provisioner from this document (POST): the id is always new.
    public func makeProvisioner(id: UUID = UUID(), now: Date = Date()) -> LinkedProvisioner {
        LinkedProvisioner(
            id: id, type: type, name: name, details: details, claims: claims, x509Template: x509Template,
            sshTemplate: sshTemplate, extras: extras, createdAt: now, updatedAt: now)
    }

    /// The update of `stored` described by this document (PUT): identity fields must not change. `name` and
    /// `type` are identity too (step-ca treats them so): certificates and admins are bound to the provisioner's
    /// id, and a provisioner that could be renamed could be swapped for another under its old name.
    public func applying(to stored: LinkedProvisioner, now: Date = Date()) throws(WardenError) -> LinkedProvisioner {
        if let id, id.lowercased() != stored.id.uuidString.lowercased() { throw .badRequest("id: cannot change provisioner id") }
        if type != stored.type { throw .badRequest("type: cannot change provisioner type") }
        if name != stored.name {
            throw .badRequest("name: cannot change provisioner name (\"\(stored.name)\" → \"\(name)\"); create a new provisioner instead")
        }
        if let authorityID, authorityID != LinkedProvisioner.authorityID, !authorityID.isEmpty {
            throw .badRequest("authorityId: cannot change provisioner authorityId")
        }
        if let createdAt, let date = ProtoTimestamp.parse(createdAt),
            date.timeIntervalSince1970.rounded(.down) != stored.createdAt.timeIntervalSince1970.rounded(.down)
        {
            throw .badRequest("createdAt: cannot change provisioner createdAt")
        }
        if let deletedAt, deletedAt != ProtoTimestamp.zero, !deletedAt.isEmpty {
            throw .badRequest("deletedAt: cannot change provisioner deletedAt")
        }
        var updated = stored
        updated.details = details
        updated.claims = claims
        updated.x509Template = x509Template
        updated.sshTemplate = sshTemplate
        updated.extras = extras
        updated.updatedAt = now
        return updated
    }
}
