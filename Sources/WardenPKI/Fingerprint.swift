import Crypto
import Foundation

/// SHA-256 fingerprints in lowercase hex.
public enum Fingerprint {
    public static func sha256Hex(_ bytes: some Sequence<UInt8>) -> String {
        Array(SHA256.hash(data: Array(bytes))).hexString
    }
}
