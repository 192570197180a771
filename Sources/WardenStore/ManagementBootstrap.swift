import Foundation
import Logging
import PostgresNIO
import WardenCore

/// First start of remote management: when the database has no live provisioner, write the initial
/// provisioners and the first super admin in one transaction. Idempotent: instances starting together, or a
/// restart, find provisioners and do nothing.
public struct ManagementBootstrap: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    public func hasProvisioners(logger: Logger) async throws(WardenError) -> Bool {
        try await database.perform { [database] in
            for try await n in try await database.client.query(
                "SELECT count(*)::bigint FROM provisioners WHERE deleted_at IS NULL", logger: logger
            ).decode(Int.self) {
                return n > 0
            }
            return false
        }
    }

    /// Returns false (and writes nothing) when provisioners already exist.
    public func run(
        provisioners: [LinkedProvisioner], superAdminSubject: String, adminProvisionerID: UUID, templateFiles: [UUID: JSONValue] = [:],
        logger: Logger
    ) async throws(WardenError) -> Bool {
        try await database.perform(deadline: Database.maintenanceTimeout) { [database] in
            try await database.client.withTransaction(logger: logger) { connection in
                try await ManagementChange.lock(connection, logger: logger)
                for try await n in try await connection.query(
                    "SELECT count(*)::bigint FROM provisioners WHERE deleted_at IS NULL", logger: logger
                ).decode(Int.self) where n > 0 {
                    return false
                }
                for provisioner in provisioners {
                    try await ProvisionerRepository.insert(provisioner, on: connection, logger: logger)
                    var after = provisioner.protoJSON
                    if let files = templateFiles[provisioner.id], case .object(var object) = after {
                        object["migratedTemplateFiles"] = files
                        after = .object(object)
                    }
                    try await ManagementChange.record(
                        AuditEvent(
                            actor: AuditContext.system.actor, action: "provisioner.create", targetKind: "provisioner",
                            targetID: provisioner.id.uuidString.lowercased(), after: after, requestID: nil,
                            remoteAddress: nil, outcome: .success),
                        notify: "provisioner", id: provisioner.id.uuidString.lowercased(), on: connection, logger: logger)
                }
                let now = Date()
                let admin = Admin(
                    id: UUID(), subject: superAdminSubject, provisionerID: adminProvisionerID, role: .superAdmin, createdAt: now,
                    updatedAt: now)
                try await connection.query(
                    """
                    INSERT INTO admins (id, subject, provisioner_id, role, created_at, updated_at)
                    VALUES (\(admin.id), \(admin.subject), \(admin.provisionerID), 'SUPER_ADMIN', \(now), \(now))
                    """, logger: logger)
                try await ManagementChange.record(
                    AuditEvent(
                        actor: AuditContext.system.actor, action: "admin.create", targetKind: "admin",
                        targetID: admin.id.uuidString.lowercased(), after: AdminRepository.auditJSON(admin, provisionerName: nil),
                        requestID: nil, remoteAddress: nil, outcome: .success),
                    notify: "admin", id: admin.id.uuidString.lowercased(), on: connection, logger: logger)
                return true
            }
        }
    }
}
