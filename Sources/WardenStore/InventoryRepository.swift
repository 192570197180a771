import Foundation
import Logging
import PostgresNIO
import WardenCore

/// Searches over what the CA has issued, revoked and audited, with keyset pagination (never OFFSET) so that a
/// page costs the same at row 10 and at row 1,000,000 and stays stable while certificates are being issued.
public struct InventoryRepository: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// The `provisioner` filter joins on identity: the live provisioner whose id or name is the parameter. What a
    /// removed provisioner issued is not listed under a new provisioner that took its name.
    static func liveProvisionerID(_ parameter: String) -> String {
        "(SELECT id FROM provisioners WHERE deleted_at IS NULL AND (id::text = \(parameter) OR name = \(parameter)) LIMIT 1)"
    }

    /// How `q` narrows a search: a condition on `c`, or (for addresses) the matching rows of `certificate_ips`
    /// joined in as `h`, whose copies of `issued_at`/`not_after` give the page's order without touching the
    /// certificates that do not make the page.
    enum SearchSource {
        case condition(String)
        case addressMatches(String)
    }

    /// `q` as SQL. Addresses go through `certificate_ips`, in one of three ways chosen by counting the matches on
    /// the address index first (at most ``sortedMatchesLimit`` + 1 of them, an index-only scan):
    /// - up to ``sortedMatchesLimit`` matches and a time sort: the matches, sorted on the index's own copy of the
    ///   sort column, drive a nested loop into `certificates` that stops after a page (a /19 of 8,192 matches in
    ///   a million: one sort of 8,192 index entries, then about a page of primary-key fetches: 7 ms, not 70);
    /// - by subject: up to ``primaryKeyFetchLimit`` matches fetched by primary key and sorted;
    /// - otherwise a semi-join: the matches are dense, so walking the sort order finds a page after few rows.
    /// (Left to itself the planner walks the sort order even for 3,000 matches in a million: 300 ms, not 10.)
    /// Anything else is the trigram substring OR'ed with serial ranges on the primary key.
    static func searchSource(
        _ term: CertificateSearchTerm, sort: CertificateQuery.SortField, order: WardenCore.SortOrder, _ sql: inout SQLBuilder, client: PostgresClient,
        logger: Logger
    ) async throws -> SearchSource {
        guard !term.addressRanges.isEmpty else {
            var arms: [String] = []
            if let text = term.text { arms.append("c.search_text LIKE \(try sql.bind(SQLBuilder.containsPattern(text)))") }
            for range in term.serialRanges {
                arms.append("c.serial BETWEEN \(try sql.bind(range.lowest))::numeric AND \(try sql.bind(range.highest))::numeric")
            }
            return .condition("(\(arms.joined(separator: " OR ")))")
        }
        func ranges(_ builder: inout SQLBuilder) throws -> String {
            try term.addressRanges.map { "ip BETWEEN \(try builder.bind($0.lowest))::inet AND \(try builder.bind($0.highest))::inet" }
                .joined(separator: " OR ")
        }
        var count = SQLBuilder()
        let counted = "SELECT count(*)::bigint FROM (SELECT 1 FROM certificate_ips WHERE \(try ranges(&count)) LIMIT \(sortedMatchesLimit + 1)) m"
        var matches = 0
        for try await n in try await client.query(count.query(counted), logger: logger).decode(Int.self) { matches = n }
        let condition = try ranges(&sql)
        if sort != .subject && matches <= sortedMatchesLimit {
            // Sorted inside a fenced subquery (OFFSET 0), so the join below keeps that order and the LIMIT stops it.
            let column = sort == .issuedAt ? "issued_at" : "not_after"
            let direction = order == .desc ? "DESC" : "ASC"
            return .addressMatches(
                """
                (SELECT DISTINCT serial, issued_at, not_after FROM certificate_ips WHERE \(condition)
                    ORDER BY \(column) \(direction), serial \(direction) OFFSET 0) h
                """)
        }
        if sort == .subject && matches <= primaryKeyFetchLimit {
            return .condition("c.serial = ANY(ARRAY(SELECT serial FROM certificate_ips WHERE \(condition)))")
        }
        return .condition("c.serial IN (SELECT serial FROM certificate_ips WHERE \(condition))")
    }

    /// Matches sorted on the address index before joining (20,000 sort in memory in about 12 ms; beyond, they
    /// are 2 % of a million and walking the sort order finds a page sooner).
    static let sortedMatchesLimit = 20_000
    /// Matches fetched by primary key for a subject sort (5,000 fetches ≈ 30 ms).
    static let primaryKeyFetchLimit = 5_000

    public func certificates(_ query: CertificateQuery, now: Date = Date(), logger: Logger) async throws(WardenError) -> Page<CertificateSummary> {
        try await database.perform { [database] in
            var sql = SQLBuilder()
            var from = "certificates c"
            var sortTable = "c"
            if let text = query.text {
                switch try await Self.searchSource(
                    CertificateSearchTerm(text), sort: query.sort, order: query.order, &sql, client: database.client, logger: logger)
                {
                case .condition(let condition): sql.where(condition)
                case .addressMatches(let matches):
                    from = "\(matches) JOIN certificates c ON c.serial = h.serial"
                    sortTable = "h"
                }
            }
            switch query.status {
            case .active?: sql.where("c.revoked_at IS NULL AND c.not_after > \(try sql.bind(now))")
            case .expired?: sql.where("c.revoked_at IS NULL AND c.not_after <= \(try sql.bind(now))")
            case .revoked?: sql.where("c.revoked_at IS NOT NULL")
            case nil: break
            }
            if let provisioner = query.provisioner { sql.where("c.provisioner_id = \(Self.liveProvisionerID(try sql.bind(provisioner)))") }
            if let date = query.expiresBefore { sql.where("c.not_after < \(try sql.bind(date))") }
            if let date = query.expiresAfter { sql.where("c.not_after > \(try sql.bind(date))") }
            if let date = query.issuedAfter { sql.where("c.issued_at > \(try sql.bind(date))") }
            let column: String
            switch query.sort {
            case .issuedAt: column = "\(sortTable).issued_at"
            case .notAfter: column = "\(sortTable).not_after"
            case .subject: column = "c.subject"
            }
            let comparison = query.order == .desc ? "<" : ">"
            if let cursor = query.cursor {
                guard let serial = SerialNumber(decimal: cursor.key) else { throw WardenError.badRequest("cursor: malformed cursor") }
                // The cursor carries PostgreSQL's own text of the sort value, so no precision is lost on the way.
                let value = query.sort == .subject ? try sql.bind(cursor.value) : "\(try sql.bind(cursor.value))::timestamptz"
                sql.where("(\(column), \(sortTable).serial) \(comparison) (\(value), \(try sql.bind(serial.decimal))::numeric)")
            }
            let direction = query.order == .desc ? "DESC" : "ASC"
            let rows = try await database.client.query(
                sql.query(
                    """
                    SELECT c.serial::text, c.subject, c.sans, c.not_before, c.not_after, c.provisioner_name, c.key_algorithm,
                        c.fingerprint_sha256, c.issued_at, r.revoked_at, r.reason_code, \(column)::text
                    FROM \(from) LEFT JOIN revocations r ON r.serial = c.serial
                    \(sql.whereClause)
                    ORDER BY \(column) \(direction), \(sortTable).serial \(direction)
                    LIMIT \(query.limit + 1)
                    """), logger: logger)
            var items: [CertificateSummary] = []
            var sortValues: [String] = []
            for try await row in rows.decode((String, String, [String], Date, Date, String, String, String, Date, Date?, Int?, String).self) {
                sortValues.append(row.11)
                items.append(
                    CertificateSummary(
                        serial: SerialNumber(decimal: row.0) ?? SerialNumber(bytes: [0]), subject: row.1, sans: row.2, notBefore: row.3,
                        notAfter: row.4, revokedAt: row.9, reason: row.10.flatMap(RevocationReason.init(rawValue:)), provisioner: row.5,
                        keyAlgorithm: row.6, fingerprint: row.7, issuedAt: row.8, now: now))
            }
            var next = ""
            if items.count > query.limit {
                items.removeLast()
                let last = items[items.count - 1]
                next = ListCursor(field: query.sort.rawValue, order: query.order.rawValue, value: sortValues[items.count - 1], key: last.serial).token
            }
            return Page(items: items, nextCursor: next)
        }
    }

    public func revocations(_ query: RevocationQuery, logger: Logger) async throws(WardenError) -> Page<RevocationSummary> {
        try await database.perform { [database] in
            var sql = SQLBuilder()
            if let reason = query.reasonCode { sql.where("r.reason_code = \(try sql.bind(reason.rawValue))") }
            if let provisioner = query.provisioner { sql.where("r.provisioner_id = \(Self.liveProvisionerID(try sql.bind(provisioner)))") }
            if let date = query.revokedAfter { sql.where("r.revoked_at > \(try sql.bind(date))") }
            if let date = query.revokedBefore { sql.where("r.revoked_at < \(try sql.bind(date))") }
            if let cursor = query.cursor {
                guard let serial = SerialNumber(decimal: cursor.key) else { throw WardenError.badRequest("cursor: malformed cursor") }
                sql.where("(r.revoked_at, r.serial) < (\(try sql.bind(cursor.value))::timestamptz, \(try sql.bind(serial.decimal))::numeric)")
            }
            let rows = try await database.client.query(
                sql.query(
                    """
                    SELECT r.serial::text, r.reason_code, r.reason, r.revoked_at, r.revoked_by, r.method, r.passive, r.not_after,
                        r.provisioner_name, c.subject, r.revoked_at::text
                    FROM revocations r LEFT JOIN certificates c ON c.serial = r.serial
                    \(sql.whereClause)
                    ORDER BY r.revoked_at DESC, r.serial DESC
                    LIMIT \(query.limit + 1)
                    """), logger: logger)
            var items: [RevocationSummary] = []
            var sortValues: [String] = []
            for try await row in rows.decode((String, Int, String, Date, String, String, Bool, Date?, String?, String?, String).self) {
                sortValues.append(row.10)
                let revocation = Revocation(
                    serial: SerialNumber(decimal: row.0) ?? SerialNumber(bytes: [0]), reasonCode: RevocationReason(rawValue: row.1) ?? .unspecified,
                    reason: row.2, revokedAt: row.3, revokedBy: row.4, method: Revocation.Method(rawValue: row.5) ?? .token, passive: row.6,
                    certificateNotAfter: row.7)
                items.append(RevocationSummary(revocation: revocation, provisioner: row.8, subject: row.9))
            }
            var next = ""
            if items.count > query.limit {
                items.removeLast()
                let last = items[items.count - 1]
                next = ListCursor(field: "revokedAt", order: "desc", value: sortValues[items.count - 1], key: last.serial).token
            }
            return Page(items: items, nextCursor: next)
        }
    }

    public func audit(_ query: AuditQuery, logger: Logger) async throws(WardenError) -> Page<AuditEvent> {
        try await database.perform { [database] in
            var sql = SQLBuilder()
            if let actor = query.actor { sql.where("actor_subject = \(try sql.bind(actor))") }
            if let action = query.action {
                // "provisioner" matches every provisioner.* action; "provisioner.create" matches exactly.
                if action.contains(".") {
                    sql.where("action = \(try sql.bind(action))")
                } else {
                    sql.where("action LIKE \(try sql.bind(action + ".%"))")
                }
            }
            if let target = query.target { sql.where("target_id = \(try sql.bind(target))") }
            if let outcome = query.outcome { sql.where("outcome = \(try sql.bind(outcome.rawValue))") }
            if let date = query.after { sql.where("at > \(try sql.bind(date))") }
            if let date = query.before { sql.where("at < \(try sql.bind(date))") }
            if let cursor = query.cursor {
                guard let id = Int64(cursor.key) else { throw WardenError.badRequest("cursor: malformed cursor") }
                sql.where("(at, id) < (\(try sql.bind(cursor.value))::timestamptz, \(try sql.bind(id)))")
            }
            let rows = try await database.client.query(
                sql.query(
                    """
                    SELECT id, at, actor_subject, actor_provisioner, actor_serial, auth_method, action, target_kind, target_id,
                        before::text, after::text, request_id, remote_addr, outcome, at::text AS at_text
                    FROM audit_events \(sql.whereClause)
                    ORDER BY at DESC, id DESC LIMIT \(query.limit + 1)
                    """), logger: logger)
            var items: [AuditEvent] = []
            var sortValues: [String] = []
            for try await row in rows.decode(
                (Int64, Date, String?, String?, String?, String?, String, String?, String?, String?, String?, String?, String?, String, String).self)
            {
                sortValues.append(row.14)
                var event = AuditEvent(
                    at: row.1, actor: AuditActor(subject: row.2, provisioner: row.3, serial: row.4, method: row.5), action: row.6,
                    targetKind: row.7, targetID: row.8, before: JSONText.decode(row.9), after: JSONText.decode(row.10),
                    requestID: row.11, remoteAddress: row.12, outcome: AuditEvent.Outcome(rawValue: row.13) ?? .failed)
                event.id = row.0
                items.append(event)
            }
            var next = ""
            if items.count > query.limit {
                items.removeLast()
                let last = items[items.count - 1]
                next = ListCursor(field: "at", order: "desc", value: sortValues[items.count - 1], key: String(last.id ?? 0)).token
            }
            return Page(items: items, nextCursor: next)
        }
    }
}
