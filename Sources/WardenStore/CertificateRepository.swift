import Foundation
import Logging
import NIOCore
import PostgresNIO
import WardenCore

/// The `certificates` table: every certificate Warden issued, committed before the response leaves.
public struct CertificateRepository: Sendable {
    let database: Database
    /// Shared by copies of this repository: concurrent issuances are committed together.
    let batcher = IssuanceBatcher()

    public init(database: Database) {
        self.database = database
    }

    /// Stores an issued certificate, consumes the one-time token that authorised it, appends the audit summary
    /// and notifies other instances — in one SQL statement, hence atomically and in one round trip: a replayed
    /// token inserts nothing, and a failed insert leaves the token unused.
    public func recordIssuance(_ record: CertificateRecord, consumingToken token: UsedToken?, audit: AuditEvent? = nil, logger: Logger)
        async throws(WardenError)
    {
        let database = database
        try await batcher.submit(.init(record: record, token: token, audit: audit)) { entries in
            await Self.write(entries, database: database, logger: logger)
        }
    }

    /// One statement for all entries; should it fail as a whole (a duplicate serial), the entries are written
    /// one by one so each gets its own answer (the failed statement committed nothing, so no token was spent).
    static func write(_ entries: [IssuanceBatcher.Entry], database: Database, logger: Logger) async -> [Result<Void, WardenError>] {
        // A token id twice in one batch: only its first use may count.
        var results = [Result<Void, WardenError>?](repeating: nil, count: entries.count)
        var seenTokens = Set<String>()
        var batch: [Int] = []
        for (index, entry) in entries.enumerated() {
            if let id = entry.token?.id, !seenTokens.insert(id).inserted {
                results[index] = .failure(.unauthorized("token already used"))
            } else {
                batch.append(index)
            }
        }
        let batchEntries = batch.map { entries[$0] }
        do {
            let stored: Set<String> = try await database.perform {
                var stored = Set<String>()
                for try await serial in try await database.client.execute(
                    IssuanceBatchStatement(entries: batchEntries), logger: logger)
                {
                    stored.insert(serial)
                }
                return stored
            }
            for index in batch {
                results[index] = stored.contains(entries[index].record.serial.decimal) ? .success(()) : .failure(.unauthorized("token already used"))
            }
        } catch let error where error.code == .internalError {
            for index in batch { results[index] = await writeOne(entries[index], database: database, logger: logger) }
        } catch {
            for index in batch { results[index] = .failure(error) }
        }
        return results.map { $0 ?? .failure(.internalError("issuance was not written")) }
    }

    static func writeOne(_ entry: IssuanceBatcher.Entry, database: Database, logger: Logger) async -> Result<Void, WardenError> {
        do {
            try await database.perform {
                do {
                    var stored = false
                    for try await _ in try await database.client.execute(IssuanceBatchStatement(entries: [entry]), logger: logger) {
                        stored = true
                    }
                    if !stored { throw WardenError.unauthorized("token already used") }
                } catch let error where isUniqueViolation(error) {
                    throw WardenError.conflict("a certificate with serial \(entry.record.serial) already exists")
                }
            }
            return .success(())
        } catch {
            return .failure(error)
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
