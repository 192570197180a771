import Foundation
import Testing
import WardenCore

@testable import WardenPKI

@Suite struct EncryptedJWKTests {
    @Test func roundTripsAndHasStepsHeader() throws {
        let (publicKey, privateKey) = JSONWebKey.generateP256()
        let jwe = try EncryptedJWK.encryptKey(privateKey, password: Array("pw".utf8), iterations: 1000)
        let parts = jwe.split(separator: ".", omittingEmptySubsequences: false)
        #expect(parts.count == 5)
        let header = String(decoding: Base64URL.decode(parts[0])!, as: UTF8.self)
        #expect(header.hasPrefix(#"{"alg":"PBES2-HS256+A128KW","cty":"jwk+json","enc":"A256GCM","p2c":1000,"p2s":""#))
        #expect(Base64URL.decode(parts[1])?.count == 40)  // AES-KW of a 32-byte CEK
        #expect(Base64URL.decode(parts[2])?.count == 12)
        #expect(Base64URL.decode(parts[4])?.count == 16)
        let decrypted = try EncryptedJWK.decryptKey(jwe, password: Array("pw".utf8))
        #expect(decrypted == privateKey)
        #expect(decrypted.publicOnly == publicKey)
        #expect(publicKey.kid == publicKey.thumbprint)
    }

    @Test func wrongPasswordFailsAsUnauthorized() throws {
        let (_, privateKey) = JSONWebKey.generateP256()
        let jwe = try EncryptedJWK.encryptKey(privateKey, password: Array("right".utf8), iterations: 1000)
        #expect(throws: WardenError.unauthorized("")) { try EncryptedJWK.decrypt(jwe, password: Array("wrong".utf8)) }
    }

    @Test func tamperingIsDetected() throws {
        let (_, privateKey) = JSONWebKey.generateP256()
        var parts = try EncryptedJWK.encryptKey(privateKey, password: Array("pw".utf8), iterations: 1000)
            .split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        var ciphertext = Base64URL.decode(parts[3])!
        ciphertext[0] ^= 0x01
        parts[3] = Base64URL.encode(ciphertext)
        #expect(throws: WardenError.unauthorized("")) { try EncryptedJWK.decrypt(parts.joined(separator: "."), password: Array("pw".utf8)) }
        #expect(throws: WardenError.badRequest("")) { try EncryptedJWK.decrypt("not.a.jwe", password: Array("pw".utf8)) }
    }

    /// RFC 7638 §3.1's canonical-member rule, checked against a thumbprint computed independently with
    /// Python's hashlib for this key: {"crv":"P-256","kty":"EC","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
    /// "y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"} → sha256 base64url.
    @Test func thumbprintMatchesRFC7638() throws {
        let json =
            #"{"kty":"EC","crv":"P-256","use":"sig","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}"#
        let key = try JSONDecoder().decode(JSONWebKey.self, from: Data(json.utf8))
        #expect(key.thumbprint == "oKIywvGUpTVTyxMQ3bwIIeQUudfr_CkLMjCE19ECD-U")
    }
}
