import Foundation
import Logging
import PostgresNIO
import WardenCore

/// The authority's certificate issuance policy (remote management), one row, changed only by super admins under
/// the management lock, audited and announced to every instance like provisioner changes (`policy` notices).
public struct PolicyRepository: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// The stored authority policy, or nil when there is none.
    public func authorityPolicy(logger: Logger) async throws(WardenError) -> IssuancePolicy? {
        try await database.perform {
            let rows = try await database.client.query("SELECT policy::text FROM authority_policy WHERE id = 1", logger: logger)
            for try await text in rows.decode(String.self) {
                return try IssuancePolicy(json: try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)))
            }
            return nil
        }
    }

    public enum Write: Sendable {
        /// POST: refused with 409 when a policy exists.
        case create
        /// PUT: refused with 404 when none exists.
        case update
    }

    /// Stores `policy` as the authority policy. Refused (400, listing them) when a live admin who can log in could
    /// no longer get a certificate for their own subject under it (with their provisioner's policy too).
    public func write(_ policy: IssuancePolicy, _ write: Write, audit: AuditContext, logger: Logger) async throws(WardenError) -> IssuancePolicy {
        try await ManagementChange.transaction(database, logger: logger) { connection in
            try await ManagementChange.requireSuperAdmin(
                audit, why: "only a super admin may change the authority policy", on: connection, logger: logger)
            let before = try await Self.stored(on: connection, logger: logger)
            switch (write, before) {
            case (.create, .some): throw WardenError.conflict("authority already has a policy (PUT /admin/policy changes it)")
            case (.update, .none): throw WardenError.notFound("authority policy does not exist")
            default: break
            }
            try await Self.refuseLockout(authority: policy, on: connection, logger: logger)
            let text = JSONText.encode(policy.json) ?? "{}"
            try await connection.query(
                """
                INSERT INTO authority_policy (id, policy, updated_at) VALUES (1, \(text)::jsonb, now())
                ON CONFLICT (id) DO UPDATE SET policy = EXCLUDED.policy, updated_at = now()
                """, logger: logger)
            try await ManagementChange.record(
                AuditEvent(
                    actor: audit.actor, action: write == .create ? "policy.create" : "policy.update", targetKind: "policy", targetID: "authority",
                    before: before?.json, after: policy.json, requestID: audit.requestID, remoteAddress: audit.remoteAddress, outcome: .success),
                notify: "policy", id: "authority", on: connection, logger: logger)
            return policy
        }
    }

    public func delete(audit: AuditContext, logger: Logger) async throws(WardenError) {
        try await ManagementChange.transaction(database, logger: logger) { connection in
            try await ManagementChange.requireSuperAdmin(
                audit, why: "only a super admin may change the authority policy", on: connection, logger: logger)
            guard let before = try await Self.stored(on: connection, logger: logger) else {
                throw WardenError.notFound("authority policy does not exist")
            }
            try await connection.query("DELETE FROM authority_policy WHERE id = 1", logger: logger)
            try await ManagementChange.record(
                AuditEvent(
                    actor: audit.actor, action: "policy.delete", targetKind: "policy", targetID: "authority", before: before.json,
                    requestID: audit.requestID, remoteAddress: audit.remoteAddress, outcome: .success),
                notify: "policy", id: "authority", on: connection, logger: logger)
        }
    }

    static func stored(on connection: PostgresConnection, logger: Logger) async throws -> IssuancePolicy? {
        let rows = try await connection.query("SELECT policy::text FROM authority_policy WHERE id = 1 FOR UPDATE", logger: logger)
        for try await text in rows.decode(String.self) {
            return try IssuancePolicy(json: try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)))
        }
        return nil
    }

    /// Refuses (400, listing them) a policy under which live admins who can log in would lose their certificates:
    /// the authority policy `authority`, or provisioner `provisionerID`'s own `provisionerPolicy`.
    static func refuseLockout(
        authority: IssuancePolicy?, provisionerID: UUID? = nil, provisionerPolicy: IssuancePolicy? = nil, on connection: PostgresConnection,
        logger: Logger
    ) async throws {
        let locked = try await lockedOutAdmins(
            authority: authority, provisionerID: provisionerID, provisionerPolicy: provisionerPolicy, on: connection, logger: logger)
        guard locked.isEmpty else {
            throw WardenError.badRequest(
                "the policy would deny the certificates of these admins, who could then no longer log in: \(locked.joined(separator: ", "))")
        }
    }

    /// Live admins who can log in and whose certificate (CN and SAN = their subject, as step's admin certificates)
    /// the authority policy `authority` (nil: the stored one) or their provisioner's policy (`provisionerPolicy`
    /// replacing the stored one of provisioner `provisionerID`) would deny: "subject (provisioner)" each.
    static func lockedOutAdmins(
        authority: IssuancePolicy?, provisionerID: UUID? = nil, provisionerPolicy: IssuancePolicy? = nil, on connection: PostgresConnection,
        logger: Logger
    ) async throws -> [String] {
        let authorityPolicy = provisionerID == nil ? authority : try await stored(on: connection, logger: logger)
        let rows = try await connection.query(
            """
            SELECT a.subject, p.id, p.name, (p.extras->'policy')::text FROM admins a JOIN provisioners p ON p.id = a.provisioner_id
            WHERE a.deleted_at IS NULL AND p.deleted_at IS NULL AND NOT (p.type = ANY(\(ProvisionerType.nonAuthenticatingEnumNames)))
            ORDER BY a.subject
            """, logger: logger)
        var locked: [String] = []
        for try await (subject, id, name, policyText) in rows.decode((String, UUID, String, String?).self) {
            var own: IssuancePolicy?
            if id == provisionerID {
                own = provisionerPolicy
            } else if let policyText, let json = try? JSONDecoder().decode(JSONValue.self, from: Data(policyText.utf8)) {
                own = try? IssuancePolicy(json: json)
            }
            let names = [(X509NamePolicy.classify(subject), subject)]
            do {
                try authorityPolicy?.x509?.check(commonName: subject, names: names, scope: "the authority policy")
                try own?.x509?.check(commonName: subject, names: names, scope: "the policy of provisioner \(name)")
            } catch {
                locked.append("\(subject) (\(name))")
            }
        }
        return locked
    }
}
