import Crypto
import Foundation
import WardenCore
import WardenPKI
import WardenTemplate
import X509

/// An immutable snapshot of the provisioners an instance serves, indexed for token lookup.
///
/// Swapped whole on reload, so a request sees one consistent set from start to end. Every provisioner in the
/// set has an ``Provisioner/id``: the database's for remotely managed ones, and for ca.json ones an id derived
/// from type, name and credential (``derivedID(of:)``), so that certificates are bound to a provisioner's
/// identity in both modes and a provisioner recreated with a new key is a new identity.
public struct ProvisionerSet: Sendable {
    public let all: [Provisioner]
    private let byName: [String: Provisioner]
    private let byID: [UUID: Provisioner]
    private let byKeyID: [String: Provisioner]
    /// JWK provisioners' public keys and X5C provisioners' roots (by name), parsed once per set rather than on
    /// every token.
    private let verificationKeys: [String: P256.Signing.PublicKey]
    private let x5cRoots: [String: Result<[Certificate], WardenError>]
    /// Each provisioner's X.509 template, parsed once per set (a template that does not parse is kept as its error
    /// and answered as 400 at issuance; write-time validation keeps such templates out of the database).
    private let x509Templates: [UUID: Result<X509Template, WardenError>]
    /// Each provisioner's certificate issuance policy (`policy`), parsed once per set.
    private let policies: [UUID: Result<IssuancePolicy?, WardenError>]
    /// Each provisioner's webhooks, parsed once per set.
    private let webhooks: [UUID: Result<[Webhook], WardenError>]
    /// Each provisioner's JSON as the admin list shows it, and as the public list shows it (SCEP secrets
    /// redacted): encoded once per set, since lists are read far more often than provisioners change.
    let adminJSON: [[UInt8]]
    let publicJSON: [[UInt8]]

    public init(_ configured: [Provisioner]) {
        let provisioners = configured.map { provisioner in
            var identified = provisioner
            if identified.id == nil { identified.id = Self.derivedID(of: provisioner) }
            return identified
        }
        self.all = provisioners
        self.byID = Dictionary(provisioners.map { ($0.id!, $0) }, uniquingKeysWith: { first, _ in first })
        var byName: [String: Provisioner] = [:]
        var byKeyID: [String: Provisioner] = [:]
        var keys: [String: P256.Signing.PublicKey] = [:]
        var roots: [String: Result<[Certificate], WardenError>] = [:]
        for provisioner in provisioners {
            byName[provisioner.name] = provisioner
            if provisioner.type == .x5c, let pem = provisioner.x5cRootsPEM {
                roots[provisioner.name] = Result { () throws(WardenError) in try PEMBundle.certificates(fromPEM: pem) }
            }
            if provisioner.type == .jwk, let kid = provisioner.keyID, byKeyID[kid] == nil {
                byKeyID[kid] = provisioner
                if let json = provisioner.fields["key"], let key = try? JSONWebKey(jsonValue: json).p256PublicKey() {
                    keys[kid] = key
                }
            }
        }
        var templates: [UUID: Result<X509Template, WardenError>] = [:]
        for provisioner in provisioners {
            templates[provisioner.id!] = Result { () throws(WardenError) in try Self.compileX509Template(of: provisioner) }
        }
        self.x509Templates = templates
        var policies: [UUID: Result<IssuancePolicy?, WardenError>] = [:]
        for provisioner in provisioners {
            policies[provisioner.id!] = Result { () throws(WardenError) in
                guard let json = provisioner.fields["policy"], json != .null else { return nil }
                return try IssuancePolicy(json: json)
            }
        }
        self.policies = policies
        var webhooks: [UUID: Result<[Webhook], WardenError>] = [:]
        for provisioner in provisioners {
            webhooks[provisioner.id!] = Result { () throws(WardenError) in try Webhook.list(provisioner.fields["webhooks"]) }
        }
        self.webhooks = webhooks
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

    /// The X.509 template of `provisioner` (step's default leaf template when it has none of its own).
    func x509Template(of provisioner: Provisioner) throws(WardenError) -> X509Template {
        guard let id = provisioner.id, let compiled = x509Templates[id] else { return try Self.compileX509Template(of: provisioner) }
        return try compiled.get()
    }

    /// The provisioner's webhooks (none for ca.json provisioners: step defines them with remote management).
    func webhooks(of provisioner: Provisioner) throws(WardenError) -> [Webhook] {
        guard let id = provisioner.id, let parsed = webhooks[id] else { return [] }
        return try parsed.get()
    }

    /// The provisioner's own certificate issuance policy, if it has one.
    func policy(of provisioner: Provisioner) throws(WardenError) -> IssuancePolicy? {
        guard let id = provisioner.id, let parsed = policies[id] else { return nil }
        return try parsed.get()
    }

    /// Parses `options.x509` of a provisioner. A `templateFile` still present here was not read (ca.json files are
    /// inlined at load, ``TemplateFileLoader``; the database stores contents): refused rather than ignored.
    static func compileX509Template(of provisioner: Provisioner) throws(WardenError) -> X509Template {
        let options = provisioner.x509TemplateOptions
        if options.template == nil, let file = options.templateFile {
            throw .badRequest("provisioner \(provisioner.name): options.x509.templateFile \(file) was not loaded")
        }
        return try X509Template(text: options.template, data: options.data, name: provisioner.name)
    }

    /// The verification key of the JWK provisioner whose key id is `keyID`.
    func verificationKey(keyID: String) -> P256.Signing.PublicKey? { verificationKeys[keyID] }

    public func named(_ name: String) -> Provisioner? { byName[name] }

    /// The live provisioner with this id.
    public func provisioner(id: UUID) -> Provisioner? { byID[id] }

    /// The live provisioner that issued `certificate`, decided on identity, never on a name alone:
    ///
    /// - when Warden recorded the certificate with a provisioner id (`recordedID`), that provisioner — or none,
    ///   if it was removed (a provisioner removed and recreated under the same name is a new identity);
    /// - otherwise (certificates from before Warden recorded ids, or issued by step-ca before migration), the
    ///   provisioner step's extension names, only if its type **and** credential (JWK key id, OIDC client id)
    ///   still match, so a provisioner recreated or re-keyed under the old name does not inherit them.
    public func issuer(of certificate: Certificate, recordedID: UUID?) -> Provisioner? {
        if let recordedID { return byID[recordedID] }
        guard let claimed = ProvisionerExtension(certificate: certificate), let provisioner = byName[claimed.name],
            provisioner.type.rawValue == claimed.type, provisioner.credentialID == claimed.credentialID
        else { return nil }
        return provisioner
    }

    /// A stable id for a provisioner that has none (ca.json): SHA-256 of its type, name and credential (the
    /// JWK key, the OIDC client id, the X5C/Nebula roots, the K8sSA keys) as a version-8 UUID (RFC 9562).
    /// Claims, templates and the encrypted private key are not part of it: changing them keeps the identity.
    static func derivedID(of provisioner: Provisioner) -> UUID {
        let credential: String
        switch provisioner.type {
        case .jwk:
            let key = provisioner.fields["key"] ?? .null
            credential =
                (provisioner.keyID ?? "") + "|" + ["kty", "crv", "x", "y", "n", "e"].map { key[$0]?.stringValue ?? "" }.joined(separator: "|")
        case .x5c, .nebula: credential = provisioner.fields["roots"]?.stringValue ?? ""
        case .k8sSA: credential = provisioner.fields["publicKeys"]?.stringValue ?? ""
        default: credential = provisioner.credentialID
        }
        var bytes = Array(
            SHA256.hash(data: Array("warden.provisioner\u{0}\(provisioner.type.enumName)\u{0}\(provisioner.name)\u{0}\(credential)".utf8)).prefix(16))
        bytes[6] = (bytes[6] & 0x0f) | 0x80
        bytes[8] = (bytes[8] & 0x3f) | 0x80
        return UUID(
            uuid: (
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8], bytes[9], bytes[10], bytes[11], bytes[12],
                bytes[13], bytes[14], bytes[15]
            ))
    }

    /// The JWK provisioner whose key has this id (the `/provisioners/{kid}/encrypted-key` lookup).
    public func jwk(keyID: String) -> Provisioner? { byKeyID[keyID] }

    /// step identifies a JWK token's provisioner by `iss:kid`: both must match one provisioner.
    public func jwk(issuer: String, keyID: String) -> Provisioner? {
        guard let provisioner = byKeyID[keyID], provisioner.name == issuer else { return nil }
        return provisioner
    }
}
