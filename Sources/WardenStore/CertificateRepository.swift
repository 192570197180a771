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
            let searchText = ([record.subject] + record.sans).joined(separator: " ").lowercased()
            let notice = ChangeNotice.payload(kind: "certificate", id: record.serial.decimal)
            let auditAfter = JSONText.encode(audit?.after.map(SecretRedaction.redact))
            let query: PostgresQuery = """
                WITH tok AS (
                    INSERT INTO used_tokens (token_id, expires_at)
                    SELECT \(token?.id), \(token?.expiresAt) WHERE \(token != nil)
                    ON CONFLICT (token_id) DO NOTHING RETURNING 1
                ), allowed AS (
                    SELECT 1 AS ok FROM tok UNION ALL SELECT 1 WHERE NOT \(token != nil)
                ), cert AS (
                    INSERT INTO certificates (serial, subject, sans, not_before, not_after, provisioner_id, provisioner_name,
                        provisioner_type, key_algorithm, fingerprint_sha256, der, issued_at, renewed_from, search_text)
                    SELECT \(record.serial.decimal)::numeric, \(record.subject), \(record.sans), \(record.notBefore), \(record.notAfter),
                        \(record.provisionerID), \(record.provisionerName), \(record.provisionerType?.configName), \(record.keyAlgorithm),
                        \(record.fingerprintSHA256), \(ByteBuffer(bytes: record.der)), \(record.issuedAt),
                        \(record.renewedFrom?.decimal)::numeric, \(searchText)
                    FROM allowed RETURNING serial
                ), aud AS (
                    INSERT INTO audit_events (at, actor_subject, actor_provisioner, actor_serial, auth_method, action, target_kind,
                        target_id, after, request_id, remote_addr, outcome)
                    SELECT \(audit?.at ?? record.issuedAt), \(audit?.actorSubject), \(audit?.actorProvisioner), \(audit?.actorSerial),
                        \(audit?.authMethod), \(audit?.action), 'certificate', \(record.serial.decimal), \(auditAfter)::jsonb,
                        \(audit?.requestID), \(audit?.remoteAddress), 'success'
                    FROM cert WHERE \(audit != nil)
                    RETURNING 1
                ), note AS (
                    SELECT pg_notify(\(ManagementChange.channel), \(notice)) FROM cert
                )
                SELECT (SELECT count(*) FROM cert)::bigint, (SELECT count(*) FROM note)::bigint, (SELECT count(*) FROM aud)::bigint
                """
            do {
                var inserted = 0
                for try await row in try await database.client.query(query, logger: logger).decode((Int, Int, Int).self) {
                    inserted = row.0
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
