import Foundation
import SwiftASN1
import WardenCore
import X509

/// Reading and writing certificates as PEM, the form every file and most wire fields use.
public enum PEMBundle {
    /// All certificates in a PEM text, in order.
    public static func certificates(fromPEM text: String) throws(WardenError) -> [Certificate] {
        do {
            let documents = try PEMDocument.parseMultiple(pemString: text)
            let certificates = try documents.filter { $0.discriminator == "CERTIFICATE" }.map { try Certificate(pemDocument: $0) }
            guard !certificates.isEmpty else { throw WardenError.badRequest("no certificate found in PEM") }
            return certificates
        } catch let error as WardenError {
            throw error
        } catch {
            throw .badRequest("invalid PEM certificate: \(error)")
        }
    }

    public static func certificates(fromFile path: String) throws(WardenError) -> [Certificate] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .badRequest("cannot read certificate file \(path)")
        }
        do {
            return try certificates(fromPEM: String(decoding: data, as: UTF8.self))
        } catch {
            throw WardenError(error.code, "\(path): \(error.message)")
        }
    }

    public static func pem(_ certificate: Certificate) -> String {
        (try? certificate.serializeAsPEM().pemString).map { $0 + "\n" } ?? ""
    }

    public static func pem(_ certificates: [Certificate]) -> String {
        certificates.map(pem).joined()
    }

    public static func der(_ certificate: Certificate) -> [UInt8] {
        var serializer = DER.Serializer()
        try? serializer.serialize(certificate)
        return serializer.serializedBytes
    }

    /// Lowercase hex SHA-256 of the DER, step's root fingerprint format.
    public static func fingerprint(_ certificate: Certificate) -> String {
        Fingerprint.sha256Hex(der(certificate))
    }
}

extension Certificate {
    /// The serial as Warden's ``WardenCore/SerialNumber`` (decimal/hex forms, database key).
    public var wardenSerial: WardenCore.SerialNumber {
        WardenCore.SerialNumber(bytes: serialNumber.bytes)
    }
}
