import Foundation
import PostgresNIO
import WardenCore

/// Where the database is, parsed from ca.json's `db.dataSource` (a `postgresql://` URL, as step-ca takes it).
public struct DatabaseConfiguration: Sendable, Hashable {
    public var host: String
    public var port: Int
    public var username: String
    public var password: Secret?
    public var database: String
    /// `sslmode=disable` turns TLS off; anything else prefers TLS when the server offers it.
    public var useTLS: Bool
    /// How long to wait for a connection before answering 503. Default 3 s: a CA should fail fast.
    public var connectTimeout: Duration
    /// Pool size. Default 16.
    public var maximumConnections: Int
    /// Longest a single database operation may take, waiting for a connection included, before the request
    /// fails with 503. Default 5 s.
    public var requestTimeout: Duration

    public init(
        host: String = "127.0.0.1", port: Int = 5432, username: String = "postgres", password: Secret? = nil,
        database: String = "warden", useTLS: Bool = false, connectTimeout: Duration = .seconds(3),
        maximumConnections: Int = 16, requestTimeout: Duration = .seconds(5)
    ) {
        self.requestTimeout = requestTimeout
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.useTLS = useTLS
        self.connectTimeout = connectTimeout
        self.maximumConnections = maximumConnections
    }

    /// Parses `postgresql://user:pass@host:port/dbname?sslmode=disable`. `database` (ca.json's separate key) wins
    /// over the path when given.
    public init(url: String, database: String? = nil) throws(WardenError) {
        guard let components = URLComponents(string: url),
            components.scheme == "postgresql" || components.scheme == "postgres"
        else { throw .badRequest("db.dataSource: expected a postgresql:// URL") }
        self.init()
        if let host = components.host, !host.isEmpty { self.host = host }
        if let port = components.port { self.port = port }
        if let user = components.user, !user.isEmpty { self.username = user.removingPercentEncoding ?? user }
        self.password = components.password.map { Secret($0.removingPercentEncoding ?? $0) }
        let path = components.path.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        if let database, !database.isEmpty {
            self.database = database
        } else if !path.isEmpty {
            self.database = path
        }
        let sslmode = components.queryItems?.first(where: { $0.name == "sslmode" })?.value ?? "disable"
        self.useTLS = sslmode != "disable"
    }

    /// ``requestTimeout`` in whole milliseconds (at least 1).
    var statementTimeoutMilliseconds: Int64 {
        let (seconds, attoseconds) = requestTimeout.components
        return max(1, seconds * 1000 + attoseconds / 1_000_000_000_000_000)
    }

    var clientConfiguration: PostgresClient.Configuration {
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: username, password: password?.text, database: database,
            tls: useTLS ? .prefer(.makeClientConfiguration()) : .disable)
        configuration.options.connectTimeout = connectTimeout
        configuration.options.maximumConnections = maximumConnections
        // The server ends any statement that runs longer than a request may wait (a query stuck behind a lock
        // included), so the request fails with 503 at its deadline and the connection is free again; the
        // client-side deadline alone cannot interrupt a query PostgreSQL is still running.
        configuration.options.additionalStartupParameters = [("statement_timeout", "\(statementTimeoutMilliseconds)")]
        return configuration
    }
}
