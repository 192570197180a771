import WardenCore

/// An immutable snapshot of the provisioners an instance serves, indexed for token lookup.
///
/// Swapped whole on reload, so a request sees one consistent set from start to end.
public struct ProvisionerSet: Sendable {
    public let all: [Provisioner]
    private let byName: [String: Provisioner]
    private let byKeyID: [String: Provisioner]

    public init(_ provisioners: [Provisioner]) {
        self.all = provisioners
        var byName: [String: Provisioner] = [:]
        var byKeyID: [String: Provisioner] = [:]
        for provisioner in provisioners {
            byName[provisioner.name] = provisioner
            if provisioner.type == .jwk, let kid = provisioner.keyID {
                byKeyID[kid] = provisioner
            }
        }
        self.byName = byName
        self.byKeyID = byKeyID
    }

    public func named(_ name: String) -> Provisioner? { byName[name] }

    /// The JWK provisioner whose key has this id (the `/provisioners/{kid}/encrypted-key` lookup).
    public func jwk(keyID: String) -> Provisioner? { byKeyID[keyID] }

    /// step identifies a JWK token's provisioner by `iss:kid`: both must match one provisioner.
    public func jwk(issuer: String, keyID: String) -> Provisioner? {
        guard let provisioner = byKeyID[keyID], provisioner.name == issuer else { return nil }
        return provisioner
    }
}
