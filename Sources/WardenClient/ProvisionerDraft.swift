import Foundation
import WardenCore
import WardenPKI

/// The typed settings an operator gives for a provisioner (CLI flags, console forms), turned into the linkedca
/// document the admin API takes. Flags follow `step ca provisioner add` names where step has them.
public struct ProvisionerDraft: Sendable {
    public var name: String
    public var type: ProvisionerType
    /// JWK: the public JWK JSON text and the encrypted private key (compact JWE).
    public var jwkPublicKey: String?
    public var jwkEncryptedKey: String?
    /// OIDC.
    public var clientID: String?
    public var clientSecret: String?
    public var configurationEndpoint: String?
    public var domains: [String] = []
    public var oidcAdmins: [String] = []
    public var groups: [String] = []
    public var tenantID: String?
    /// X5C and Nebula roots, K8sSA keys, ACME attestation roots: PEM text.
    public var roots: [String] = []
    /// ACME challenges (http-01, dns-01, tls-alpn-01, device-attest-01) or the SCEP challenge password.
    public var challenges: [String] = []
    public var scepChallenge: String?
    public var requireEAB: Bool?
    public var forceCN: Bool?
    public var awsAccounts: [String] = []
    public var gcpProjects: [String] = []
    public var gcpServiceAccounts: [String] = []
    public var azureTenant: String?
    public var azureResourceGroups: [String] = []
    public var instanceAge: String?
    public var disableCustomSANs: Bool?
    public var disableTrustOnFirstUse: Bool?
    /// Claims.
    public var x509MinDuration: String?
    public var x509MaxDuration: String?
    public var x509DefaultDuration: String?
    public var disableRenewal: Bool?
    public var allowRenewalAfterExpiry: Bool?
    /// The X.509 template text (step's `--x509-template`) and its data (`--x509-template-data`, a JSON object).
    public var x509Template: String?
    public var x509TemplateData: JSONValue?

    public init(name: String, type: ProvisionerType) {
        self.name = name
        self.type = type
    }

    /// A JWK provisioner key pair, the private half encrypted with `password` as step does.
    public mutating func generateJWK(password: [UInt8]) throws {
        let (publicKey, privateKey) = JSONWebKey.generateP256()
        jwkPublicKey = publicKey.jsonString()
        jwkEncryptedKey = try EncryptedJWK.encryptKey(privateKey, password: password)
    }

    static func bytes(_ text: String) -> JSONValue { .string(Data(text.utf8).base64EncodedString()) }
    static func strings(_ values: [String]) -> JSONValue { .array(values.map { .string($0) }) }

    /// The linkedca `details` object for the type (without the oneof wrapper).
    public var details: [String: JSONValue] {
        var d: [String: JSONValue] = [:]
        switch type {
        case .jwk:
            if let jwkPublicKey { d["publicKey"] = Self.bytes(jwkPublicKey) }
            if let jwkEncryptedKey { d["encryptedPrivateKey"] = Self.bytes(jwkEncryptedKey) }
        case .oidc:
            if let clientID { d["clientId"] = .string(clientID) }
            if let clientSecret { d["clientSecret"] = .string(clientSecret) }
            if let configurationEndpoint { d["configurationEndpoint"] = .string(configurationEndpoint) }
            if !domains.isEmpty { d["domains"] = Self.strings(domains) }
            if !oidcAdmins.isEmpty { d["admins"] = Self.strings(oidcAdmins) }
            if !groups.isEmpty { d["groups"] = Self.strings(groups) }
            if let tenantID { d["tenantId"] = .string(tenantID) }
        case .x5c, .nebula:
            d["roots"] = .array(roots.map(Self.bytes))
        case .k8sSA:
            if !roots.isEmpty { d["publicKeys"] = .array(roots.map(Self.bytes)) }
        case .acme:
            if !challenges.isEmpty {
                d["challenges"] = .array(challenges.map { .string($0.uppercased().replacingOccurrences(of: "-", with: "_")) })
            }
            if let requireEAB { d["requireEab"] = .bool(requireEAB) }
            if let forceCN { d["forceCn"] = .bool(forceCN) }
            if !roots.isEmpty { d["attestationRoots"] = .array(roots.map(Self.bytes)) }
        case .scep:
            if let scepChallenge { d["challenge"] = .string(scepChallenge) }
            if let forceCN { d["forceCn"] = .bool(forceCN) }
        case .aws:
            if !awsAccounts.isEmpty { d["accounts"] = Self.strings(awsAccounts) }
        case .gcp:
            if !gcpProjects.isEmpty { d["projectIds"] = Self.strings(gcpProjects) }
            if !gcpServiceAccounts.isEmpty { d["serviceAccounts"] = Self.strings(gcpServiceAccounts) }
        case .azure:
            if let azureTenant { d["tenantId"] = .string(azureTenant) }
            if !azureResourceGroups.isEmpty { d["resourceGroups"] = Self.strings(azureResourceGroups) }
        case .sshPOP:
            break
        }
        if [.aws, .gcp, .azure].contains(type) {
            if let instanceAge, type != .azure { d["instanceAge"] = .string(instanceAge) }
            if let disableCustomSANs { d["disableCustomSans"] = .bool(disableCustomSANs) }
            if let disableTrustOnFirstUse { d["disableTrustOnFirstUse"] = .bool(disableTrustOnFirstUse) }
        }
        return d
    }

    /// Claims in linkedca form, or nil when no claim flag was given.
    public var claims: JSONValue? {
        var durations: [String: JSONValue] = [:]
        if let x509DefaultDuration { durations["default"] = .string(x509DefaultDuration) }
        if let x509MinDuration { durations["min"] = .string(x509MinDuration) }
        if let x509MaxDuration { durations["max"] = .string(x509MaxDuration) }
        var object: [String: JSONValue] = [:]
        if !durations.isEmpty { object["x509"] = .object(["enabled": .bool(true), "durations": .object(durations)]) }
        if let disableRenewal { object["disableRenewal"] = .bool(disableRenewal) }
        if let allowRenewalAfterExpiry { object["allowRenewalAfterExpiry"] = .bool(allowRenewalAfterExpiry) }
        return object.isEmpty ? nil : .object(object)
    }

    /// The document for `POST /admin/provisioners`.
    public var document: JSONValue {
        var object: [String: JSONValue] = [
            "type": .string(type.enumName), "name": .string(name),
            "details": .object([LinkedProvisioner.detailsKey(for: type): .object(details)]),
        ]
        if let claims { object["claims"] = claims }
        if let template = LinkedProvisioner.templateDocument(text: x509Template, data: x509TemplateData) { object["x509Template"] = template }
        return .object(object)
    }

    /// `existing` with this draft's non-empty settings applied (for `update`): details merged field by field,
    /// claims merged, identity fields kept so the server accepts the PUT.
    public func merged(into existing: JSONValue) -> JSONValue {
        guard case .object(var object) = existing else { return document }
        let key = LinkedProvisioner.detailsKey(for: type)
        var currentDetails = existing["details"]?[key]?.objectValue ?? [:]
        for (field, value) in details { currentDetails[field] = value }
        object["details"] = .object([key: .object(currentDetails)])
        if case .object(let newClaims)? = claims {
            var current = existing["claims"]?.objectValue ?? [:]
            for (field, value) in newClaims {
                if field == "x509", case .object(let x509) = value {
                    var currentX509 = current["x509"]?.objectValue ?? [:]
                    var currentDurations = currentX509["durations"]?.objectValue ?? [:]
                    for (k, v) in x509["durations"]?.objectValue ?? [:] { currentDurations[k] = v }
                    currentX509["enabled"] = .bool(true)
                    currentX509["durations"] = .object(currentDurations)
                    current["x509"] = .object(currentX509)
                } else {
                    current[field] = value
                }
            }
            object["claims"] = .object(current)
        }
        if let template = LinkedProvisioner.templateDocument(text: x509Template, data: x509TemplateData, over: existing["x509Template"]) {
            object["x509Template"] = template
        }
        object["name"] = .string(name)
        return .object(object)
    }
}
