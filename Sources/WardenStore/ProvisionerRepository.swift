import Foundation
import Logging
import PostgresNIO
import WardenCore

/// The `provisioners` table (soft-deleted rows keep `deleted_at`). Every mutation takes the management lock,
/// checks its invariants, writes an audit row and notifies other instances, in one transaction.
public struct ProvisionerRepository: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    static let columns = """
        id, name, type, details::text, claims::text, x509_template::text, ssh_template::text, extras::text,
        created_at, updated_at, deleted_at
        """

    public func live(logger: Logger) async throws(WardenError) -> [LinkedProvisioner] {
        try await database.perform { [database] in
            try await Self.select(
                "SELECT \(unescaped: Self.columns) FROM provisioners WHERE deleted_at IS NULL ORDER BY created_at, id",
                on: database.client, logger: logger)
        }
    }

    /// A page of live provisioners in the same order as ``live(logger:)``; `hasMore` when another page follows.
    public func livePage(offset: Int, limit: Int, logger: Logger) async throws(WardenError) -> (items: [LinkedProvisioner], hasMore: Bool) {
        try await database.perform { [database] in
            let rows = try await Self.select(
                "SELECT \(unescaped: Self.columns) FROM provisioners WHERE deleted_at IS NULL ORDER BY created_at, id OFFSET \(offset) LIMIT \(limit + 1)",
                on: database.client, logger: logger)
            return (Array(rows.prefix(limit)), rows.count > limit)
        }
    }

    public func find(name: String, logger: Logger) async throws(WardenError) -> LinkedProvisioner? {
        try await database.perform { [database] in
            try await Self.select(
                "SELECT \(unescaped: Self.columns) FROM provisioners WHERE deleted_at IS NULL AND name = \(name)",
                on: database.client, logger: logger
            ).first
        }
    }

    public func find(id: UUID, logger: Logger) async throws(WardenError) -> LinkedProvisioner? {
        try await database.perform { [database] in
            try await Self.select(
                "SELECT \(unescaped: Self.columns) FROM provisioners WHERE deleted_at IS NULL AND id = \(id)",
                on: database.client, logger: logger
            ).first
        }
    }

    public func create(_ provisioner: LinkedProvisioner, audit: AuditContext, logger: Logger) async throws(WardenError) -> LinkedProvisioner {
        try await ManagementChange.transaction(database, logger: logger) { connection in
            _ = try await ManagementChange.actingRole(audit, on: connection, logger: logger)
            try await Self.ensureNameFree(provisioner.name, except: nil, on: connection, logger: logger)
            try await Self.insert(provisioner, on: connection, logger: logger)
            try await ManagementChange.record(
                AuditEvent(
                    actor: audit.actor, action: "provisioner.create", targetKind: "provisioner",
                    targetID: provisioner.id.uuidString.lowercased(), after: provisioner.protoJSON,
                    requestID: audit.requestID, remoteAddress: audit.remoteAddress, outcome: .success),
                notify: "provisioner", id: provisioner.id.uuidString.lowercased(), on: connection, logger: logger)
            return provisioner
        }
    }

    /// Applies `change` to the live provisioner with `id` under the lock (so concurrent updates serialise).
    /// A provisioner that holds a live super admin is changed only by a super admin: whoever controls its key
    /// or settings can mint that super admin's certificates.
    public func update(
        id: UUID, audit: AuditContext, logger: Logger, change: @escaping @Sendable (LinkedProvisioner) throws -> LinkedProvisioner
    ) async throws(WardenError) -> LinkedProvisioner {
        try await ManagementChange.transaction(database, logger: logger) { connection in
            let stored = try await Self.live(id, on: connection, logger: logger)
            let held = try await Self.admins(of: id, on: connection, logger: logger)
            try await ManagementChange.requireSuperAdmin(
                audit, when: held.superAdmins > 0,
                why: "provisioner \(stored.name) holds \(held.superAdmins) super admin(s): only a super admin may change it",
                on: connection, logger: logger)
            let updated = try change(stored)
            guard updated.name == stored.name, updated.type == stored.type else {
                throw WardenError.badRequest("name: a provisioner's name and type cannot change")
            }
            if updated.extras["policy"] != stored.extras["policy"] {
                let policy = try updated.extras["policy"].map { value throws(WardenError) in try IssuancePolicy(json: value) }
                try await PolicyRepository.refuseLockout(authority: nil, provisionerID: id, provisionerPolicy: policy, on: connection, logger: logger)
            }
            try await Self.replaceTokenIdentifiers(of: updated, on: connection, logger: logger)
            try await connection.query(
                """
                UPDATE provisioners SET details = \(JSONText.encode(.object(updated.details)))::jsonb,
                    claims = \(JSONText.encode(updated.claims))::jsonb, x509_template = \(JSONText.encode(updated.x509Template))::jsonb,
                    ssh_template = \(JSONText.encode(updated.sshTemplate))::jsonb, extras = \(JSONText.encode(.object(updated.extras)) ?? "{}")::jsonb,
                    updated_at = \(updated.updatedAt), version = version + 1
                WHERE id = \(id)
                """, logger: logger)
            try await ManagementChange.record(
                AuditEvent(
                    actor: audit.actor, action: "provisioner.update", targetKind: "provisioner", targetID: id.uuidString.lowercased(),
                    before: stored.protoJSON, after: updated.protoJSON, requestID: audit.requestID,
                    remoteAddress: audit.remoteAddress, outcome: .success),
                notify: "provisioner", id: id.uuidString.lowercased(), on: connection, logger: logger)
            return updated
        }
    }

    /// Soft-deletes the provisioner and its admins, unless that would leave no super admin who can log in. A
    /// provisioner that holds admins is removed only by a super admin (removing it removes them).
    public func delete(id: UUID, audit: AuditContext, logger: Logger) async throws(WardenError) {
        try await ManagementChange.transaction(database, logger: logger) { connection in
            let stored = try await Self.live(id, on: connection, logger: logger)
            let held = try await Self.admins(of: id, on: connection, logger: logger)
            try await ManagementChange.requireSuperAdmin(
                audit, when: held.all > 0,
                why: "provisioner \(stored.name) holds \(held.all) admin(s), removed with it: only a super admin may remove it",
                on: connection, logger: logger)
            if try await ManagementChange.loginableSuperAdmins(excludingProvisioner: id, on: connection, logger: logger) == 0 {
                throw WardenError.badRequest("cannot remove provisioner \(stored.name) because no super admins will remain")
            }
            let now = Date()
            try await connection.query(
                "UPDATE admins SET deleted_at = \(now), updated_at = \(now), version = version + 1 WHERE provisioner_id = \(id) AND deleted_at IS NULL",
                logger: logger)
            try await connection.query(
                "UPDATE provisioners SET deleted_at = \(now), updated_at = \(now), version = version + 1 WHERE id = \(id)",
                logger: logger)
            try await connection.query("DELETE FROM provisioner_token_ids WHERE provisioner_id = \(id)", logger: logger)
            try await ManagementChange.record(
                AuditEvent(
                    actor: audit.actor, action: "provisioner.delete", targetKind: "provisioner", targetID: id.uuidString.lowercased(),
                    before: stored.protoJSON, requestID: audit.requestID, remoteAddress: audit.remoteAddress, outcome: .success),
                notify: "provisioner", id: id.uuidString.lowercased(), on: connection, logger: logger)
        }
    }

    // MARK: SQL

    /// The live provisioner with `id`, or `notFound`.
    static func live(_ id: UUID, on connection: PostgresConnection, logger: Logger) async throws -> LinkedProvisioner {
        guard
            let stored = try await select(
                "SELECT \(unescaped: columns) FROM provisioners WHERE deleted_at IS NULL AND id = \(id)", on: connection, logger: logger
            ).first
        else { throw WardenError.notFound("provisioner \(id.uuidString.lowercased()) not found") }
        return stored
    }

    /// The live provisioner named `name`, if any.
    static func live(named name: String, on connection: PostgresConnection, logger: Logger) async throws -> LinkedProvisioner? {
        try await select(
            "SELECT \(unescaped: columns) FROM provisioners WHERE deleted_at IS NULL AND name = \(name)", on: connection, logger: logger
        ).first
    }

    static func ensureNameFree(_ name: String, except id: UUID?, on connection: PostgresConnection, logger: Logger) async throws {
        let rows = try await connection.query(
            "SELECT id FROM provisioners WHERE deleted_at IS NULL AND name = \(name)", logger: logger)
        for try await existing in rows.decode(UUID.self) where existing != id {
            throw WardenError.badRequest("provisioner with name \(name) already exists")
        }
    }

    /// How many live admins, and live super admins, the provisioner `id` holds.
    static func admins(of id: UUID, on connection: PostgresConnection, logger: Logger) async throws -> (all: Int, superAdmins: Int) {
        let rows = try await connection.query(
            """
            SELECT count(*)::bigint, count(*) FILTER (WHERE role = 'SUPER_ADMIN')::bigint FROM admins
            WHERE provisioner_id = \(id) AND deleted_at IS NULL
            """, logger: logger)
        for try await (all, superAdmins) in rows.decode((Int, Int).self) { return (all, superAdmins) }
        return (0, 0)
    }

    /// Makes `provisioner`'s token identifiers (``LinkedProvisioner/tokenIdentifiers``) the ones recorded for it;
    /// an identifier another live provisioner holds is a 400 naming both. The table's primary key is what
    /// guarantees uniqueness; the read first is for the message.
    static func replaceTokenIdentifiers(of provisioner: LinkedProvisioner, on connection: PostgresConnection, logger: Logger) async throws {
        let identifiers = provisioner.tokenIdentifiers
        let taken = try await connection.query(
            """
            SELECT t.token_id, p.name FROM provisioner_token_ids t JOIN provisioners p ON p.id = t.provisioner_id
            WHERE t.token_id = ANY(\(identifiers)) AND t.provisioner_id <> \(provisioner.id)
            ORDER BY array_position(\(identifiers), t.token_id)
            """, logger: logger)
        for try await (identifier, owner) in taken.decode((String, String).self) {
            throw WardenError.badRequest(Self.duplicateTokenID(identifier, owner: owner))
        }
        try await connection.query("DELETE FROM provisioner_token_ids WHERE provisioner_id = \(provisioner.id)", logger: logger)
        for identifier in identifiers {
            do {
                try await connection.query(
                    "INSERT INTO provisioner_token_ids (token_id, provisioner_id) VALUES (\(identifier), \(provisioner.id))", logger: logger)
            } catch  where isUniqueViolation(error) {
                throw WardenError.badRequest(Self.duplicateTokenID(identifier, owner: nil))
            }
        }
    }

    static func duplicateTokenID(_ identifier: String, owner: String?) -> String {
        let what = identifier.hasPrefix("jwk-key:") ? "the same public key" : "token ID \(identifier)"
        return "details: provisioner with \(what) already exists" + (owner.map { " (provisioner \($0))" } ?? "")
            + "; each provisioner needs its own key, client id or tenant id"
    }

    static func insert(_ provisioner: LinkedProvisioner, on connection: PostgresConnection, logger: Logger) async throws {
        do {
            try await connection.query(
                """
                INSERT INTO provisioners (id, name, type, details, claims, x509_template, ssh_template, extras, created_at, updated_at)
                VALUES (\(provisioner.id), \(provisioner.name), \(provisioner.type.enumName),
                    \(JSONText.encode(.object(provisioner.details)))::jsonb, \(JSONText.encode(provisioner.claims))::jsonb,
                    \(JSONText.encode(provisioner.x509Template))::jsonb, \(JSONText.encode(provisioner.sshTemplate))::jsonb,
                    \(JSONText.encode(.object(provisioner.extras)) ?? "{}")::jsonb, \(provisioner.createdAt), \(provisioner.updatedAt))
                """, logger: logger)
        } catch  where isUniqueViolation(error) {
            throw WardenError.badRequest("provisioner with name \(provisioner.name) already exists")
        }
        try await replaceTokenIdentifiers(of: provisioner, on: connection, logger: logger)
    }

    static func select(_ query: PostgresQuery, on client: PostgresClient, logger: Logger) async throws -> [LinkedProvisioner] {
        try await client.withConnection { try await select(query, on: $0, logger: logger) }
    }

    /// A row of ``columns``.
    typealias Row = (UUID, String, String, String, String?, String?, String?, String, Date, Date, Date?)

    static func provisioner(_ row: Row) -> LinkedProvisioner? {
        guard let type = ProvisionerType(name: row.2) else { return nil }
        return LinkedProvisioner(
            id: row.0, type: type, name: row.1, details: JSONText.decode(row.3)?.objectValue ?? [:],
            claims: JSONText.decode(row.4), x509Template: JSONText.decode(row.5), sshTemplate: JSONText.decode(row.6),
            extras: JSONText.decode(row.7)?.objectValue ?? [:], createdAt: row.8, updatedAt: row.9, deletedAt: row.10)
    }

    static func select(_ query: PostgresQuery, on connection: PostgresConnection, logger: Logger) async throws -> [LinkedProvisioner] {
        var out: [LinkedProvisioner] = []
        let rows = try await connection.query(query, logger: logger)
        for try await row in rows.decode(Row.self) {
            if let provisioner = provisioner(row) { out.append(provisioner) }
        }
        return out
    }
}
