import Foundation
import SwiftASN1
import WardenCore
import X509

/// step's provisioner extension (OID 1.3.6.1.4.1.37476.9000.64.1), which records which provisioner authorised a
/// certificate. Admin authentication falls back to it to find the provisioner of an admin certificate.
///
/// ```
/// SEQUENCE { type INTEGER, name OCTET STRING, credentialID OCTET STRING, keyValuePairs SEQUENCE OF UTF8String OPTIONAL }
/// ```
public struct ProvisionerExtension: Hashable, Sendable {
    public static let oid: ASN1ObjectIdentifier = [1, 3, 6, 1, 4, 1, 37476, 9000, 64, 1]

    public var type: Int
    public var name: String
    public var credentialID: String
    public var keyValuePairs: [String]

    public init(type: Int, name: String, credentialID: String, keyValuePairs: [String] = []) {
        self.type = type
        self.name = name
        self.credentialID = credentialID
        self.keyValuePairs = keyValuePairs
    }

    public init(provisioner: Provisioner) {
        self.init(type: provisioner.type.rawValue, name: provisioner.name, credentialID: provisioner.credentialID)
    }

    public func makeExtension() throws -> Certificate.Extension {
        var serializer = DER.Serializer()
        try serializer.appendConstructedNode(identifier: .sequence) { seq in
            try seq.serialize(type)
            try seq.serialize(ASN1OctetString(contentBytes: Array(name.utf8)[...]))
            try seq.serialize(ASN1OctetString(contentBytes: Array(credentialID.utf8)[...]))
            if !keyValuePairs.isEmpty {
                try seq.appendConstructedNode(identifier: .sequence) { pairs in
                    for pair in keyValuePairs { try pairs.serialize(ASN1UTF8String(pair)) }
                }
            }
        }
        return Certificate.Extension(oid: Self.oid, critical: false, value: serializer.serializedBytes[...])
    }

    /// Reads the extension from a certificate, if present and well-formed.
    public init?(certificate: Certificate) {
        guard let ext = certificate.extensions.first(where: { $0.oid == Self.oid }) else { return nil }
        guard let parsed = try? Self.parse(Array(ext.value)) else { return nil }
        self = parsed
    }

    public static func parse(_ der: [UInt8]) throws -> ProvisionerExtension {
        let root = try DER.parse(der)
        return try DER.sequence(root, identifier: .sequence) { nodes in
            let type = try Int(derEncoded: &nodes)
            let name = try ASN1OctetString(derEncoded: &nodes)
            let credential = try ASN1OctetString(derEncoded: &nodes)
            var pairs: [String] = []
            if let node = nodes.next() {
                pairs = try DER.sequence(of: ASN1UTF8String.self, identifier: .sequence, rootNode: node).map(String.init)
            }
            return ProvisionerExtension(
                type: type, name: String(decoding: name.bytes, as: UTF8.self),
                credentialID: String(decoding: credential.bytes, as: UTF8.self), keyValuePairs: pairs)
        }
    }
}
