import Foundation
import Logging
import NIOCore
import PostgresNIO
import WardenCore

/// The `certificates` table: every certificate Warden issued, committed before the response leaves.
public struct CertificateRepository: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// Stores an issued certificate and, when the issuance was authorised by a one-time token, marks the token
    /// used, in one transaction: either both happen or neither, so a replayed token can never mint a second
    /// certificate and a failed insert leaves the token usable.
    public func recordIssuance(_ record: CertificateRecord, consumingToken token: UsedToken?, logger: Logger) async throws(WardenError) {
        try await database.perform { [database] in
            do {
                try await database.client.withTransaction(logger: logger) { connection in
                    if let token {
                        try await TokenLedger.consume(token, on: connection, logger: logger)
                    }
                    try await connection.query(
                        """
                        INSERT INTO certificates (serial, subject, sans, not_before, not_after, provisioner_id,
                            provisioner_name, provisioner_type, key_algorithm, fingerprint_sha256, der, issued_at, renewed_from)
                        VALUES (\(record.serial.decimal)::numeric, \(record.subject), \(record.sans), \(record.notBefore),
                            \(record.notAfter), \(record.provisionerID), \(record.provisionerName),
                            \(record.provisionerType?.configName), \(record.keyAlgorithm), \(record.fingerprintSHA256),
                            \(ByteBuffer(bytes: record.der)), \(record.issuedAt), \(record.renewedFrom?.decimal)::numeric)
                        """, logger: logger)
                }
            } catch let error where isUniqueViolation(error) {
                throw WardenError.conflict("a certificate with serial \(record.serial) already exists")
            }
        }
    }

    public func find(serial: SerialNumber, logger: Logger) async throws(WardenError) -> CertificateRecord? {
        try await database.perform { [database] in
            let rows = try await database.client.query(
                """
                SELECT serial::text, subject, sans, not_before, not_after, provisioner_id, provisioner_name,
                    provisioner_type, key_algorithm, fingerprint_sha256, der, issued_at, renewed_from::text
                FROM certificates WHERE serial = \(serial.decimal)::numeric
                """, logger: logger)
            for try await row in rows.decode(
                (String, String, [String], Date, Date, UUID?, String, String?, String, String, ByteBuffer, Date, String?).self)
            {
                return CertificateRecord(
                    serial: SerialNumber(decimal: row.0) ?? serial, subject: row.1, sans: row.2, notBefore: row.3,
                    notAfter: row.4, provisionerID: row.5, provisionerName: row.6,
                    provisionerType: row.7.flatMap(ProvisionerType.init(name:)), keyAlgorithm: row.8,
                    fingerprintSHA256: row.9, der: Array(buffer: row.10), issuedAt: row.11,
                    renewedFrom: row.12.flatMap(SerialNumber.init(decimal:)))
            }
            return nil
        }
    }

    public func count(logger: Logger) async throws(WardenError) -> Int {
        try await database.perform { [database] in
            for try await n in try await database.client.query("SELECT count(*)::bigint FROM certificates", logger: logger)
                .decode(Int.self)
            {
                return n
            }
            return 0
        }
    }
}
