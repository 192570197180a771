import Crypto
import Foundation
import NIOHTTP1
import WardenClient
import WardenCore
import WardenPKI
import WardenTestSupport
import X509

/// Builds one-time tokens with chosen (including wrong) claims, signed with the test CA's JWK provisioner key.
struct TestTokens {
    let key: P256.Signing.PrivateKey
    let keyID: String
    let issuer: String
    let baseURL: String

    init(ca: RunningCA) throws {
        let configuration = try CAConfiguration.load(path: ca.configPath)
        let provisioner = configuration.authority.provisioners.first { $0.type == .jwk }!
        let jwk = try EncryptedJWK.decryptKey(provisioner.encryptedKey!, password: ca.password)
        self.key = try jwk.p256PrivateKey()
        self.keyID = provisioner.keyID!
        self.issuer = provisioner.name
        self.baseURL = ca.url.absoluteString
    }

    /// A one-time token; `signingKey` replaces the provisioner's key (a forgery with the right `kid`), `edit`
    /// changes any claim after the defaults are set.
    func make(
        subject: String, sans: [String]? = nil, audience: String? = nil, issuer: String? = nil, issuedAt: Date = Date(),
        lifetime: TimeInterval = 300, jti: String = OneTimeToken.newTokenID(), keyID: String? = nil,
        signingKey: P256.Signing.PrivateKey? = nil, edit: (inout TokenClaims) -> Void = { _ in }
    ) async throws -> String {
        var claims = TokenClaims(
            iss: issuer ?? self.issuer, sub: subject, aud: audience ?? baseURL + "/1.0/sign",
            exp: issuedAt.addingTimeInterval(lifetime), nbf: issuedAt, iat: issuedAt, jti: jti, sans: sans ?? [subject])
        edit(&claims)
        return try await OneTimeToken.sign(claims, key: signingKey ?? key, keyID: keyID ?? self.keyID)
    }

    static func csr(subject: String, sans: [String], key: P256.Signing.PrivateKey = .init()) throws -> String {
        try CertificateRequestBuilder.make(subject: subject, sans: sans, key: key)
    }
}

extension CAClient {
    /// JSON in, status and body text out, error statuses included.
    func exchange(_ method: String, _ path: String, json: String?) async throws -> (status: Int, body: String) {
        let response = try await exchange(.init(rawValue: method), path, body: json.map { Array($0.utf8) })
        return (response.status, String(decoding: response.body, as: UTF8.self))
    }
}
