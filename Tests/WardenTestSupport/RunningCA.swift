import Crypto
import Foundation
import Logging
import WardenClient
import WardenCore
import WardenPKI
import WardenServer
import WardenStore
import X509

/// A real Warden CA for end-to-end tests: initialised in a temporary directory, serving TLS on a random
/// loopback port, backed by a fresh PostgreSQL database.
public struct RunningCA: Sendable {
    public let directory: URL
    public let configPath: String
    public let rootPath: String
    public let password: [UInt8]
    public let port: Int
    public let provisionerName: String
    /// A second pool on the CA's database, for assertions on stored rows.
    public let database: Database

    public var url: URL { URL(string: "https://localhost:\(port)")! }

    public func clientConfiguration(identity: ClientIdentity? = nil) throws -> CAClientConfiguration {
        CAClientConfiguration(url: url, roots: try PEMBundle.certificates(fromFile: rootPath), identity: identity)
    }

    /// Low PBKDF2 iteration count: the format is the same, the tests are fast.
    public static let testIterations = 2_000

    /// Initialises, starts, runs `body`, stops. `configure` may edit ca.json before the server starts.
    public static func with<T: Sendable>(
        remoteManagement: Bool = false,
        initialize: @Sendable (inout CAInitializer.Options) -> Void = { _ in },
        adminSubject: String = RemoteManagementBootstrap.defaultSuperAdminSubject,
        configure: @Sendable (inout CAConfiguration) throws -> Void = { _ in },
        _ body: @Sendable (RunningCA) async throws -> T
    ) async throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("warden-test-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let password = Array("test-password-\(UUID().uuidString.prefix(6))".utf8)
        let databaseURL = try TestDatabase.freshURL(prefix: "e2e")
        var options = CAInitializer.Options(
            directory: directory.path, name: "Warden Test", dnsNames: ["localhost", "127.0.0.1"], address: "127.0.0.1:0",
            password: Secret(password), databaseURL: databaseURL, provisionerName: "admin", keyIterations: testIterations,
            remoteManagement: remoteManagement)
        initialize(&options)
        let initialized = try await CAInitializer(options: options).run(logger: TestDatabase.logger)
        var configuration = try CAConfiguration.load(path: initialized.configPath)
        try configure(&configuration)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try SecureFile.write(Array(try encoder.encode(configuration)), to: initialized.configPath, mode: 0o600)

        let database = Database(configuration: try DatabaseConfiguration(url: databaseURL), logger: TestDatabase.logger)
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                do {
                    try await CAServer.run(
                        CAServerOptions(
                            configPath: initialized.configPath, password: Secret(password), onListening: { continuation.yield($0) },
                            handleSignals: false, databaseRequestTimeout: .seconds(30), adminSubject: adminSubject),
                        logger: TestDatabase.logger)
                } catch {
                    continuation.finish()  // a server that fails to start ends the wait below with its own error
                    throw error
                }
            }
            group.addTask { await database.run() }
            defer { group.cancelAll() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else {
                try await group.next()
                throw WardenError.internalError("server did not start")
            }
            let ca = RunningCA(
                directory: directory, configPath: initialized.configPath, rootPath: initialized.rootPath, password: password,
                port: port, provisionerName: initialized.provisionerName, database: database)
            return try await body(ca)
        }
    }

    /// A certificate from the JWK provisioner, the way `warden certificate` gets one.
    public func issue(subject: String, sans: [String] = [], notAfter: String? = nil) async throws -> CertificateEnrollment.Result {
        try await CAClient.withClient(try clientConfiguration()) { client in
            let issuer = try await ProvisionerTokenIssuer.load(client: client, name: provisionerName, password: password)
            return try await CertificateEnrollment.enroll(client: client, issuer: issuer, subject: subject, sans: sans, notAfter: notAfter)
        }
    }

    public func tokenIssuer(client: CAClient) async throws -> ProvisionerTokenIssuer {
        try await ProvisionerTokenIssuer.load(client: client, name: provisionerName, password: password)
    }
}
