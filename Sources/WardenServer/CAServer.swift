import Foundation
import Hummingbird
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL
import ServiceLifecycle
import UnixSignals
import WardenCore
import WardenPKI
import WardenStore

/// How to run a CA server: plain values, filled by `warden serve` or by tests.
public struct CAServerOptions: Sendable {
    /// Path of ca.json.
    public var configPath: String
    /// Password of the intermediate key (and of keys created at first start); nil uses ca.json's `password`.
    public var password: Secret?
    /// Replaces ca.json's `address` (tests bind `127.0.0.1:0`).
    public var addressOverride: String?
    /// Called once the listener is bound, with its port.
    public var onListening: @Sendable (Int) async -> Void
    /// Lifetime of the server's own TLS certificate. Default 24 h.
    public var serverCertificateValidity: TimeInterval
    /// Install SIGTERM/SIGINT graceful shutdown and SIGHUP reload. Off for in-process tests.
    public var handleSignals: Bool
    /// How long one database operation may take before the request fails with 503. Default 5 s.
    public var databaseRequestTimeout: Duration
    /// Replaces ca.json's `metricsAddress` (plain-HTTP Prometheus listener); nil keeps ca.json's.
    public var metricsAddress: String?
    /// The first super admin made when remote management is turned on for a CA with provisioners in ca.json
    /// (migration). Default "step", as step-ca.
    public var adminSubject: String = RemoteManagementBootstrap.defaultSuperAdminSubject

    public init(
        configPath: String, password: Secret?, addressOverride: String? = nil,
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }, serverCertificateValidity: TimeInterval = 24 * 3600,
        handleSignals: Bool = true, databaseRequestTimeout: Duration = .seconds(5), metricsAddress: String? = nil,
        adminSubject: String = RemoteManagementBootstrap.defaultSuperAdminSubject
    ) {
        self.adminSubject = adminSubject
        self.metricsAddress = metricsAddress
        self.databaseRequestTimeout = databaseRequestTimeout
        self.configPath = configPath
        self.password = password
        self.addressOverride = addressOverride
        self.onListening = onListening
        self.serverCertificateValidity = serverCertificateValidity
        self.handleSignals = handleSignals
    }
}

/// Wires configuration, database, authority and HTTP listener into one service group.
public enum CAServer {
    public static let version = "0.1.0"

    public static func run(_ options: CAServerOptions, logger: Logger) async throws {
        let configuration = try TemplateFileLoader.loaded(CAConfiguration.load(path: options.configPath), configPath: options.configPath)
        let material = try CAMaterial.load(configuration: configuration, configPath: options.configPath, password: options.password)
        guard let db = configuration.db, db.type == "postgresql" || db.type == "postgres" else {
            throw WardenError.badRequest("db: Warden requires a PostgreSQL database (db.type \"postgresql\")")
        }
        var databaseConfiguration = try DatabaseConfiguration(url: db.dataSource, database: db.database)
        databaseConfiguration.requestTimeout = options.databaseRequestTimeout
        let database = Database(configuration: databaseConfiguration, logger: logger)
        let authority = Authority(
            configuration: configuration, signer: material.signer, federatedRoots: material.federatedRoots, database: database)
        let certificateSource = try ServerCertificateSource(
            signer: { authority.signer }, names: { authority.configuration.dnsNames },
            validity: options.serverCertificateValidity, logger: logger)

        let router = Router(context: WardenRequestContext.self)
        let allowedMethods = AllowedMethods()
        let metrics = ServerMetrics()
        router.add(middleware: MetricsMiddleware(metrics: metrics, routes: allowedMethods))
        router.add(middleware: ErrorMappingMiddleware(allowedMethods: allowedMethods))
        router.add(middleware: InputLimitsMiddleware())
        PublicRoutes(authority: authority, version: version, metrics: metrics).register(on: router)
        let hub = ChangeHub()
        if configuration.authority.enableAdmin == true {
            AdminRoutes(authority: authority).register(on: router)
            InventoryRoutes(authority: authority, hub: hub).register(on: router)
        } else {
            router.add(middleware: AdminAPIDisabledMiddleware())
        }
        allowedMethods.load(from: router)

        let (host, port) = try ListenAddress.parse(options.addressOverride ?? configuration.address)
        let tls = TLSChannelConfiguration(
            tlsConfiguration: try certificateSource.tlsConfiguration(trustRoots: material.signer.roots),
            customVerificationCallback: { _, promise in promise.succeed(.certificateVerified) })
        let onListening = options.onListening
        let app = Application(
            router: router,
            server: try .tls(.http1(configuration: .init(idleTimeout: .seconds(60))), configuration: tls),
            configuration: .init(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in
                let bound = channel.localAddress?.port ?? port
                logger.info("Warden CA listening", metadata: ["address": "\(host):\(bound)"])
                await onListening(bound)
            },
            logger: logger)

        let readiness = DatabaseReadiness()
        let feed = ChangeFeed(
            configuration: database.configuration, logger: logger, readiness: readiness,
            onChange: { notice in
                if let at = notice.at { metrics.changeArrived(committedAt: Date(timeIntervalSince1970: at)) }
                if notice.kind == "provisioner" {
                    try? await authority.refreshProvisioners(logger: logger)
                }
                if notice.kind == "policy" {
                    try? await authority.refreshPolicy(logger: logger)
                }
                hub.publish(notice)
            },
            resync: {
                try? await authority.refreshProvisioners(logger: logger)
                try? await authority.refreshPolicy(logger: logger)
                hub.publish(ChangeNotice(kind: "resync", id: ""))
            })
        let startup = StartupService(
            database: database, authority: authority, password: options.password, adminSubject: options.adminSubject,
            configPath: options.configPath, readiness: readiness,
            app: app, logger: logger)
        var services: [any Service] = [
            database, startup, EventStreamShutdownService(hub: hub), feed, certificateSource,
            TokenPruningService(database: database, logger: logger),
        ]
        if let metricsAddress = options.metricsAddress ?? configuration.metricsAddress {
            services.append(try MetricsListener.application(address: metricsAddress, metrics: metrics, database: database, logger: logger))
        }
        if options.handleSignals {
            services.append(
                ReloadService(logger: logger) {
                    let reloaded = try TemplateFileLoader.loaded(CAConfiguration.load(path: options.configPath), configPath: options.configPath)
                    if (reloaded.authority.enableAdmin == true) != authority.isRemotelyManaged {
                        // The admin routes are mounted at start: turning remote management on or off needs a restart.
                        logger.warning(
                            "authority.enableAdmin changed in ca.json: restart warden serve to turn remote management \(reloaded.authority.enableAdmin == true ? "on" : "off"); the rest of the reload applies now"
                        )
                    }
                    let material = try CAMaterial.load(configuration: reloaded, configPath: options.configPath, password: options.password)
                    authority.reload(configuration: reloaded, signer: material.signer, federatedRoots: material.federatedRoots)
                    try certificateSource.renew()
                })
        }
        let group = ServiceGroup(
            configuration: .init(
                services: services.map { .init(service: $0) },
                gracefulShutdownSignals: options.handleSignals ? [.sigterm, .sigint] : [],
                logger: logger))
        try await group.run()
    }
}

/// Migrates the schema (waiting for the database if it is still starting), prepares the CRL, then serves.
struct StartupService: Service {
    let database: Database
    let authority: Authority
    let password: Secret?
    let adminSubject: String
    let configPath: String
    let readiness: DatabaseReadiness
    let app: Application<RouterResponder<WardenRequestContext>>
    let logger: Logger

    func run() async throws {
        var attempt = 0
        while true {
            do {
                try await database.createDatabaseIfMissing()
                try await database.migrate()
                break
            } catch {
                attempt += 1
                if attempt >= 10 || error.code != .unavailable {
                    logger.critical("cannot prepare the database", metadata: ["error": "\(error.message)"])
                    throw error
                }
                logger.warning("database not reachable yet; retrying", metadata: ["attempt": "\(attempt)", "error": "\(error.message)"])
                try await gracefulShutdownOrSleep(seconds: 1)
            }
        }
        readiness.markReady()
        if authority.isRemotelyManaged {
            let configuration = authority.configuration
            try await RemoteManagementBootstrap.run(
                database: database, configuration: configuration, password: password ?? configuration.password,
                superAdminSubject: adminSubject, nameConstraints: authority.signer.nameConstraints, configPath: configPath, logger: logger)
            try await authority.refreshProvisioners(logger: logger)
            try await authority.refreshPolicy(logger: logger)
            logger.info("remote management enabled", metadata: ["provisioners": "\(authority.provisioners.all.map(\.name))"])
        }
        if let crl = authority.configuration.crl, crl.enabled {
            do {
                _ = try await authority.currentCRL(logger: logger)
            } catch {
                logger.error("initial CRL generation failed", metadata: ["error": "\(error.message)"])
            }
        }
        try await app.run()
    }
}

/// Deletes expired one-time token ids every ten minutes.
struct TokenPruningService: Service {
    let database: Database
    let logger: Logger

    func run() async throws {
        let ledger = TokenLedger(database: database)
        while !Task.isShuttingDownGracefully {
            do {
                try await gracefulShutdownOrSleep(seconds: 600)
            } catch {
                return
            }
            do {
                let pruned = try await ledger.prune(logger: logger)
                if pruned > 0 { logger.debug("pruned used token ids", metadata: ["count": "\(pruned)"]) }
            } catch {
                logger.warning("token pruning failed", metadata: ["error": "\(error.message)"])
            }
        }
    }
}

/// Reloads ca.json and the CA material on SIGHUP.
struct ReloadService: Service {
    let logger: Logger
    let reload: @Sendable () throws -> Void

    func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        await cancelWhenGracefulShutdown {
            for await _ in signals {
                do {
                    try reload()
                    logger.info("configuration reloaded (SIGHUP)")
                } catch {
                    logger.error("reload failed; keeping the previous configuration", metadata: ["error": "\(error)"])
                }
            }
        }
    }
}

/// `host:port`, `:port` or `[v6]:port`.
enum ListenAddress {
    static func parse(_ address: String) throws(WardenError) -> (String, Int) {
        guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]), (0...65535).contains(port)
        else { throw .badRequest("address: \"\(address)\" is not host:port") }
        var host = String(address[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host.isEmpty { host = "0.0.0.0" }
        return (host, port)
    }
}
