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

    /// Stores an issued certificate, consumes the one-time token that authorised it, appends the audit summary
    /// and notifies other instances — in one SQL statement, hence atomically and in one round trip: a replayed
    /// token inserts nothing, and a failed insert leaves the token unused.
    public func recordIssuance(_ record: CertificateRecord, consumingToken token: UsedToken?, audit: AuditEvent? = nil, logger: Logger)
        async throws(WardenError)
    {
        try await database.perform { [database] in
            do {
                var inserted = 0
                for try await count in try await database.client.execute(
                    IssuanceStatement(record: record, token: token, audit: audit), logger: logger)
                {
                    inserted = count
                }
                if inserted == 0 { throw WardenError.unauthorized("token already used") }
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
