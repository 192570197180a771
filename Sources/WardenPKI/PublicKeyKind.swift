import X509

/// The algorithm family of a subject public key, read from the SubjectPublicKeyInfo's algorithm OID
/// (RFC 5480 id-ecPublicKey, RFC 8017 rsaEncryption, RFC 8410 id-Ed25519).
public enum PublicKeyKind: Sendable, Equatable {
    case rsa, ecdsa, ed25519

    private static let rsaEncryption: [UInt8] = [0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01]
    private static let ed25519OID: [UInt8] = [0x06, 0x03, 0x2B, 0x65, 0x70]

    private static func contains(_ bytes: [UInt8], _ needle: [UInt8]) -> Bool {
        guard bytes.count >= needle.count else { return false }
        return (0...(bytes.count - needle.count)).contains { Array(bytes[$0..<($0 + needle.count)]) == needle }
    }

    public init(_ key: Certificate.PublicKey) {
        // SEQUENCE { SEQUENCE { OID, params }, BIT STRING }: the algorithm OID sits in the first bytes.
        let head = Array(key.subjectPublicKeyInfoBytes.prefix(24))
        if Self.contains(head, Self.rsaEncryption) {
            self = .rsa
        } else if Self.contains(head, Self.ed25519OID) {
            self = .ed25519
        } else {
            self = .ecdsa
        }
    }
}
