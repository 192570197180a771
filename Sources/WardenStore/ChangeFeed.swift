import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresNIO
import ServiceLifecycle
import WardenCore

/// A change another instance (or this one) committed: `kind` is "provisioner", "admin", "certificate" or
/// "revocation", `id` the object's id or serial.
public struct ChangeNotice: Sendable, Hashable, Codable {
    public var kind: String
    public var id: String
    /// When the change was committed (seconds since 1970, the committing instance's clock), to measure
    /// propagation lag.
    public var at: Double?

    public init(kind: String, id: String, at: Double? = nil) {
        self.kind = kind
        self.id = id
        self.at = at
    }

    /// The `NOTIFY` payload for a change committed now.
    static func payload(kind: String, id: String) -> String {
        #"{"kind":"\#(kind)","id":"\#(id)","at":\#(Date().timeIntervalSince1970)}"#
    }
}

/// `LISTEN warden_changes` on a dedicated connection, so every instance sharing the database hears every
/// committed change within milliseconds. A lost connection is re-established with backoff, and `resync`
/// runs after each (re)connection because notifications sent while disconnected are gone.
public struct ChangeFeed: Service {
    let configuration: DatabaseConfiguration
    let logger: Logger
    let onChange: @Sendable (ChangeNotice) async -> Void
    let resync: @Sendable () async -> Void
    let readiness: DatabaseReadiness?

    public init(
        configuration: DatabaseConfiguration, logger: Logger, readiness: DatabaseReadiness? = nil,
        onChange: @escaping @Sendable (ChangeNotice) async -> Void, resync: @escaping @Sendable () async -> Void
    ) {
        self.readiness = readiness
        self.configuration = configuration
        self.logger = logger
        self.onChange = onChange
        self.resync = resync
    }

    public func run() async throws {
        if let readiness {
            await cancelWhenGracefulShutdown { await readiness.wait() }
        }
        var backoff: Double = 0.25
        var connectionID = 1
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                let connection = try await PostgresConnection.connect(
                    on: MultiThreadedEventLoopGroup.singleton.next(),
                    configuration: .init(
                        host: configuration.host, port: configuration.port, username: configuration.username,
                        password: configuration.password?.text, database: configuration.database,
                        tls: configuration.useTLS ? .prefer(try .init(configuration: .makeClientConfiguration())) : .disable),
                    id: connectionID, logger: logger)
                connectionID += 1
                backoff = 0.25
                do {
                    try await cancelWhenGracefulShutdown {
                        try await connection.listen(on: ManagementChange.channel) { notifications in
                            logger.debug("listening for changes")
                            await resync()
                            for try await notification in notifications {
                                guard let notice = try? JSONDecoder().decode(ChangeNotice.self, from: Data(notification.payload.utf8)) else {
                                    continue
                                }
                                await onChange(notice)
                            }
                        }
                    }
                } catch {
                    try? await connection.close()
                    throw error
                }
                try? await connection.close()
            } catch {
                if Task.isCancelled || Task.isShuttingDownGracefully { return }
                logger.warning("change feed disconnected; reconnecting", metadata: ["error": "\(databaseError(error).message)"])
            }
            let delay = Duration.milliseconds(Int64(backoff * 1000))
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: delay) }
            } catch {
                return
            }
            backoff = min(backoff * 2, 5)
        }
    }
}
