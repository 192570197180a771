import Logging
import PostgresNIO

extension PostgresConnection {
    /// Runs a statement and reads its result to the end. A statement that returns rows (`SELECT pg_notify(...)`,
    /// `SELECT pg_advisory_xact_lock(...)`) reports an error that comes after its row description — a statement
    /// timeout while waiting for a lock, say — only to whoever reads the rows; left unread, the error would
    /// surface later as "current transaction is aborted" on an unrelated statement.
    func runToCompletion(_ query: PostgresQuery, logger: Logger) async throws {
        for try await _ in try await self.query(query, logger: logger) {}
    }
}
