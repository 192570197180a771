import Foundation

extension LinkedProvisioner {
    /// The identifiers a token names to select this provisioner, which must be unique among live provisioners
    /// (step-ca's `GetIDForToken`, without the name it prefixes to JWK ids):
    ///
    /// - JWK: `jwk:<kid>` and `jwk-key:<key material>` — the same public key under another `kid` would verify
    ///   the other provisioner's tokens, so it counts as the same identifier;
    /// - OIDC: `oidc:<client id>`; Azure: `azure:<tenant id>`;
    /// - every other type: `<type>:<name>` (names are unique among live provisioners anyway).
    ///
    /// The database keeps them in `provisioner_token_ids` with a primary key, so two instances creating
    /// duplicates at the same moment cannot both succeed.
    public var tokenIdentifiers: [String] {
        switch type {
        case .jwk:
            guard let encoded = details["publicKey"]?.stringValue, let data = ProtoBytes.decode(encoded),
                let key = try? JSONDecoder().decode(JSONValue.self, from: data)
            else { return ["jwk:name:\(name)"] }
            var identifiers: [String] = []
            if let kid = key["kid"]?.stringValue, !kid.isEmpty { identifiers.append("jwk:\(kid)") }
            if let material = Self.keyMaterial(key) { identifiers.append("jwk-key:\(material)") }
            return identifiers.isEmpty ? ["jwk:name:\(name)"] : identifiers
        case .oidc:
            if let clientID = details["clientId"]?.stringValue, !clientID.isEmpty { return ["oidc:\(clientID)"] }
        case .azure:
            if let tenant = details["tenantId"]?.stringValue, !tenant.isEmpty { return ["azure:\(tenant)"] }
        default:
            break
        }
        return ["\(type.enumName.lowercased()):\(name)"]
    }

    /// The members RFC 7638 puts in a thumbprint (the key itself, without `kid`, `use` or `alg`), in a fixed
    /// order: equal for the same public key however it is labelled.
    static func keyMaterial(_ key: JSONValue) -> String? {
        guard let kty = key["kty"]?.stringValue else { return nil }
        let members: [String]
        switch kty {
        case "EC": members = ["crv", "x", "y"]
        case "RSA": members = ["e", "n"]
        case "OKP": members = ["crv", "x"]
        case "oct": members = ["k"]
        default: return nil
        }
        let values = members.map { key[$0]?.stringValue ?? "" }
        guard values.allSatisfy({ !$0.isEmpty }) else { return nil }
        return ([kty] + values).joined(separator: "/")
    }
}
