import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle
import Synchronization
import WardenCore

/// The PostgreSQL connection pool and the schema it needs.
///
/// Run it as a `Service` (it owns the pool's background work) before issuing queries; repositories borrow it.
public struct Database: Service, Sendable {
    /// Schema work at start-up may wait behind other instances' migrations: it gets longer than a request.
    static let maintenanceTimeout: Duration = .seconds(60)

    public let client: PostgresClient
    public let configuration: DatabaseConfiguration
    let logger: Logger
    private let inFlight = OperationCounter()
    let deadlines = OperationDeadlines()

    /// Database operations running now (waiting for a connection included): the pool pressure operators watch.
    public var operationsInFlight: Int { inFlight.value.load(ordering: .relaxed) }

    public init(configuration: DatabaseConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        self.client = PostgresClient(configuration: configuration.clientConfiguration, backgroundLogger: logger)
    }

    public func run() async {
        let deadlines = deadlines
        await withDiscardingTaskGroup { group in
            group.addTask { await deadlines.run() }
            await client.run()
            group.cancelAll()
        }
    }

    /// Applies pending migrations under an advisory lock so that instances starting together do not race.
    public func migrate() async throws(WardenError) {
        let client = client
        let logger = logger
        try await perform(deadline: Self.maintenanceTimeout) {
            try await client.withTransaction(logger: logger) { connection in
                // Schema work may take longer than a request (an index on a large table): no statement timeout here.
                try await connection.query("SET LOCAL statement_timeout = 0", logger: logger)
                try await connection.runToCompletion("SELECT pg_advisory_xact_lock(4242001)", logger: logger)
                try await connection.query(
                    "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
                    logger: logger)
                var applied = Set<Int>()
                for try await version in try await connection.query("SELECT version FROM schema_migrations", logger: logger)
                    .decode(Int.self)
                {
                    applied.insert(version)
                }
                for migration in Migrations.all where !applied.contains(migration.version) {
                    for statement in migration.statements {
                        try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                    }
                    try await migration.backfill?(connection, logger)
                    try await connection.query(
                        "INSERT INTO schema_migrations (version) VALUES (\(migration.version))", logger: logger)
                    logger.info("applied database migration", metadata: ["version": "\(migration.version)", "name": "\(migration.name)"])
                }
            }
        }
    }

    /// Creates the configured database when it does not exist yet (as step-ca's PostgreSQL driver does),
    /// connecting to the maintenance database `postgres` to do so.
    public func createDatabaseIfMissing() async throws(WardenError) {
        let maintenance = {
            var copy = configuration
            copy.database = "postgres"
            return copy
        }()
        let name = configuration.database
        let logger = logger
        try await perform(deadline: Self.maintenanceTimeout) {
            let connection = try await PostgresConnection.connect(
                configuration: .init(
                    host: maintenance.host, port: maintenance.port, username: maintenance.username,
                    password: maintenance.password?.text, database: maintenance.database,
                    tls: maintenance.useTLS ? .prefer(try .init(configuration: .makeClientConfiguration())) : .disable),
                id: 1, logger: logger)
            do {
                var exists = false
                for try await _ in try await connection.query("SELECT 1 FROM pg_database WHERE datname = \(name)", logger: logger) {
                    exists = true
                }
                if !exists {
                    let quoted = "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
                    try await connection.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(quoted)"), logger: logger)
                    logger.notice("created database", metadata: ["database": "\(name)"])
                }
                try await connection.close()
            } catch {
                try? await connection.close()
                throw error
            }
        }
    }

    /// True when a trivial query succeeds within one second.
    public func isReachable() async -> Bool {
        let client = client
        let logger = logger
        do {
            try await perform(deadline: .seconds(1)) { try await client.withConnection { try await $0.runToCompletion("SELECT 1", logger: logger) } }
            return true
        } catch {
            return false
        }
    }
}

extension Database {
    /// Runs a unit of database work with a deadline and turns driver errors into ``WardenError``.
    ///
    /// postgres-nio waits for a pooled connection indefinitely while the server is down; a CA must instead
    /// answer 503 quickly, so every call races ``DatabaseConfiguration/requestTimeout``. Lost connections
    /// become `unavailable`, other failures `internalError` (logged, never shown to clients verbatim).
    /// Errors thrown inside a transaction come back wrapped by postgres-nio and are unwrapped first.
    func perform<T: Sendable>(deadline: Duration? = nil, _ body: @escaping @Sendable () async throws -> T) async throws(WardenError) -> T {
        let deadline = deadline ?? configuration.requestTimeout
        inFlight.value.wrappingAdd(1, ordering: .relaxed)
        defer { inFlight.value.wrappingSubtract(1, ordering: .relaxed) }
        do {
            return try await withThrowingTaskGroup(of: T?.self) { group in
                group.addTask { try await body() }
                let expiry = ContinuousClock.now.advanced(by: deadline)
                group.addTask { [deadlines] in
                    if await deadlines.wait(until: expiry) { return nil }
                    throw CancellationError()
                }
                defer { group.cancelAll() }
                guard let first = try await group.next(), let value = first else {
                    throw WardenError.unavailable("database did not answer within \(deadline)")
                }
                return value
            }
        } catch {
            throw databaseError(error)
        }
    }
}

func databaseError(_ error: any Error) -> WardenError {
    switch error {
    case let error as WardenError:
        return error
    case let error as PostgresTransactionError:
        if let inner = error.closureError ?? error.beginError ?? error.commitError {
            return databaseError(inner)
        }
        return .unavailable("database transaction failed")
    case let error as PSQLError:
        switch error.code {
        case .server:
            let state = error.serverInfo?[.sqlState] ?? "?"
            let message = error.serverInfo?[.message] ?? "database error"
            if state.hasPrefix("08") || state == "57P01" || state == "57P03" {
                return .unavailable("database unavailable (\(state))")
            }
            if state == "57014" {
                return .unavailable("database operation did not finish within the request deadline (statement_timeout)")
            }
            // Class 22 (data exception: a value PostgreSQL cannot take, e.g. an impossible date or a NUL) and 54000
            // (a value too large for an index) come from what a client sent: the last line of defence behind the
            // input checks, answered 400 and logged by the error middleware, never 500.
            if state.hasPrefix("22") || state == "54000" {
                return .badRequest("invalid value: \(message) (SQLSTATE \(state))")
            }
            return .internalError("database error \(state): \(message)")
        case .queryCancelled:
            return .unavailable("database query was cancelled")
        default:
            return .unavailable("database unavailable: \(error.code)")
        }
    case is CancellationError:
        return .unavailable("request cancelled")
    default:
        return .unavailable("database unavailable: \(String(describing: error).prefix(200))")
    }
}

/// True when `error` is a unique-violation from PostgreSQL.
func isUniqueViolation(_ error: any Error) -> Bool {
    if let transaction = error as? PostgresTransactionError, let inner = transaction.closureError {
        return isUniqueViolation(inner)
    }
    return (error as? PSQLError)?.serverInfo?[.sqlState] == "23505"
}

extension Database {
    /// Runs a pool for the duration of `body`, with the database created and migrated: for one-shot tools
    /// (`warden init`) and tests, where no service group owns the pool.
    public static func withRunning<T: Sendable>(
        configuration: DatabaseConfiguration, logger: Logger, _ body: @Sendable (Database) async throws -> T
    ) async throws -> T {
        let database = Database(configuration: configuration, logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await database.run() }
            defer { group.cancelAll() }
            try await database.createDatabaseIfMissing()
            try await database.migrate()
            return try await body(database)
        }
    }
}

/// A shared counter a value-type `Database` can carry.
final class OperationCounter: Sendable {
    let value = Atomic<Int>(0)
}
