import Crypto
import Foundation
import Testing
import WardenCore
import WardenPKI

@Suite struct OneTimeTokenTests {
    func claims() -> TokenClaims {
        let now = Date()
        return TokenClaims(
            iss: "ops", sub: "svc", aud: "https://ca.internal/1.0/sign", exp: now.addingTimeInterval(300), nbf: now, iat: now,
            jti: OneTimeToken.newTokenID(), sans: ["svc"], sha: "abc")
    }

    @Test func signedTokenParsesAndVerifies() async throws {
        let key = P256.Signing.PrivateKey()
        let raw = try await OneTimeToken.sign(claims(), key: key, keyID: "kid-1")
        let token = try OneTimeToken(parsing: raw)
        #expect(token.keyID == "kid-1")
        #expect(token.algorithm == "ES256")
        #expect(token.claims.iss == "ops")
        #expect(token.claims.aud?.values == ["https://ca.internal/1.0/sign"])
        #expect(token.claims.jti?.count == 64)
        try token.verifySignature(with: key.publicKey)
    }

    @Test func wrongKeyAndTamperingFail() async throws {
        let key = P256.Signing.PrivateKey()
        let raw = try await OneTimeToken.sign(claims(), key: key, keyID: "kid-1")
        let token = try OneTimeToken(parsing: raw)
        await #expect(throws: WardenError.unauthorized("")) { try await token.verifySignature(with: P256.Signing.PrivateKey().publicKey) }
        // Same signature over a payload whose subject was changed.
        var parts = raw.split(separator: ".").map(String.init)
        var payload = parts[1].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        payload += String(repeating: "=", count: (4 - payload.count % 4) % 4)
        let json = String(decoding: Data(base64Encoded: payload)!, as: UTF8.self)
        #expect(json.contains(#""sub":"svc""#))
        let forged = Data(json.replacingOccurrences(of: #""sub":"svc""#, with: #""sub":"evil""#).utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        parts[1] = forged
        let tampered = try OneTimeToken(parsing: parts.joined(separator: "."))
        #expect(tampered.claims.sub == "evil")
        await #expect(throws: WardenError.unauthorized("")) { try await tampered.verifySignature(with: key.publicKey) }
    }

    @Test func garbageIsUnauthorized() {
        #expect(throws: WardenError.unauthorized("")) { try OneTimeToken(parsing: "garbage") }
        #expect(throws: WardenError.unauthorized("")) { try OneTimeToken(parsing: "Bearer a.b.c") }
    }
}
