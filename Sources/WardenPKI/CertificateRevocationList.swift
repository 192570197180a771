import Foundation
import SwiftASN1
import WardenCore
import X509

/// An X.509 v2 CRL (RFC 5280 §5) signed by the intermediate.
///
/// swift-certificates 1.21 has no CRL type, so the DER is written here with SwiftASN1: entries carry a
/// reasonCode extension, the list carries CRLNumber and AuthorityKeyIdentifier.
public enum CertificateRevocationList {
    public struct Entry: Sendable, Hashable {
        public var serial: WardenCore.SerialNumber
        public var revokedAt: Date
        public var reason: RevocationReason

        public init(serial: WardenCore.SerialNumber, revokedAt: Date, reason: RevocationReason) {
            self.serial = serial
            self.revokedAt = revokedAt
            self.reason = reason
        }
    }

    static let ecdsaWithSHA256: ASN1ObjectIdentifier = [1, 2, 840, 10045, 4, 3, 2]
    static let crlNumberOID: ASN1ObjectIdentifier = [2, 5, 29, 20]
    static let reasonCodeOID: ASN1ObjectIdentifier = [2, 5, 29, 21]
    static let authorityKeyIdentifierOID: ASN1ObjectIdentifier = [2, 5, 29, 35]

    /// DER of the signed CRL.
    public static func make(
        entries: [Entry], number: Int64, thisUpdate: Date, nextUpdate: Date, signer: SigningAuthority
    ) throws -> [UInt8] {
        var tbs = DER.Serializer()
        try tbs.appendConstructedNode(identifier: .sequence) { list in
            try list.serialize(1)  // v2
            try appendAlgorithm(&list)
            try list.serialize(signer.intermediate.subject)
            try appendTime(thisUpdate, into: &list)
            try appendTime(nextUpdate, into: &list)
            if !entries.isEmpty {
                try list.appendConstructedNode(identifier: .sequence) { revoked in
                    for entry in entries {
                        try revoked.appendConstructedNode(identifier: .sequence) { item in
                            appendInteger(entry.serial.bytes, into: &item)
                            try appendTime(entry.revokedAt, into: &item)
                            if entry.reason != .unspecified {
                                try item.appendConstructedNode(identifier: .sequence) { extensions in
                                    try extensions.serialize(
                                        Certificate.Extension(oid: reasonCodeOID, critical: false, value: enumerated(entry.reason.rawValue)[...]))
                                }
                            }
                        }
                    }
                }
            }
            try list.appendConstructedNode(identifier: ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific)) { wrapper in
                try wrapper.appendConstructedNode(identifier: .sequence) { extensions in
                    var number64 = DER.Serializer()
                    try number64.serialize(number)
                    try extensions.serialize(
                        Certificate.Extension(oid: crlNumberOID, critical: false, value: number64.serializedBytes[...]))
                    let keyID = (try? signer.intermediate.extensions.subjectKeyIdentifier)??.keyIdentifier
                        ?? SubjectKeyIdentifier(hash: signer.intermediate.publicKey).keyIdentifier
                    try extensions.serialize(Certificate.Extension(AuthorityKeyIdentifier(keyIdentifier: keyID), critical: false))
                }
            }
        }
        let tbsBytes = tbs.serializedBytes
        let signature = try signer.signatureDER(over: tbsBytes)
        var out = DER.Serializer()
        try out.appendConstructedNode(identifier: .sequence) { crl in
            crl.serializeRawBytes(tbsBytes)
            try appendAlgorithm(&crl)
            try crl.serialize(ASN1BitString(bytes: signature[...]))
        }
        return out.serializedBytes
    }

    public static func pem(der: [UInt8]) -> String {
        PEMDocument(type: "X509 CRL", derBytes: der).pemString + "\n"
    }

    private static func enumerated(_ value: Int) -> [UInt8] {
        [0x0a, 0x01, UInt8(value)]
    }

    private static func appendAlgorithm(_ coder: inout DER.Serializer) throws {
        try coder.appendConstructedNode(identifier: .sequence) { alg in
            try alg.serialize(ecdsaWithSHA256)
        }
    }

    private static func appendInteger(_ magnitude: [UInt8], into coder: inout DER.Serializer) {
        var bytes = magnitude.isEmpty ? [0] : magnitude
        if bytes[0] & 0x80 != 0 { bytes.insert(0, at: 0) }
        coder.appendPrimitiveNode(identifier: .integer) { $0.append(contentsOf: bytes) }
    }

    /// UTCTime through 2049, GeneralizedTime after, as RFC 5280 requires.
    private static func appendTime(_ date: Date, into coder: inout DER.Serializer) throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        if c.year! < 2050 {
            try coder.serialize(
                UTCTime(year: c.year!, month: c.month!, day: c.day!, hours: c.hour!, minutes: c.minute!, seconds: c.second!))
        } else {
            try coder.serialize(
                GeneralizedTime(
                    year: c.year!, month: c.month!, day: c.day!, hours: c.hour!, minutes: c.minute!, seconds: c.second!,
                    fractionalSeconds: 0))
        }
    }
}
