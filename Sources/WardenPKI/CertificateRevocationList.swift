import Crypto
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
                    let keyID =
                        (try? signer.intermediate.extensions.subjectKeyIdentifier)??.keyIdentifier
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

    /// A CRL read back (what a relying party sees): its number, validity, entries with reasons, and whether an
    /// issuer's key signed it. Reads the subset of RFC 5280 §5.1 that ``make(entries:number:thisUpdate:nextUpdate:signer:)``
    /// writes (ECDSA P-256 signatures).
    public struct Parsed: Sendable {
        public var number: Int64?
        public var thisUpdate: Date
        public var nextUpdate: Date?
        public var entries: [Entry]
        let tbs: ArraySlice<UInt8>
        let signature: ArraySlice<UInt8>

        public init(der: [UInt8]) throws {
            let root = try DER.parse(der)
            var fields: (ArraySlice<UInt8>, ArraySlice<UInt8>, Int64?, Date, Date?, [Entry])?
            try DER.sequence(root, identifier: .sequence) { nodes in
                guard let tbsNode = nodes.next() else { throw ASN1Error.invalidASN1Object(reason: "no tbsCertList") }
                _ = nodes.next()
                let signature = try ASN1BitString(derEncoded: &nodes)
                var number: Int64?
                var thisUpdate = Date(timeIntervalSince1970: 0)
                var nextUpdate: Date?
                var entries: [Entry] = []
                try DER.sequence(tbsNode, identifier: .sequence) { list in
                    _ = try Int(derEncoded: &list)  // version
                    _ = list.next()  // signature algorithm
                    _ = list.next()  // issuer
                    thisUpdate = try Self.time(list.next())
                    while let node = list.next() {
                        if node.identifier == .utcTime || node.identifier == .generalizedTime {
                            nextUpdate = try Self.time(node)
                        } else if node.identifier == .sequence {
                            entries = try Self.entries(node)
                        } else if node.identifier == ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific) {
                            number = try Self.crlNumber(node)
                        }
                    }
                }
                fields = (tbsNode.encodedBytes, signature.bytes, number, thisUpdate, nextUpdate, entries)
            }
            guard let fields else { throw ASN1Error.invalidASN1Object(reason: "empty CRL") }
            (tbs, signature, number, thisUpdate, nextUpdate, entries) = fields
        }

        /// Whether `issuer`'s key made the signature over the list.
        public func isSigned(by issuer: Certificate) -> Bool {
            guard let key = P256.Signing.PublicKey(issuer.publicKey),
                let signature = try? P256.Signing.ECDSASignature(derRepresentation: signature)
            else { return false }
            return key.isValidSignature(signature, for: SHA256.hash(data: Array(tbs)))
        }

        static func time(_ node: ASN1Node?) throws -> Date {
            guard let node else { throw ASN1Error.invalidASN1Object(reason: "missing time") }
            if node.identifier == .utcTime {
                let t = try UTCTime(derEncoded: node)
                return try date(t.year, t.month, t.day, t.hours, t.minutes, t.seconds)
            }
            let t = try GeneralizedTime(derEncoded: node)
            return try date(t.year, t.month, t.day, t.hours, t.minutes, t.seconds)
        }

        static func date(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int, _ second: Int) throws -> Date {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(secondsFromGMT: 0) ?? calendar.timeZone
            guard let date = calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second))
            else { throw ASN1Error.invalidASN1Object(reason: "bad time") }
            return date
        }

        static func entries(_ node: ASN1Node) throws -> [Entry] {
            var out: [Entry] = []
            try DER.sequence(node, identifier: .sequence) { items in
                while let item = items.next() {
                    try DER.sequence(item, identifier: .sequence) { fields in
                        guard let serialNode = fields.next(), case .primitive(let serialBytes) = serialNode.content else {
                            throw ASN1Error.invalidASN1Object(reason: "entry without serial")
                        }
                        let revokedAt = try time(fields.next())
                        var reason = RevocationReason.unspecified
                        if let extensionsNode = fields.next() {
                            try DER.sequence(extensionsNode, identifier: .sequence) { extensions in
                                while let extensionNode = extensions.next() {
                                    let ext = try Certificate.Extension(derEncoded: extensionNode)
                                    if ext.oid == reasonCodeOID, ext.value.count == 3,
                                        let parsed = RevocationReason(rawValue: Int(ext.value[ext.value.startIndex + 2]))
                                    {
                                        reason = parsed
                                    }
                                }
                            }
                        }
                        out.append(Entry(serial: WardenCore.SerialNumber(bytes: serialBytes), revokedAt: revokedAt, reason: reason))
                    }
                }
            }
            return out
        }

        static func crlNumber(_ node: ASN1Node) throws -> Int64? {
            var number: Int64?
            try DER.explicitlyTagged(node, tagNumber: 0, tagClass: .contextSpecific) { wrapped in
                try DER.sequence(wrapped, identifier: .sequence) { extensions in
                    while let extensionNode = extensions.next() {
                        let ext = try Certificate.Extension(derEncoded: extensionNode)
                        if ext.oid == crlNumberOID { number = try Int64(derEncoded: Array(ext.value)) }
                    }
                }
            }
            return number
        }
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
