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

    /// Newest first.
    public func recent(limit: Int = 100, logger: Logger) async throws(WardenError) -> [AuditEvent] {
        try await database.perform { [database] in
            let rows = try await database.client.query(
                """
                SELECT id, at, actor_subject, actor_provisioner, actor_serial, auth_method, action, target_kind, target_id,
                    before::text, after::text, request_id, remote_addr, outcome
                FROM audit_events ORDER BY at DESC, id DESC LIMIT \(limit)
                """, logger: logger)
            var events: [AuditEvent] = []
            for try await row in rows.decode(
                (Int64, Date, String?, String?, String?, String?, String, String?, String?, String?, String?, String?, String?, String).self)
            {
                var event = AuditEvent(
                    at: row.1, actor: AuditActor(subject: row.2, provisioner: row.3, serial: row.4, method: row.5), action: row.6,
                    targetKind: row.7, targetID: row.8, before: JSONText.decode(row.9), after: JSONText.decode(row.10),
                    requestID: row.11, remoteAddress: row.12, outcome: AuditEvent.Outcome(rawValue: row.13) ?? .failed)
                event.id = row.0
                events.append(event)
            }
            return events
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
