import Crypto
import Foundation
import WardenCore
import WardenPKI
import X509

/// What step's CLI does with a JWK provisioner and its password: fetch the encrypted key from the CA, decrypt
/// it, and sign one-time tokens with it.
public struct ProvisionerTokenIssuer: Sendable {
    public let provisioner: Provisioner
    let key: P256.Signing.PrivateKey
    let keyID: String
    let caURL: URL
    let rootFingerprint: String

    /// Finds the JWK provisioner `name` through the public API and decrypts its key.
    public static func load(client: CAClient, name: String, password: [UInt8]) async throws -> ProvisionerTokenIssuer {
        let provisioners = try await client.provisioners()
        guard let provisioner = provisioners.first(where: { $0.name == name }) else {
            let available = provisioners.map(\.name).joined(separator: ", ")
            throw WardenError.notFound("provisioner \"\(name)\" not found (available: \(available))")
        }
        guard provisioner.type == .jwk, let keyID = provisioner.keyID else {
            throw WardenError.badRequest("provisioner \"\(name)\" is a \(provisioner.type.configName) provisioner; only JWK can mint tokens here")
        }
        let encrypted = try await provisioner.encryptedKey.asyncOr { try await client.encryptedKey(keyID: keyID) }
        let jwk = try EncryptedJWK.decryptKey(encrypted, password: password)
        guard let root = client.configuration.roots.first else { throw WardenError.badRequest("no root certificate") }
        return ProvisionerTokenIssuer(
            provisioner: provisioner, key: try jwk.p256PrivateKey(), keyID: jwk.kid ?? keyID, caURL: client.configuration.url,
            rootFingerprint: PEMBundle.fingerprint(root))
    }

    /// A token for `aud = <ca-url><path>`, valid five minutes, as step makes them.
    public func token(subject: String, sans: [String] = [], audiencePath: String, now: Date = Date()) async throws -> String {
        let audience = caURL.absoluteString.trimmingSuffix("/") + audiencePath
        let claims = TokenClaims(
            iss: provisioner.name, sub: subject, aud: audience, exp: now.addingTimeInterval(300), nbf: now, iat: now,
            jti: OneTimeToken.newTokenID(), sans: sans.isEmpty ? [subject] : sans, sha: rootFingerprint)
        return try await OneTimeToken.sign(claims, key: key, keyID: keyID)
    }
}

extension Optional where Wrapped == String {
    func asyncOr(_ fallback: () async throws -> String) async throws -> String {
        if let self, !self.isEmpty { return self }
        return try await fallback()
    }
}
