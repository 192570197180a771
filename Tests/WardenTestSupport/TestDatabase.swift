import Foundation
import Logging
import PostgresNIO
import WardenCore
import WardenStore

/// Throwaway PostgreSQL databases for tests: one fresh database per test, on the cluster named by
/// `WARDEN_TEST_DATABASE_URL` (`.ci/run` starts one and exports it).
public enum TestDatabase {
    public static var baseURL: String? { ProcessInfo.processInfo.environment["WARDEN_TEST_DATABASE_URL"] }

    /// Whether a cluster is configured. Suites that need one do not skip without it: every test that asks for a
    /// database fails with ``missingMessage`` (a silently skipped suite would report success for nothing run).
    public static var isAvailable: Bool { baseURL != nil }

    public static let missingMessage =
        "WARDEN_TEST_DATABASE_URL is not set: the PostgreSQL-backed suites need a cluster (scripts/test.sh starts one)"

    public static let logger: Logger = {
        var logger = Logger(label: "warden-tests", factory: { _ in SwiftLogNoOpLogHandler() })
        logger.logLevel = .critical
        return logger
    }()

    /// A URL for a database that does not exist yet, unique to this call.
    public static func freshURL(prefix: String) throws -> String {
        guard let base = baseURL, var components = URLComponents(string: base) else {
            throw WardenError.unavailable(missingMessage)
        }
        let suffix = UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
        components.path = "/wt_\(prefix)_\(suffix)"
        return components.string!
    }

    /// Runs `body` with a migrated, empty database whose pool is running.
    public static func withDatabase<T: Sendable>(prefix: String, _ body: @Sendable (Database) async throws -> T) async throws -> T {
        try await Database.withRunning(configuration: try DatabaseConfiguration(url: try freshURL(prefix: prefix)), logger: logger, body)
    }

    /// Runs a raw statement, for tests that set up a state the API would not allow (data from older versions).
    public static func execute(_ sql: String, in database: Database) async throws {
        for try await _ in try await database.client.query(PostgresQuery(unsafeSQL: sql), logger: logger) {}
    }

    /// Counts rows with a raw query, for assertions about what was (not) stored.
    public static func count(_ table: String, in database: Database, where condition: String = "true") async throws -> Int {
        let rows = try await database.client.query(
            PostgresQuery(unsafeSQL: "SELECT count(*)::bigint FROM \(table) WHERE \(condition)"), logger: logger)
        for try await n in rows.decode(Int.self) { return n }
        return 0
    }
}
