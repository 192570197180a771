import Foundation
import Logging
import PostgresNIO
import WardenCore

/// The `revocations` table.
public struct RevocationRepository: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// Records a revocation (and consumes the authorising token) in one transaction. A serial already revoked
    /// is a `conflict`; nothing is written in that case.
    public func revoke(
        _ revocation: Revocation, provisionerID: UUID?, provisionerName: String?, consumingToken token: UsedToken?, audit: AuditEvent? = nil,
        logger: Logger
    ) async throws(WardenError) {
        try await database.perform { [database] in
            try await database.client.withTransaction(logger: logger) { connection in
                if let token {
                    try await TokenLedger.consume(token, on: connection, logger: logger)
                }
                let rows = try await connection.query(
                    """
                    INSERT INTO revocations (serial, reason_code, reason, revoked_at, revoked_by, method, passive,
                        provisioner_id, provisioner_name, not_after)
                    VALUES (\(revocation.serial.decimal)::numeric, \(revocation.reasonCode.rawValue), \(revocation.reason),
                        \(revocation.revokedAt), \(revocation.revokedBy), \(revocation.method.rawValue), \(revocation.passive),
                        \(provisionerID), \(provisionerName), \(revocation.certificateNotAfter))
                    ON CONFLICT (serial) DO NOTHING RETURNING serial
                    """, logger: logger)
                var inserted = false
                for try await _ in rows { inserted = true }
                if !inserted {
                    throw WardenError.conflict("certificate with serial number \(revocation.serial) is already revoked")
                }
                try await connection.query(
                    "UPDATE certificates SET revoked_at = \(revocation.revokedAt) WHERE serial = \(revocation.serial.decimal)::numeric",
                    logger: logger)
                if let audit {
                    try await AuditRepository.insert(audit, on: connection, logger: logger)
                }
                let notice = ChangeNotice.payload(kind: "revocation", id: revocation.serial.decimal)
                try await connection.runToCompletion("SELECT pg_notify(\(ManagementChange.channel), \(notice))", logger: logger)
            }
        }
    }

    public func isRevoked(serial: SerialNumber, logger: Logger) async throws(WardenError) -> Bool {
        try await database.perform { [database] in
            for try await _ in try await database.client.query(
                "SELECT 1 FROM revocations WHERE serial = \(serial.decimal)::numeric", logger: logger)
            {
                return true
            }
            return false
        }
    }

    public func find(serial: SerialNumber, logger: Logger) async throws(WardenError) -> Revocation? {
        try await database.perform { [database] in
            let rows = try await database.client.query(
                """
                SELECT serial::text, reason_code, reason, revoked_at, revoked_by, method, passive, not_after
                FROM revocations WHERE serial = \(serial.decimal)::numeric
                """, logger: logger)
            for try await row in rows.decode((String, Int, String, Date, String, String, Bool, Date?).self) {
                return Revocation(
                    serial: serial, reasonCode: RevocationReason(rawValue: row.1) ?? .unspecified, reason: row.2,
                    revokedAt: row.3, revokedBy: row.4, method: Revocation.Method(rawValue: row.5) ?? .token,
                    passive: row.6, certificateNotAfter: row.7)
            }
            return nil
        }
    }

    /// Entries for a CRL: revocations whose certificate has not been expired for more than an hour (step's rule).
    public func crlEntries(now: Date = Date(), logger: Logger) async throws(WardenError) -> [(SerialNumber, Date, RevocationReason)] {
        try await database.perform { [database] in
            let cutoff = now.addingTimeInterval(-3600)
            let rows = try await database.client.query(
                """
                SELECT serial::text, revoked_at, reason_code FROM revocations
                WHERE not_after IS NULL OR not_after > \(cutoff) ORDER BY revoked_at, serial
                """, logger: logger)
            var entries: [(SerialNumber, Date, RevocationReason)] = []
            for try await row in rows.decode((String, Date, Int).self) {
                guard let serial = SerialNumber(decimal: row.0) else { continue }
                entries.append((serial, row.1, RevocationReason(rawValue: row.2) ?? .unspecified))
            }
            return entries
        }
    }
}
