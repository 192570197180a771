import Foundation
import Logging
import PostgresNIO
import WardenCore

/// The `admins` table. "At least one live super admin remains" is checked inside each mutating transaction,
/// under the management lock, so concurrent demotions or removals on any number of instances cannot all
/// succeed.
public struct AdminRepository: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    static let columns = "id, subject, provisioner_id, role, created_at, updated_at, deleted_at"

    public func live(logger: Logger) async throws(WardenError) -> [Admin] {
        try await database.perform { [database] in
            try await Self.select(
                "SELECT \(unescaped: Self.columns) FROM admins WHERE deleted_at IS NULL ORDER BY id", on: database.client, logger: logger)
        }
    }

    public func find(id: UUID, logger: Logger) async throws(WardenError) -> Admin? {
        try await database.perform { [database] in
            try await Self.select(
                "SELECT \(unescaped: Self.columns) FROM admins WHERE deleted_at IS NULL AND id = \(id)", on: database.client, logger: logger
            ).first
        }
    }

    public func create(subject: String, provisionerName: String, role: AdminRole, audit: AuditContext, logger: Logger)
        async throws(WardenError) -> Admin
    {
        try await ManagementChange.transaction(database, logger: logger) { connection in
            try await ManagementChange.requireSuperAdmin(audit, why: "only a super admin may add admins", on: connection, logger: logger)
            guard let provisioner = try await ProvisionerRepository.live(named: provisionerName, on: connection, logger: logger) else {
                throw WardenError.notFound("error loading provisioner \(provisionerName): provisioner \(provisionerName) not found")
            }
            if role == .superAdmin && !provisioner.type.canAuthenticateAdmins {
                throw WardenError.badRequest(Self.cannotLogIn(subject: subject, provisioner: provisioner))
            }
            let existing = try await Self.select(
                "SELECT \(unescaped: Self.columns) FROM admins WHERE deleted_at IS NULL AND subject = \(subject) AND provisioner_id = \(provisioner.id)",
                on: connection, logger: logger)
            if !existing.isEmpty {
                throw WardenError.badRequest(
                    "error storing admin: admin with subject \(subject) and provisioner \(provisionerName) already exists")
            }
            let now = Date()
            let admin = Admin(id: UUID(), subject: subject, provisionerID: provisioner.id, role: role, createdAt: now, updatedAt: now)
            try await connection.query(
                """
                INSERT INTO admins (id, subject, provisioner_id, role, created_at, updated_at)
                VALUES (\(admin.id), \(subject), \(provisioner.id), \(role.name), \(now), \(now))
                """, logger: logger)
            try await ManagementChange.record(
                AuditEvent(
                    actor: audit.actor, action: "admin.create", targetKind: "admin", targetID: admin.id.uuidString.lowercased(),
                    after: Self.auditJSON(admin, provisionerName: provisionerName), requestID: audit.requestID,
                    remoteAddress: audit.remoteAddress, outcome: .success),
                notify: "admin", id: admin.id.uuidString.lowercased(), on: connection, logger: logger)
            return admin
        }
    }

    public func updateRole(id: UUID, role: AdminRole, audit: AuditContext, logger: Logger) async throws(WardenError) -> Admin {
        try await ManagementChange.transaction(database, logger: logger) { connection in
            try await ManagementChange.requireSuperAdmin(audit, why: "only a super admin may change admins", on: connection, logger: logger)
            let stored = try await Self.live(id, on: connection, logger: logger)
            if stored.role == role { return stored }
            let provisioner = try await ProvisionerRepository.live(stored.provisionerID, on: connection, logger: logger)
            if role == .superAdmin && !provisioner.type.canAuthenticateAdmins {
                throw WardenError.badRequest(Self.cannotLogIn(subject: stored.subject, provisioner: provisioner))
            }
            if stored.role == .superAdmin, provisioner.type.canAuthenticateAdmins,
                try await ManagementChange.loginableSuperAdmins(excludingAdmin: id, on: connection, logger: logger) == 0
            {
                throw WardenError.badRequest("cannot change role of last super admin")
            }
            var updated = stored
            updated.role = role
            updated.updatedAt = Date()
            try await connection.query(
                "UPDATE admins SET role = \(role.name), updated_at = \(updated.updatedAt), version = version + 1 WHERE id = \(id)",
                logger: logger)
            try await ManagementChange.record(
                AuditEvent(
                    actor: audit.actor, action: "admin.update", targetKind: "admin", targetID: id.uuidString.lowercased(),
                    before: Self.auditJSON(stored, provisionerName: nil), after: Self.auditJSON(updated, provisionerName: nil),
                    requestID: audit.requestID, remoteAddress: audit.remoteAddress, outcome: .success),
                notify: "admin", id: id.uuidString.lowercased(), on: connection, logger: logger)
            return updated
        }
    }

    public func delete(id: UUID, audit: AuditContext, logger: Logger) async throws(WardenError) {
        try await ManagementChange.transaction(database, logger: logger) { connection in
            try await ManagementChange.requireSuperAdmin(audit, why: "only a super admin may remove admins", on: connection, logger: logger)
            let stored = try await Self.live(id, on: connection, logger: logger)
            if stored.role == .superAdmin,
                try await ManagementChange.loginableSuperAdmins(on: connection, logger: logger) > 0,
                try await ManagementChange.loginableSuperAdmins(excludingAdmin: id, on: connection, logger: logger) == 0
            {
                throw WardenError.badRequest(
                    "error deleting admin \(id.uuidString.lowercased()): cannot remove the last super admin")
            }
            let now = Date()
            try await connection.query(
                "UPDATE admins SET deleted_at = \(now), updated_at = \(now), version = version + 1 WHERE id = \(id)", logger: logger)
            try await ManagementChange.record(
                AuditEvent(
                    actor: audit.actor, action: "admin.delete", targetKind: "admin", targetID: id.uuidString.lowercased(),
                    before: Self.auditJSON(stored, provisionerName: nil), requestID: audit.requestID,
                    remoteAddress: audit.remoteAddress, outcome: .success),
                notify: "admin", id: id.uuidString.lowercased(), on: connection, logger: logger)
        }
    }

    // MARK: SQL

    /// The live admin with `id`, or `notFound`.
    static func live(_ id: UUID, on connection: PostgresConnection, logger: Logger) async throws -> Admin {
        guard
            let stored = try await select(
                "SELECT \(unescaped: columns) FROM admins WHERE deleted_at IS NULL AND id = \(id)", on: connection, logger: logger
            ).first
        else { throw WardenError.notFound("admin \(id.uuidString.lowercased()) not found") }
        return stored
    }

    static func cannotLogIn(subject: String, provisioner: LinkedProvisioner) -> String {
        "type: \(subject) cannot be a SUPER_ADMIN of \(provisioner.type.enumName) provisioner \"\(provisioner.name)\": "
            + "\(provisioner.type.enumName) provisioners cannot authenticate admins, so such a super admin could never log in"
    }

    static func auditJSON(_ admin: Admin, provisionerName: String?) -> JSONValue {
        var object: [String: JSONValue] = [
            "id": .string(admin.id.uuidString.lowercased()), "subject": .string(admin.subject),
            "provisionerId": .string(admin.provisionerID.uuidString.lowercased()), "type": .string(admin.role.name),
        ]
        if let provisionerName { object["provisioner"] = .string(provisionerName) }
        return .object(object)
    }

    static func admin(_ row: (UUID, String, UUID, String, Date, Date, Date?)) -> Admin {
        Admin(
            id: row.0, subject: row.1, provisionerID: row.2, role: AdminRole(name: row.3) ?? .admin, createdAt: row.4,
            updatedAt: row.5, deletedAt: row.6)
    }

    static func select(_ query: PostgresQuery, on client: PostgresClient, logger: Logger) async throws -> [Admin] {
        try await client.withConnection { try await select(query, on: $0, logger: logger) }
    }

    static func select(_ query: PostgresQuery, on connection: PostgresConnection, logger: Logger) async throws -> [Admin] {
        var out: [Admin] = []
        for try await row in try await connection.query(query, logger: logger).decode((UUID, String, UUID, String, Date, Date, Date?).self) {
            out.append(admin(row))
        }
        return out
    }
}

extension AdminRepository {
    /// Break-glass (`warden recover`, run on the CA host by whoever holds the CA password): makes `subject` a live
    /// SUPER_ADMIN of the live provisioner `provisionerName`, creating or promoting the admin, in one transaction
    /// under the management lock, audited as `admin.recover` by the local system and announced to every instance.
    /// The provisioner must be of a type that can authenticate admins.
    public func recover(subject: String, provisionerName: String, audit: AuditContext, logger: Logger) async throws(WardenError) -> Admin {
        try await ManagementChange.transaction(database, logger: logger) { connection in
            guard let provisioner = try await ProvisionerRepository.live(named: provisionerName, on: connection, logger: logger) else {
                throw WardenError.notFound("provisioner \(provisionerName) not found (it must exist and be live)")
            }
            guard provisioner.type.canAuthenticateAdmins else {
                throw WardenError.badRequest(Self.cannotLogIn(subject: subject, provisioner: provisioner))
            }
            let existing = try await Self.select(
                "SELECT \(unescaped: Self.columns) FROM admins WHERE deleted_at IS NULL AND subject = \(subject) AND provisioner_id = \(provisioner.id)",
                on: connection, logger: logger
            ).first
            let now = Date()
            var admin: Admin
            if var found = existing {
                found.role = .superAdmin
                found.updatedAt = now
                try await connection.query(
                    "UPDATE admins SET role = 'SUPER_ADMIN', updated_at = \(now), version = version + 1 WHERE id = \(found.id)", logger: logger)
                admin = found
            } else {
                admin = Admin(id: UUID(), subject: subject, provisionerID: provisioner.id, role: .superAdmin, createdAt: now, updatedAt: now)
                try await connection.query(
                    """
                    INSERT INTO admins (id, subject, provisioner_id, role, created_at, updated_at)
                    VALUES (\(admin.id), \(subject), \(provisioner.id), 'SUPER_ADMIN', \(now), \(now))
                    """, logger: logger)
            }
            try await ManagementChange.record(
                AuditEvent(
                    actor: audit.actor, action: "admin.recover", targetKind: "admin", targetID: admin.id.uuidString.lowercased(),
                    before: existing.map { Self.auditJSON($0, provisionerName: provisionerName) },
                    after: Self.auditJSON(admin, provisionerName: provisionerName), requestID: nil, remoteAddress: audit.remoteAddress,
                    outcome: .success),
                notify: "admin", id: admin.id.uuidString.lowercased(), on: connection, logger: logger)
            return admin
        }
    }
}
