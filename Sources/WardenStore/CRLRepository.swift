import Foundation
import Logging
import NIOCore
import PostgresNIO
import WardenCore

/// The current CRL, shared by every instance: its number only grows.
public struct CRLRepository: Sendable {
    public struct State: Sendable {
        public var number: Int64
        public var thisUpdate: Date
        public var nextUpdate: Date
        public var der: [UInt8]
    }

    let database: Database

    public init(database: Database) {
        self.database = database
    }

    public func current(logger: Logger) async throws(WardenError) -> State? {
        try await database.perform { [database] in
            let rows = try await database.client.query(
                "SELECT number, this_update, next_update, der FROM crl_state WHERE id = 1", logger: logger)
            for try await row in rows.decode((Int64, Date, Date, ByteBuffer).self) {
                return State(number: row.0, thisUpdate: row.1, nextUpdate: row.2, der: Array(buffer: row.3))
            }
            return nil
        }
    }

    /// Generates and stores the next CRL under a row lock, so concurrent regenerations get distinct, increasing
    /// numbers. `make` receives the new number and returns the signed DER.
    public func regenerate(
        thisUpdate: Date, nextUpdate: Date, logger: Logger, make: @escaping @Sendable (Int64) async throws -> [UInt8]
    ) async throws(WardenError) -> State {
        try await database.perform { [database] in
            try await database.client.withTransaction(logger: logger) { connection in
                try await connection.query(
                    """
                    INSERT INTO crl_state (id, number, this_update, next_update, der)
                    VALUES (1, 0, \(thisUpdate), \(nextUpdate), ''::bytea) ON CONFLICT (id) DO NOTHING
                    """, logger: logger)
                var number: Int64 = 0
                for try await n in try await connection.query("SELECT number FROM crl_state WHERE id = 1 FOR UPDATE", logger: logger)
                    .decode(Int64.self)
                {
                    number = n
                }
                let next = number + 1
                let der = try await make(next)
                try await connection.query(
                    """
                    UPDATE crl_state SET number = \(next), this_update = \(thisUpdate), next_update = \(nextUpdate),
                        der = \(ByteBuffer(bytes: der)) WHERE id = 1
                    """, logger: logger)
                return State(number: next, thisUpdate: thisUpdate, nextUpdate: nextUpdate, der: der)
            }
        }
    }
}
