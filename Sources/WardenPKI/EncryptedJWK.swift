import Crypto
import CryptoExtras
import Foundation
import WardenCore

/// A password-encrypted JWK in compact JWE form (PBES2-HS256+A128KW key wrapping, A256GCM content
/// encryption), byte-compatible with go.step.sm/crypto's `EncryptJWK`.
///
/// This is the `encryptedKey` of a JWK provisioner: step clients download it from
/// `/provisioners/{kid}/encrypted-key` and decrypt it with the provisioner password. No listed library writes
/// JWE, so it is built here from swift-crypto's PBKDF2, AES key wrap and AES-GCM.
public enum EncryptedJWK {
    /// The iteration count current step tools write. Older keys (100,000) still decrypt: the header says.
    public static let defaultIterations = 600_000

    static let algorithm = "PBES2-HS256+A128KW"

    struct Header: Codable {
        var alg: String
        var cty: String?
        var enc: String
        var p2c: Int
        var p2s: String
    }

    public static func encrypt(_ plaintext: [UInt8], password: [UInt8], iterations: Int = defaultIterations) throws -> String {
        let salt = randomBytes(16)
        let header = Header(alg: algorithm, cty: "jwk+json", enc: "A256GCM", p2c: iterations, p2s: Base64URL.encode(salt))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let protected = Base64URL.encode(try encoder.encode(header))
        let kek = try keyEncryptionKey(password: password, salt: salt, iterations: iterations)
        let cek = SymmetricKey(size: .bits256)
        let wrapped = try AES.KeyWrap.wrap(cek, using: kek)
        let nonce = AES.GCM.Nonce()
        let sealed = try AES.GCM.seal(plaintext, using: cek, nonce: nonce, authenticating: Array(protected.utf8))
        return [
            protected, Base64URL.encode(wrapped), Base64URL.encode(nonce), Base64URL.encode(sealed.ciphertext),
            Base64URL.encode(sealed.tag),
        ].joined(separator: ".")
    }

    /// Decrypts; a wrong password and a tampered token both fail with the same message, as they must.
    public static func decrypt(_ compact: String, password: [UInt8]) throws(WardenError) -> [UInt8] {
        let parts = compact.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 5, let headerBytes = Base64URL.decode(parts[0]), let wrapped = Base64URL.decode(parts[1]),
            let iv = Base64URL.decode(parts[2]), let ciphertext = Base64URL.decode(parts[3]), let tag = Base64URL.decode(parts[4])
        else { throw .badRequest("encrypted key is not a compact JWE") }
        guard let header = try? JSONDecoder().decode(Header.self, from: Data(headerBytes)) else {
            throw .badRequest("encrypted key has an unreadable header")
        }
        guard header.alg == algorithm, header.enc == "A256GCM" else {
            throw .badRequest("encrypted key uses unsupported algorithms \(header.alg)/\(header.enc)")
        }
        guard header.p2c > 0, header.p2c <= 10_000_000, let salt = Base64URL.decode(header.p2s) else {
            throw .badRequest("encrypted key has invalid PBES2 parameters")
        }
        do {
            let kek = try keyEncryptionKey(password: password, salt: salt, iterations: header.p2c)
            let cek = try AES.KeyWrap.unwrap(wrapped, using: kek)
            let box = try AES.GCM.SealedBox(nonce: AES.GCM.Nonce(data: iv), ciphertext: ciphertext, tag: tag)
            return Array(try AES.GCM.open(box, using: cek, authenticating: Array(parts[0].utf8)))
        } catch {
            throw .unauthorized("cannot decrypt the provisioner key: wrong password or corrupted key")
        }
    }

    /// Decrypts and parses the private JWK inside.
    public static func decryptKey(_ compact: String, password: [UInt8]) throws(WardenError) -> JSONWebKey {
        let plaintext = try decrypt(compact, password: password)
        do {
            return try JSONDecoder().decode(JSONWebKey.self, from: Data(plaintext))
        } catch {
            throw .badRequest("decrypted key is not a JWK")
        }
    }

    public static func encryptKey(_ key: JSONWebKey, password: [UInt8], iterations: Int = defaultIterations) throws -> String {
        try encrypt(Array(key.jsonString().utf8), password: password, iterations: iterations)
    }

    private static func keyEncryptionKey(password: [UInt8], salt: [UInt8], iterations: Int) throws -> SymmetricKey {
        let saltInput = Array(algorithm.utf8) + [0] + salt
        return try KDF.Insecure.PBKDF2.deriveKey(
            from: password, salt: saltInput, using: .sha256, outputByteCount: 16, unsafeUncheckedRounds: iterations)
    }
}

func randomBytes(_ count: Int) -> [UInt8] {
    var generator = SystemRandomNumberGenerator()
    return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
}
