import Crypto
import CryptoExtras
import Foundation
import SwiftASN1
import WardenCore

/// CA private keys at rest: PKCS#8 `EncryptedPrivateKeyInfo` with PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC), the
/// format `openssl pkcs8 -topk8 -v2 aes-256-cbc` writes, so operators can inspect and back up keys with openssl.
///
/// swift-certificates reads plain PKCS#8 only; the PBES2 envelope is encoded here with SwiftASN1.
public enum EncryptedPrivateKeyFile {
    static let pbes2 = ASN1ObjectIdentifier("1.2.840.113549.1.5.13")
    static let pbkdf2 = ASN1ObjectIdentifier("1.2.840.113549.1.5.12")
    static let hmacSHA256 = ASN1ObjectIdentifier("1.2.840.113549.2.9")
    static let aes256CBC = ASN1ObjectIdentifier("2.16.840.1.101.3.4.1.42")

    public static let defaultIterations = 600_000

    /// PEM ("ENCRYPTED PRIVATE KEY") for a P-256 key.
    public static func seal(_ key: P256.Signing.PrivateKey, password: [UInt8], iterations: Int = defaultIterations) throws -> String {
        let plaintext = Array(key.derRepresentation)  // PKCS#8 PrivateKeyInfo
        let salt = randomBytes(16)
        let iv = randomBytes(16)
        let derived = try KDF.Insecure.PBKDF2.deriveKey(
            from: password, salt: salt, using: .sha256, outputByteCount: 32, unsafeUncheckedRounds: iterations)
        let ciphertext = try AES._CBC.encrypt(plaintext, using: derived, iv: AES._CBC.IV(ivBytes: iv))
        var serializer = DER.Serializer()
        try serializer.appendConstructedNode(identifier: .sequence) { outer in
            try outer.appendConstructedNode(identifier: .sequence) { algorithm in
                try algorithm.serialize(pbes2)
                try algorithm.appendConstructedNode(identifier: .sequence) { params in
                    try params.appendConstructedNode(identifier: .sequence) { kdf in
                        try kdf.serialize(pbkdf2)
                        try kdf.appendConstructedNode(identifier: .sequence) { kdfParams in
                            try kdfParams.serialize(ASN1OctetString(contentBytes: salt[...]))
                            try kdfParams.serialize(iterations)
                            try kdfParams.appendConstructedNode(identifier: .sequence) { prf in
                                try prf.serialize(hmacSHA256)
                                try prf.serialize(ASN1Null())
                            }
                        }
                    }
                    try params.appendConstructedNode(identifier: .sequence) { cipher in
                        try cipher.serialize(aes256CBC)
                        try cipher.serialize(ASN1OctetString(contentBytes: iv[...]))
                    }
                }
            }
            try outer.serialize(ASN1OctetString(contentBytes: Array(ciphertext)[...]))
        }
        return PEMDocument(type: "ENCRYPTED PRIVATE KEY", derBytes: serializer.serializedBytes).pemString
    }

    /// Opens a PEM written by ``seal(_:password:iterations:)`` (or by openssl with the same parameters).
    /// Plain unencrypted PKCS#8/SEC1 PEM is accepted too, for keys kept in an HSM-less lab.
    public static func open(pem: String, password: [UInt8]?) throws(WardenError) -> P256.Signing.PrivateKey {
        let document: PEMDocument
        do {
            document = try PEMDocument(pemString: pem)
        } catch {
            throw .badRequest("private key file is not PEM")
        }
        if document.discriminator != "ENCRYPTED PRIVATE KEY" {
            do {
                return try P256.Signing.PrivateKey(pemRepresentation: pem)
            } catch {
                throw .badRequest("private key is not an EC P-256 key")
            }
        }
        guard let password else { throw .unauthorized("private key is encrypted: a password is required") }
        let parsed: (salt: [UInt8], iterations: Int, iv: [UInt8], ciphertext: [UInt8])
        do {
            parsed = try parse(document.derBytes)
        } catch {
            throw .badRequest("unsupported encrypted private key (expected PBES2 with PBKDF2-HMAC-SHA256 and AES-256-CBC)")
        }
        do {
            let derived = try KDF.Insecure.PBKDF2.deriveKey(
                from: password, salt: parsed.salt, using: .sha256, outputByteCount: 32,
                unsafeUncheckedRounds: parsed.iterations)
            let plaintext = try AES._CBC.decrypt(parsed.ciphertext, using: derived, iv: AES._CBC.IV(ivBytes: parsed.iv))
            return try P256.Signing.PrivateKey(derRepresentation: plaintext)
        } catch {
            throw .unauthorized("cannot decrypt private key: wrong password")
        }
    }

    private static func nextSequence<T>(
        _ nodes: inout ASN1NodeCollection.Iterator, _ body: (inout ASN1NodeCollection.Iterator) throws -> T
    ) throws -> T {
        guard let node = nodes.next() else { throw ASN1Error.invalidASN1Object(reason: "truncated structure") }
        return try DER.sequence(node, identifier: .sequence, body)
    }

    private static func parse(_ der: [UInt8]) throws -> (salt: [UInt8], iterations: Int, iv: [UInt8], ciphertext: [UInt8]) {
        let root = try DER.parse(der)
        return try DER.sequence(root, identifier: .sequence) { nodes in
            let algorithm = try nextSequence(&nodes) { alg in
                let oid = try ASN1ObjectIdentifier(derEncoded: &alg)
                guard oid == pbes2 else { throw ASN1Error.invalidASN1Object(reason: "not PBES2") }
                return try nextSequence(&alg) { params in
                    let kdf = try nextSequence(&params) { kdf in
                        let kdfOID = try ASN1ObjectIdentifier(derEncoded: &kdf)
                        guard kdfOID == pbkdf2 else { throw ASN1Error.invalidASN1Object(reason: "not PBKDF2") }
                        return try nextSequence(&kdf) { p in
                            let salt = try ASN1OctetString(derEncoded: &p)
                            let iterations = try Int(derEncoded: &p)
                            // keyLength is optional; prf must be HMAC-SHA256 here.
                            var prfOID: ASN1ObjectIdentifier?
                            while let node = p.next() {
                                if node.identifier == .sequence {
                                    prfOID = try DER.sequence(node, identifier: .sequence) { prf in
                                        let o = try ASN1ObjectIdentifier(derEncoded: &prf)
                                        _ = prf.next()
                                        return o
                                    }
                                }
                            }
                            guard prfOID == hmacSHA256 else { throw ASN1Error.invalidASN1Object(reason: "prf") }
                            return (Array(salt.bytes), iterations)
                        }
                    }
                    let iv = try nextSequence(&params) { cipher in
                        let cipherOID = try ASN1ObjectIdentifier(derEncoded: &cipher)
                        guard cipherOID == aes256CBC else { throw ASN1Error.invalidASN1Object(reason: "cipher") }
                        return Array(try ASN1OctetString(derEncoded: &cipher).bytes)
                    }
                    return (kdf.0, kdf.1, iv)
                }
            }
            let ciphertext = try ASN1OctetString(derEncoded: &nodes)
            guard algorithm.1 > 0, algorithm.1 <= 10_000_000 else {
                throw ASN1Error.invalidASN1Object(reason: "iterations")
            }
            return (algorithm.0, algorithm.1, algorithm.2, Array(ciphertext.bytes))
        }
    }
}
