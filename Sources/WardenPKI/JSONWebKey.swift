import Crypto
import Foundation
import WardenCore

/// An EC P-256 JSON Web Key as step writes it: `{"use":"sig","kty":"EC","kid":…,"crv":"P-256","alg":"ES256","x","y"[,"d"]}`.
///
/// The `kid` is the RFC 7638 thumbprint, which is how one-time tokens name the provisioner key.
public struct JSONWebKey: Hashable, Sendable, Codable {
    public var use: String?
    public var kty: String
    public var kid: String?
    public var crv: String?
    public var alg: String?
    public var x: String?
    public var y: String?
    public var d: String?

    /// A fresh signing key, with its thumbprint as `kid`.
    public static func generateP256() -> (publicKey: JSONWebKey, privateKey: JSONWebKey) {
        let key = P256.Signing.PrivateKey()
        let priv = JSONWebKey(privateKey: key)
        var pub = priv
        pub.d = nil
        return (pub, priv)
    }

    public init(privateKey: P256.Signing.PrivateKey) {
        self.init(publicKey: privateKey.publicKey)
        self.d = Base64URL.encode(privateKey.rawRepresentation)
    }

    public init(publicKey: P256.Signing.PublicKey) {
        let raw = Array(publicKey.rawRepresentation)  // x || y, 32 bytes each
        self.use = "sig"
        self.kty = "EC"
        self.crv = "P-256"
        self.alg = "ES256"
        self.x = Base64URL.encode(raw[0..<32])
        self.y = Base64URL.encode(raw[32..<64])
        self.d = nil
        self.kid = nil
        self.kid = thumbprint
    }

    /// RFC 7638 SHA-256 thumbprint, base64url: the canonical JSON of the required members, in lexical order.
    public var thumbprint: String {
        let canonical = "{\"crv\":\"\(crv ?? "")\",\"kty\":\"\(kty)\",\"x\":\"\(x ?? "")\",\"y\":\"\(y ?? "")\"}"
        return Base64URL.encode(SHA256.hash(data: Data(canonical.utf8)))
    }

    public var publicOnly: JSONWebKey {
        var copy = self
        copy.d = nil
        return copy
    }

    public func p256PublicKey() throws(WardenError) -> P256.Signing.PublicKey {
        guard kty == "EC", crv == "P-256", let xs = x, let ys = y, let xb = Base64URL.decode(xs), let yb = Base64URL.decode(ys),
            xb.count == 32, yb.count == 32
        else { throw .badRequest("unsupported JWK: only EC P-256 keys are supported") }
        do {
            return try P256.Signing.PublicKey(rawRepresentation: xb + yb)
        } catch {
            throw .badRequest("invalid EC public key in JWK")
        }
    }

    public func p256PrivateKey() throws(WardenError) -> P256.Signing.PrivateKey {
        guard let ds = d, let db = Base64URL.decode(ds), db.count == 32 else {
            throw .badRequest("JWK has no usable private key")
        }
        do {
            return try P256.Signing.PrivateKey(rawRepresentation: db)
        } catch {
            throw .badRequest("invalid EC private key in JWK")
        }
    }

    /// The JSON text step stores (compact, keys in step's order).
    public func jsonString() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    }

    public var jsonValue: JSONValue {
        (try? JSONDecoder().decode(JSONValue.self, from: Data(jsonString().utf8))) ?? .null
    }

    public init(jsonValue: JSONValue) throws(WardenError) {
        do {
            let data = try JSONEncoder().encode(jsonValue)
            self = try JSONDecoder().decode(JSONWebKey.self, from: data)
        } catch {
            throw .badRequest("invalid JWK: \(describeDecodingError(error))")
        }
    }
}
