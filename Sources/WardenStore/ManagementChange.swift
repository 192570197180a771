import Foundation
import Logging
import PostgresNIO
import WardenCore

/// Who is making a change, for the audit row written in the same transaction.
public struct AuditContext: Sendable {
    public var actor: AuditActor?
    public var requestID: String?
    public var remoteAddress: String?

    public init(actor: AuditActor?, requestID: String?, remoteAddress: String?) {
        self.actor = actor
        self.requestID = requestID
        self.remoteAddress = remoteAddress
    }

    public static let system = AuditContext(actor: AuditActor(subject: "warden", provisioner: nil, serial: nil, method: "system"), requestID: nil, remoteAddress: nil)
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
        try await connection.query("SELECT pg_advisory_xact_lock(\(lockKey))", logger: logger)
    }

    static func record(
        _ event: AuditEvent, notify kind: String, id: String, on connection: PostgresConnection, logger: Logger
    ) async throws {
        try await AuditRepository.insert(event, on: connection, logger: logger)
        let payload = ChangeNotice.payload(kind: kind, id: id)
        try await connection.query("SELECT pg_notify(\(channel), \(payload))", logger: logger)
    }
}
