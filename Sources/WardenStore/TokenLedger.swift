import Foundation
import Logging
import PostgresNIO
import WardenCore

/// A one-time token id and how long it must be remembered (its expiry plus leeway); after that it is pruned.
public struct UsedToken: Sendable, Hashable {
    public var id: String
    public var expiresAt: Date

    public init(id: String, expiresAt: Date) {
        self.id = id
        self.expiresAt = expiresAt
    }
}

/// The `used_tokens` table: single use of one-time tokens across every instance sharing the database.
public struct TokenLedger: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// Marks a token used on its own (admin tokens, whose use is not tied to another write).
    public func consume(_ token: UsedToken, logger: Logger) async throws(WardenError) {
        try await database.perform { [database] in
            try await database.client.withConnection { connection in
                try await Self.consume(token, on: connection, logger: logger)
            }
        }
    }

    /// Deletes ids whose tokens have expired: they can no longer be replayed anyway.
    @discardableResult
    public func prune(now: Date = Date(), logger: Logger) async throws(WardenError) -> Int {
        try await database.perform { [database] in
            var count = 0
            for try await n in try await database.client.query(
                "WITH gone AS (DELETE FROM used_tokens WHERE expires_at < \(now) RETURNING 1) SELECT count(*)::bigint FROM gone",
                logger: logger
            ).decode(Int.self) {
                count = n
            }
            return count
        }
    }

    static func consume(_ token: UsedToken, on connection: PostgresConnection, logger: Logger) async throws {
        let rows = try await connection.query(
            """
            INSERT INTO used_tokens (token_id, expires_at) VALUES (\(token.id), \(token.expiresAt))
            ON CONFLICT (token_id) DO NOTHING RETURNING token_id
            """, logger: logger)
        var inserted = false
        for try await _ in rows { inserted = true }
        if !inserted {
            throw WardenError.unauthorized("token already used")
        }
    }
}
