import Foundation

/// Conversion between the linkedca form (admin API, database) and ca.json's form (public `/provisioners`,
/// `GET /admin/provisioners`, issuance, migration of an existing ca.json).
extension LinkedProvisioner {
    /// How one detail field is spelled and encoded in ca.json.
    enum ConfigField {
        /// Same value, different key.
        case plain(String)
        /// linkedca `repeated bytes` of PEM ↔ ca.json base64 of the concatenated PEM.
        case pemBundle(String)
        /// linkedca `bytes` ↔ ca.json base64 string.
        case base64(String)
        /// linkedca `bytes` holding text ↔ ca.json string.
        case text(String)
        /// ACME enums (`HTTP_01`) ↔ ca.json (`http-01`).
        case acmeEnums(String)

        /// The ca.json key.
        var configKey: String {
            switch self {
            case .plain(let key), .pemBundle(let key), .base64(let key), .text(let key), .acmeEnums(let key): key
            }
        }
    }

    static let configFields: [ProvisionerType: [String: ConfigField]] = [
        .oidc: [
            "clientId": .plain("clientID"), "clientSecret": .plain("clientSecret"),
            "configurationEndpoint": .plain("configurationEndpoint"), "admins": .plain("admins"), "domains": .plain("domains"),
            "groups": .plain("groups"), "listenAddress": .plain("listenAddress"), "tenantId": .plain("tenantID"),
            "scopes": .plain("scopes"), "authParams": .plain("authParams"),
        ],
        .gcp: [
            "serviceAccounts": .plain("serviceAccounts"), "projectIds": .plain("projectIDs"),
            "disableCustomSans": .plain("disableCustomSANs"), "disableTrustOnFirstUse": .plain("disableTrustOnFirstUse"),
            "instanceAge": .plain("instanceAge"), "disableSshCaUser": .plain("disableSSHCAUser"),
            "disableSshCaHost": .plain("disableSSHCAHost"), "organizationId": .plain("organizationID"),
        ],
        .aws: [
            "accounts": .plain("accounts"), "disableCustomSans": .plain("disableCustomSANs"),
            "disableTrustOnFirstUse": .plain("disableTrustOnFirstUse"), "instanceAge": .plain("instanceAge"),
        ],
        .azure: [
            "tenantId": .plain("tenantID"), "resourceGroups": .plain("resourceGroups"), "audience": .plain("audience"),
            "disableCustomSans": .plain("disableCustomSANs"), "disableTrustOnFirstUse": .plain("disableTrustOnFirstUse"),
            "subscriptionIds": .plain("subscriptionIDs"), "objectIds": .plain("objectIDs"),
        ],
        .acme: [
            "forceCn": .plain("forceCN"), "requireEab": .plain("requireEAB"), "challenges": .acmeEnums("challenges"),
            "attestationFormats": .acmeEnums("attestationFormats"), "attestationRoots": .pemBundle("attestationRoots"),
            "termsOfService": .plain("termsOfService"), "website": .plain("website"), "caaIdentities": .plain("caaIdentities"),
        ],
        .x5c: ["roots": .pemBundle("roots")],
        .k8sSA: ["publicKeys": .pemBundle("publicKeys")],
        .nebula: ["roots": .pemBundle("roots")],
        .scep: [
            "forceCn": .plain("forceCN"), "challenge": .plain("challenge"), "capabilities": .plain("capabilities"),
            "minimumPublicKeyLength": .plain("minimumPublicKeyLength"), "includeRoot": .plain("includeRoot"),
            "encryptionAlgorithmIdentifier": .plain("encryptionAlgorithmIdentifier"),
            "excludeIntermediate": .plain("excludeIntermediate"),
        ],
    ]

    /// The ca.json-style object: what issuance uses and what step's clients read from `/provisioners`.
    public var configForm: Provisioner {
        var fields: [String: JSONValue] = [:]
        switch type {
        case .jwk:
            if let key = details["publicKey"]?.stringValue.flatMap(ProtoBytes.decode),
                let jwk = try? JSONDecoder().decode(JSONValue.self, from: key)
            {
                fields["key"] = jwk
            }
            if let encrypted = details["encryptedPrivateKey"]?.stringValue.flatMap(ProtoBytes.decode) {
                fields["encryptedKey"] = .string(String(decoding: encrypted, as: UTF8.self))
            }
        case .scep:
            if let decrypter = details["decrypter"]?.objectValue {
                if let v = decrypter["certificate"] { fields["decrypterCertificate"] = v }
                if let v = decrypter["key"] { fields["decrypterKeyPEM"] = v }
                if let v = decrypter["keyUri"] { fields["decrypterKeyURI"] = v }
                if let v = decrypter["keyPassword"]?.stringValue.flatMap(ProtoBytes.decode) {
                    fields["decrypterKeyPassword"] = .string(String(decoding: v, as: UTF8.self))
                }
            }
            fallthrough
        default:
            for (linkedKey, value) in details {
                guard let mapping = Self.configFields[type]?[linkedKey] else { continue }
                switch mapping {
                case .plain(let key):
                    fields[key] = value
                case .pemBundle(let key):
                    let pem = (value.arrayValue ?? []).compactMap { $0.stringValue.flatMap(ProtoBytes.decode) }
                        .map { String(decoding: $0, as: UTF8.self) }.joined()
                    fields[key] = .string(Data(pem.utf8).base64EncodedString())
                case .base64(let key):
                    fields[key] = value
                case .text(let key):
                    if let data = value.stringValue.flatMap(ProtoBytes.decode) {
                        fields[key] = .string(String(decoding: data, as: UTF8.self))
                    }
                case .acmeEnums(let key):
                    fields[key] = .array(
                        (value.arrayValue ?? []).compactMap { $0.stringValue }.map {
                            .string($0.lowercased().replacingOccurrences(of: "_", with: "-"))
                        })
                }
            }
        }
        var x509Options: [String: JSONValue] = [:]
        if let template = x509Template?["template"]?.stringValue.flatMap(ProtoBytes.decode), !template.isEmpty {
            x509Options["template"] = .string(String(decoding: template, as: UTF8.self))
        }
        if let data = x509Template?["data"]?.stringValue.flatMap(ProtoBytes.decode), !data.isEmpty,
            let json = try? JSONDecoder().decode(JSONValue.self, from: data)
        {
            x509Options["templateData"] = json
        }
        var sshOptions: [String: JSONValue] = [:]
        if let template = sshTemplate?["template"]?.stringValue.flatMap(ProtoBytes.decode), !template.isEmpty {
            sshOptions["template"] = .string(String(decoding: template, as: UTF8.self))
        }
        if let data = sshTemplate?["data"]?.stringValue.flatMap(ProtoBytes.decode), !data.isEmpty,
            let json = try? JSONDecoder().decode(JSONValue.self, from: data)
        {
            sshOptions["templateData"] = json
        }
        fields["options"] = .object(["x509": .object(x509Options), "ssh": .object(sshOptions)])
        // The provisioner's certificate issuance policy is enforced at issuance (left out of the public list).
        if let policy = extras["policy"] { fields["policy"] = policy }
        // Webhooks are called at issuance (left out of the public list: they carry secrets).
        if let webhooks = extras["webhooks"] { fields["webhooks"] = webhooks }
        var claims = LinkedClaims.toClaims(self.claims)
        claims.disableRenewal = claims.disableRenewal ?? false
        claims.allowRenewalAfterExpiry = claims.allowRenewalAfterExpiry ?? false
        claims.disableSmallstepExtensions = claims.disableSmallstepExtensions ?? false
        return Provisioner(id: id, type: type, name: name, claims: claims, fields: fields)
    }

    /// A linkedca provisioner from a ca.json one (migration of an existing CA into the database). Template
    /// options come along (`options.x509` into `x509Template`, `options.ssh` into `sshTemplate`, kept apart):
    /// `template` inline, or the contents of `templateFile` that the caller read (`templateFileContents`, by
    /// "x509"/"ssh"), with `templateData`.
    public init(migrating provisioner: Provisioner, id: UUID = UUID(), now: Date = Date(), templateFileContents: [String: String] = [:]) {
        var details: [String: JSONValue] = [:]
        switch provisioner.type {
        case .jwk:
            if let key = provisioner.fields["key"], let data = try? JSONEncoder().encode(key) {
                details["publicKey"] = .string(data.base64EncodedString())
            }
            if let encrypted = provisioner.encryptedKey {
                details["encryptedPrivateKey"] = .string(Data(encrypted.utf8).base64EncodedString())
            }
        default:
            if provisioner.type == .scep, let decrypter = Self.migratedDecrypter(provisioner.fields) { details["decrypter"] = decrypter }
            for (linkedKey, mapping) in Self.configFields[provisioner.type] ?? [:] {
                switch mapping {
                case .plain(let key):
                    if let value = provisioner.fields[key] { details[linkedKey] = value }
                case .pemBundle(let key):
                    guard let encoded = provisioner.fields[key]?.stringValue else { continue }
                    let text =
                        encoded.contains("-----BEGIN") ? encoded : (ProtoBytes.decode(encoded).map { String(decoding: $0, as: UTF8.self) } ?? "")
                    let blocks = PEMBlocks.split(text)
                    details[linkedKey] = .array(blocks.map { .string(Data($0.utf8).base64EncodedString()) })
                case .base64(let key):
                    if let value = provisioner.fields[key] { details[linkedKey] = value }
                case .text(let key):
                    if let value = provisioner.fields[key]?.stringValue { details[linkedKey] = .string(Data(value.utf8).base64EncodedString()) }
                case .acmeEnums(let key):
                    if let values = provisioner.fields[key]?.arrayValue {
                        details[linkedKey] = .array(values.compactMap { $0.stringValue }.map { .string(LinkedProvisionerSchema.enumName($0)) })
                    }
                }
            }
        }
        let options = provisioner.fields["options"]
        self.init(
            id: id, type: provisioner.type, name: provisioner.name, details: details,
            claims: LinkedClaims.fromClaims(provisioner.claims),
            x509Template: Self.migratedTemplate(options?["x509"], file: templateFileContents["x509"]),
            sshTemplate: Self.migratedTemplate(options?["ssh"], file: templateFileContents["ssh"]), createdAt: now, updatedAt: now)
    }

    /// linkedca's SCEP `decrypter` from ca.json's `decrypterCertificate`/`decrypterKeyPEM` (base64, kept),
    /// `decrypterKeyURI` and `decrypterKeyPassword` (text, base64-encoded as linkedca `bytes`).
    static func migratedDecrypter(_ fields: [String: JSONValue]) -> JSONValue? {
        var decrypter: [String: JSONValue] = [:]
        if let v = fields["decrypterCertificate"] { decrypter["certificate"] = v }
        if let v = fields["decrypterKeyPEM"] { decrypter["key"] = v }
        if let v = fields["decrypterKeyURI"] { decrypter["keyUri"] = v }
        if let v = fields["decrypterKeyPassword"]?.stringValue { decrypter["keyPassword"] = .string(Data(v.utf8).base64EncodedString()) }
        return decrypter.isEmpty ? nil : .object(decrypter)
    }

    /// The top-level keys a ca.json provisioner of `type` may carry besides `type`, `name`, `claims` and
    /// `options` (what ``init(migrating:id:now:templateFileContents:)`` reads).
    public static func configKeys(for type: ProvisionerType) -> Set<String> {
        switch type {
        case .jwk: return ["key", "encryptedKey"]
        case .scep:
            return Set((configFields[.scep] ?? [:]).values.map(\.configKey))
                .union(["decrypterCertificate", "decrypterKeyPEM", "decrypterKeyURI", "decrypterKeyPassword"])
        default: return Set((configFields[type] ?? [:]).values.map(\.configKey))
        }
    }

    /// `{template, data}` (base64, as linkedca carries them) from ca.json's `{template | templateFile, templateData}`.
    static func migratedTemplate(_ options: JSONValue?, file: String?) -> JSONValue? {
        let inline = options?["template"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        let text = inline ?? file
        let data = options?["templateData"].flatMap { $0 == .null ? nil : $0 }
        return templateDocument(text: text, data: data)
    }

    /// linkedca's `x509Template`/`sshTemplate` (`{template, data}`, both base64) with `text` and `data` set over
    /// `existing`'s fields; nil when neither is given.
    public static func templateDocument(text: String?, data: JSONValue?, over existing: JSONValue? = nil) -> JSONValue? {
        guard text != nil || data != nil else { return nil }
        var template = existing?.objectValue ?? [:]
        if let text { template["template"] = .string(Data(text.utf8).base64EncodedString()) }
        if let data, let encoded = try? JSONEncoder().encode(data) { template["data"] = .string(encoded.base64EncodedString()) }
        return .object(template)
    }

    /// The `templateFile` paths of a ca.json provisioner's options, by "x509"/"ssh".
    public static func templateFiles(of provisioner: Provisioner) -> [String: String] {
        var files: [String: String] = [:]
        for kind in ["x509", "ssh"] {
            if let path = provisioner.fields["options"]?[kind]?["templateFile"]?.stringValue, !path.isEmpty { files[kind] = path }
        }
        return files
    }
}

/// Splits concatenated PEM text into its blocks.
enum PEMBlocks {
    static func split(_ text: String) -> [String] {
        var blocks: [String] = []
        var current: [Substring] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("-----BEGIN") { current = [] }
            current.append(line)
            if line.hasPrefix("-----END") {
                blocks.append(current.joined(separator: "\n") + "\n")
                current = []
            }
        }
        return blocks
    }
}
