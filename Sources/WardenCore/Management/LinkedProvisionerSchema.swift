import Foundation

/// The fields linkedca defines for each provisioner type, used to validate and normalise protojson input:
/// unknown fields are rejected (as protojson does), snake_case is accepted and stored as camelCase, bytes
/// must be base64, and required fields are named when missing.
public enum LinkedProvisionerSchema {
    indirect enum Kind: Sendable {
        case string
        case bool
        case int
        case duration
        case strings
        case bytes
        case bytesList
        case enumList(Set<String>)
        case object([String: Kind])
    }

    struct TypeSchema: Sendable {
        var fields: [String: Kind]
        var required: [String]
    }

    /// linkedca's enum spelling of a ca.json value: `http-01` → `HTTP_01`.
    static func enumName(_ text: String) -> String { text.uppercased().replacingOccurrences(of: "-", with: "_") }

    static let acmeChallenges: Set<String> = ["HTTP_01", "DNS_01", "TLS_ALPN_01", "DEVICE_ATTEST_01"]
    static let acmeAttestationFormats: Set<String> = ["APPLE", "STEP", "TPM"]

    static let types: [ProvisionerType: TypeSchema] = [
        .jwk: TypeSchema(fields: ["publicKey": .bytes, "encryptedPrivateKey": .bytes], required: ["publicKey"]),
        .oidc: TypeSchema(
            fields: [
                "clientId": .string, "clientSecret": .string, "configurationEndpoint": .string, "admins": .strings,
                "domains": .strings, "groups": .strings, "listenAddress": .string, "tenantId": .string, "scopes": .strings,
                "authParams": .strings,
            ], required: ["clientId", "configurationEndpoint"]),
        .gcp: TypeSchema(
            fields: [
                "serviceAccounts": .strings, "projectIds": .strings, "disableCustomSans": .bool, "disableTrustOnFirstUse": .bool,
                "instanceAge": .duration, "disableSshCaUser": .bool, "disableSshCaHost": .bool, "organizationId": .string,
            ], required: []),
        .aws: TypeSchema(
            fields: ["accounts": .strings, "disableCustomSans": .bool, "disableTrustOnFirstUse": .bool, "instanceAge": .duration],
            required: []),
        .azure: TypeSchema(
            fields: [
                "tenantId": .string, "resourceGroups": .strings, "audience": .string, "disableCustomSans": .bool,
                "disableTrustOnFirstUse": .bool, "subscriptionIds": .strings, "objectIds": .strings,
            ], required: ["tenantId"]),
        .acme: TypeSchema(
            fields: [
                "forceCn": .bool, "requireEab": .bool, "challenges": .enumList(acmeChallenges),
                "attestationFormats": .enumList(acmeAttestationFormats), "attestationRoots": .bytesList,
                "termsOfService": .string, "website": .string, "caaIdentities": .strings,
            ], required: []),
        .x5c: TypeSchema(fields: ["roots": .bytesList], required: ["roots"]),
        .k8sSA: TypeSchema(fields: ["publicKeys": .bytesList], required: []),
        .sshPOP: TypeSchema(fields: [:], required: []),
        .scep: TypeSchema(
            fields: [
                "forceCn": .bool, "challenge": .string, "capabilities": .strings, "minimumPublicKeyLength": .int,
                "includeRoot": .bool, "encryptionAlgorithmIdentifier": .int, "excludeIntermediate": .bool,
                "decrypter": .object(["certificate": .bytes, "key": .bytes, "keyUri": .string, "keyPassword": .bytes]),
            ], required: []),
        .nebula: TypeSchema(fields: ["roots": .bytesList], required: ["roots"]),
    ]

    static let durations: Kind = .object(["default": .duration, "min": .duration, "max": .duration])
    static let claims: Kind = .object([
        "x509": .object(["enabled": .bool, "durations": durations]),
        "ssh": .object(["enabled": .bool, "userDurations": durations, "hostDurations": durations]),
        "disableRenewal": .bool, "allowRenewalAfterExpiry": .bool, "disableSmallstepExtensions": .bool,
    ])
    static let template: Kind = .object(["template": .bytes, "data": .bytes])

    /// `client_id` → `clientId`; camelCase passes through.
    static func camelCase(_ key: String) -> String {
        guard key.contains("_") else { return key }
        let parts = key.split(separator: "_")
        return (parts.first.map(String.init) ?? "") + parts.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    /// Validates `value` against `kind`, returning the normalised value. `path` names the field in errors.
    static func normalize(_ value: JSONValue, as kind: Kind, path: String) throws(WardenError) -> JSONValue {
        switch kind {
        case .string:
            guard case .string = value else { throw .badRequest("\(path): expected a string") }
            return value
        case .bool:
            guard case .bool = value else { throw .badRequest("\(path): expected true or false") }
            return value
        case .int:
            guard case .number(let n) = value, n.rounded() == n else { throw .badRequest("\(path): expected an integer") }
            return value
        case .duration:
            guard case .string(let text) = value else { throw .badRequest("\(path): expected a duration string") }
            guard text.isEmpty || GoDuration(parsing: text) != nil else {
                throw .badRequest("\(path): invalid duration \"\(text)\"")
            }
            return value
        case .strings:
            guard case .array(let items) = value else { throw .badRequest("\(path): expected a list of strings") }
            for (index, item) in items.enumerated() {
                guard case .string = item else { throw .badRequest("\(path)[\(index)]: expected a string") }
            }
            return value
        case .bytes:
            guard case .string(let text) = value else { throw .badRequest("\(path): expected base64 bytes") }
            guard let data = ProtoBytes.decode(text) else { throw .badRequest("\(path): not valid base64") }
            return .string(data.base64EncodedString())
        case .bytesList:
            guard case .array(let items) = value else { throw .badRequest("\(path): expected a list of base64 values") }
            var out: [JSONValue] = []
            for (index, item) in items.enumerated() {
                out.append(try normalize(item, as: .bytes, path: "\(path)[\(index)]"))
            }
            return .array(out)
        case .enumList(let allowed):
            guard case .array(let items) = value else { throw .badRequest("\(path): expected a list") }
            var out: [JSONValue] = []
            for (index, item) in items.enumerated() {
                // ca.json spells these `http-01`, `tpm`; linkedca `HTTP_01`, `TPM`. Both are accepted, the enum is kept.
                guard case .string(let text) = item, case let canonical = Self.enumName(text), allowed.contains(canonical) else {
                    throw .badRequest("\(path)[\(index)]: must be one of \(allowed.sorted().joined(separator: ", "))")
                }
                out.append(.string(canonical))
            }
            return .array(out)
        case .object(let fields):
            guard case .object(let object) = value else { throw .badRequest("\(path): expected an object") }
            var out: [String: JSONValue] = [:]
            for (rawKey, inner) in object {
                let key = camelCase(rawKey)
                guard let innerKind = fields[key] else { throw .badRequest("\(path).\(rawKey): unknown field \"\(rawKey)\"") }
                if inner == .null { continue }
                out[key] = try normalize(inner, as: innerKind, path: "\(path).\(key)")
            }
            return .object(out)
        }
    }
}

/// protojson bytes: standard or URL-safe base64, padding optional.
public enum ProtoBytes {
    public static func decode(_ text: String) -> Data? {
        var s = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        s = s.replacingOccurrences(of: "=", with: "")
        let remainder = s.count % 4
        if remainder == 1 { return nil }
        if remainder > 0 { s += String(repeating: "=", count: 4 - remainder) }
        return Data(base64Encoded: s)
    }
}
