import Foundation
import Logging
import PostgresNIO
import WardenCore

/// Who is making a change, for the audit row written in the same transaction.
public struct AuditContext: Sendable {
    public var actor: AuditActor?
    public var requestID: String?
    public var remoteAddress: String?
    /// The acting admin's id. Management changes are authorised against this admin's role as the database holds
    /// it inside the change's own transaction (a concurrent demotion or removal is seen); nil acts as the system
    /// (bootstrap, `warden recover`).
    public var adminID: UUID?

    public init(actor: AuditActor?, requestID: String?, remoteAddress: String?, adminID: UUID? = nil) {
        self.actor = actor
        self.requestID = requestID
        self.remoteAddress = remoteAddress
        self.adminID = adminID
    }

    public static let system = AuditContext(
        actor: AuditActor(subject: "warden", provisioner: nil, serial: nil, method: "system"), requestID: nil, remoteAddress: nil)
}

/// The parts every management mutation shares: one lock serialising admin and provisioner changes across all
/// instances, the audit row, and the `NOTIFY` other instances listen for — all inside the caller's transaction.
enum ManagementChange {
    /// `pg_advisory_xact_lock` key for admin/provisioner mutations.
    static let lockKey: Int64 = 4_242_002
    /// The channel every instance `LISTEN`s on.
    static let channel = "warden_changes"

    /// Runs `body` in a transaction holding the management lock, with the request deadline and error mapping.
    static func transaction<T: Sendable>(
        _ database: Database, logger: Logger, _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws(WardenError) -> T {
        try await database.perform {
            try await database.client.withTransaction(logger: logger) { connection in
                try await lock(connection, logger: logger)
                return try await body(connection)
            }
        }
    }

    static func lock(_ connection: PostgresConnection, logger: Logger) async throws {
        try await connection.runToCompletion("SELECT pg_advisory_xact_lock(\(lockKey))", logger: logger)
    }

    /// The acting admin's role, read under the management lock: nil means "the system" (no admin acts);
    /// an admin that is no longer live (removed, or its provisioner removed) is refused.
    static func actingRole(_ audit: AuditContext, on connection: PostgresConnection, logger: Logger) async throws -> AdminRole? {
        guard let adminID = audit.adminID else { return nil }
        let rows = try await connection.query(
            """
            SELECT a.role FROM admins a JOIN provisioners p ON p.id = a.provisioner_id
            WHERE a.id = \(adminID) AND a.deleted_at IS NULL AND p.deleted_at IS NULL
            """, logger: logger)
        for try await role in rows.decode(String.self) {
            if let parsed = AdminRole(name: role) { return parsed }
        }
        throw WardenError.forbidden("your admin account is no longer active")
    }

    /// Refuses (403, saying `why`) unless the actor is the system or a live super admin — when `condition`
    /// holds; otherwise only that the acting admin is still live.
    static func requireSuperAdmin(
        _ audit: AuditContext, when condition: Bool = true, why: @autoclosure () -> String, on connection: PostgresConnection, logger: Logger
    ) async throws {
        let role = try await actingRole(audit, on: connection, logger: logger)
        if condition, let role, role != .superAdmin { throw WardenError.forbidden(why()) }
    }

    /// Live super admins who can log in (their provisioner is live and of a type that authenticates admins),
    /// optionally leaving out the admins of one provisioner or one admin.
    static func loginableSuperAdmins(
        excludingProvisioner: UUID? = nil, excludingAdmin: UUID? = nil, on connection: PostgresConnection, logger: Logger
    ) async throws -> Int {
        let rows = try await connection.query(
            """
            SELECT count(*)::bigint FROM admins a JOIN provisioners p ON p.id = a.provisioner_id
            WHERE a.deleted_at IS NULL AND p.deleted_at IS NULL AND a.role = 'SUPER_ADMIN'
                AND NOT (p.type = ANY(\(ProvisionerType.nonAuthenticatingEnumNames)))
                AND (\(excludingProvisioner)::uuid IS NULL OR p.id <> \(excludingProvisioner)::uuid)
                AND (\(excludingAdmin)::uuid IS NULL OR a.id <> \(excludingAdmin)::uuid)
            """, logger: logger)
        for try await n in rows.decode(Int.self) { return n }
        return 0
    }

    static func record(
        _ event: AuditEvent, notify kind: String, id: String, on connection: PostgresConnection, logger: Logger
    ) async throws {
        try await AuditRepository.insert(event, on: connection, logger: logger)
        let payload = ChangeNotice.payload(kind: kind, id: id)
        try await connection.runToCompletion("SELECT pg_notify(\(channel), \(payload))", logger: logger)
    }
}
