import Foundation
import Logging
import PostgresNIO
import WardenCore

/// The `audit_events` table.
public struct AuditRepository: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// Appends an event on its own (authentication failures, which change nothing else).
    public func append(_ event: AuditEvent, logger: Logger) async throws(WardenError) {
        try await database.perform { [database] in
            try await database.client.withConnection { connection in
                try await Self.insert(event, on: connection, logger: logger)
            }
        }
    }

    static func insert(_ event: AuditEvent, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query(
            """
            INSERT INTO audit_events (at, actor_subject, actor_provisioner, actor_serial, auth_method, action, target_kind,
                target_id, before, after, request_id, remote_addr, outcome)
            VALUES (\(event.at), \(event.actorSubject), \(event.actorProvisioner), \(event.actorSerial), \(event.authMethod),
                \(event.action), \(event.targetKind), \(event.targetID), \(JSONText.encode(event.before.map(SecretRedaction.redact)))::jsonb,
                \(JSONText.encode(event.after.map(SecretRedaction.redact)))::jsonb, \(event.requestID), \(event.remoteAddress),
                \(event.outcome.rawValue))
            """, logger: logger)
    }
}
