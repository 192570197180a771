import Crypto
import Foundation
import WardenCore
import WardenPKI
import X509

/// An immutable snapshot of the provisioners an instance serves, indexed for token lookup.
///
/// Swapped whole on reload, so a request sees one consistent set from start to end.
public struct ProvisionerSet: Sendable {
    public let all: [Provisioner]
    private let byName: [String: Provisioner]
    private let byKeyID: [String: Provisioner]
    /// JWK provisioners' public keys and X5C provisioners' roots (by name), parsed once per set rather than on
    /// every token.
    private let verificationKeys: [String: P256.Signing.PublicKey]
    private let x5cRoots: [String: Result<[Certificate], WardenError>]
    /// Each provisioner's JSON as the admin list shows it, and as the public list shows it (SCEP secrets
    /// redacted): encoded once per set, since lists are read far more often than provisioners change.
    let adminJSON: [[UInt8]]
    let publicJSON: [[UInt8]]

    public init(_ provisioners: [Provisioner]) {
        self.all = provisioners
        var byName: [String: Provisioner] = [:]
        var byKeyID: [String: Provisioner] = [:]
        var keys: [String: P256.Signing.PublicKey] = [:]
        var roots: [String: Result<[Certificate], WardenError>] = [:]
        for provisioner in provisioners {
            byName[provisioner.name] = provisioner
            if provisioner.type == .x5c, let pem = provisioner.x5cRootsPEM {
                roots[provisioner.name] = Result { () throws(WardenError) in try PEMBundle.certificates(fromPEM: pem) }
            }
            if provisioner.type == .jwk, let kid = provisioner.keyID {
                byKeyID[kid] = provisioner
                if let json = provisioner.fields["key"], let key = try? JSONWebKey(jsonValue: json).p256PublicKey() {
                    keys[kid] = key
                }
            }
        }
        self.byName = byName
        self.byKeyID = byKeyID
        self.verificationKeys = keys
        self.x5cRoots = roots
        self.adminJSON = provisioners.map { (try? JSONResponse.encoder.encode($0)).map(Array.init) ?? [] }
        self.publicJSON = provisioners.map { (try? JSONResponse.encoder.encode(PublicRoutes.redacted($0))).map(Array.init) ?? [] }
    }

    /// A `{"provisioners":[...],"nextCursor":"..."}` page assembled from the pre-encoded objects.
    func pageJSON(_ pagination: ProvisionerPagination, redacted: Bool) -> [UInt8] {
        let encoded = redacted ? publicJSON : adminJSON
        let page = pagination.page(of: Array(encoded.indices))
        var out = Array(#"{"provisioners":["#.utf8)
        for (position, index) in page.items.enumerated() {
            if position > 0 { out.append(UInt8(ascii: ",")) }
            out += encoded[index]
        }
        out += Array(#"],"nextCursor":""#.utf8) + Array(page.nextCursor.utf8) + Array("\"}\n".utf8)
        return out
    }

    /// The parsed roots of the X5C provisioner named `name`: nil when it has none, the parse error when they
    /// do not parse.
    func x5cRoots(provisioner name: String) throws(WardenError) -> [Certificate]? { try x5cRoots[name]?.get() }

    /// The verification key of the JWK provisioner whose key id is `keyID`.
    func verificationKey(keyID: String) -> P256.Signing.PublicKey? { verificationKeys[keyID] }

    public func named(_ name: String) -> Provisioner? { byName[name] }

    /// The JWK provisioner whose key has this id (the `/provisioners/{kid}/encrypted-key` lookup).
    public func jwk(keyID: String) -> Provisioner? { byKeyID[keyID] }

    /// step identifies a JWK token's provisioner by `iss:kid`: both must match one provisioner.
    public func jwk(issuer: String, keyID: String) -> Provisioner? {
        guard let provisioner = byKeyID[keyID], provisioner.name == issuer else { return nil }
        return provisioner
    }
}
