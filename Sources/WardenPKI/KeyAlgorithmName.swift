import Crypto
import CryptoExtras
import Foundation
import X509

/// A short human name for a public key's algorithm ("ECDSA P-256", "RSA 2048", "Ed25519"), stored with every
/// certificate so the inventory can be filtered by it without parsing DER.
public enum KeyAlgorithmName {
    public static func describe(_ key: Certificate.PublicKey) -> String {
        if P256.Signing.PublicKey(key) != nil { return "ECDSA P-256" }
        if P384.Signing.PublicKey(key) != nil { return "ECDSA P-384" }
        if P521.Signing.PublicKey(key) != nil { return "ECDSA P-521" }
        if let rsa = _RSA.Signing.PublicKey(key) { return "RSA \(rsa.keySizeInBits)" }
        if Curve25519.Signing.PublicKey(key) != nil { return "Ed25519" }
        return "unknown"
    }
}
