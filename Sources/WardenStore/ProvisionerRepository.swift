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
    public func update(
        id: UUID, audit: AuditContext, logger: Logger, change: @escaping @Sendable (LinkedProvisioner) throws -> LinkedProvisioner
    ) async throws(WardenError) -> LinkedProvisioner {
        try await ManagementChange.transaction(database, logger: logger) { connection in
            let stored = try await Self.live(id, on: connection, logger: logger)
            let updated = try change(stored)
            try await Self.ensureNameFree(updated.name, except: id, on: connection, logger: logger)
            try await connection.query(
                """
                UPDATE provisioners SET name = \(updated.name), details = \(JSONText.encode(.object(updated.details)))::jsonb,
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

    /// Soft-deletes the provisioner and its admins, unless that would leave no live super admin.
    public func delete(id: UUID, audit: AuditContext, logger: Logger) async throws(WardenError) {
        try await ManagementChange.transaction(database, logger: logger) { connection in
            let stored = try await Self.live(id, on: connection, logger: logger)
            var remaining = 0
            for try await n in try await connection.query(
                """
                SELECT count(*)::bigint FROM admins
                WHERE deleted_at IS NULL AND role = 'SUPER_ADMIN' AND provisioner_id <> \(id)
                """, logger: logger
            ).decode(Int.self) {
                remaining = n
            }
            if remaining == 0 {
                throw WardenError.badRequest("cannot remove provisioner \(stored.name) because no super admins will remain")
            }
            let now = Date()
            try await connection.query(
                "UPDATE admins SET deleted_at = \(now), updated_at = \(now), version = version + 1 WHERE provisioner_id = \(id) AND deleted_at IS NULL",
                logger: logger)
            try await connection.query(
                "UPDATE provisioners SET deleted_at = \(now), updated_at = \(now), version = version + 1 WHERE id = \(id)",
                logger: logger)
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
        guard let stored = try await select(
            "SELECT \(unescaped: columns) FROM provisioners WHERE deleted_at IS NULL AND id = \(id)", on: connection, logger: logger
        ).first else { throw WardenError.notFound("provisioner \(id.uuidString.lowercased()) not found") }
        return stored
    }

    static func ensureNameFree(_ name: String, except id: UUID?, on connection: PostgresConnection, logger: Logger) async throws {
        let rows = try await connection.query(
            "SELECT id FROM provisioners WHERE deleted_at IS NULL AND name = \(name)", logger: logger)
        for try await existing in rows.decode(UUID.self) where existing != id {
            throw WardenError.badRequest("provisioner with name \(name) already exists")
        }
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
        } catch where isUniqueViolation(error) {
            throw WardenError.badRequest("provisioner with name \(provisioner.name) already exists")
        }
    }

    static func select(_ query: PostgresQuery, on client: PostgresClient, logger: Logger) async throws -> [LinkedProvisioner] {
        try await client.withConnection { try await select(query, on: $0, logger: logger) }
    }

    static func select(_ query: PostgresQuery, on connection: PostgresConnection, logger: Logger) async throws -> [LinkedProvisioner] {
        var out: [LinkedProvisioner] = []
        let rows = try await connection.query(query, logger: logger)
        for try await row in rows.decode((UUID, String, String, String, String?, String?, String?, String, Date, Date, Date?).self) {
            guard let type = ProvisionerType(name: row.2) else { continue }
            out.append(
                LinkedProvisioner(
                    id: row.0, type: type, name: row.1, details: JSONText.decode(row.3)?.objectValue ?? [:],
                    claims: JSONText.decode(row.4), x509Template: JSONText.decode(row.5), sshTemplate: JSONText.decode(row.6),
                    extras: JSONText.decode(row.7)?.objectValue ?? [:], createdAt: row.8, updatedAt: row.9, deletedAt: row.10))
        }
        return out
    }
}
