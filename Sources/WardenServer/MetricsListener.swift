import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import WardenStore

/// The optional plain-HTTP listener for Prometheus (`metricsAddress` in ca.json): `GET /metrics` only. Kept
/// off the TLS port so scrapers need no client certificate and the CA port exposes nothing extra.
enum MetricsListener {
    static func application(address: String, metrics: ServerMetrics, database: Database, logger: Logger) throws -> some Service {
        let (host, port) = try ListenAddress.parse(address)
        let router = Router()
        router.get("metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                body: .init(byteBuffer: ByteBuffer(bytes: metrics.exposition(databaseOperationsInFlight: database.operationsInFlight))))
        }
        return Application(router: router, configuration: .init(address: .hostname(host, port: port), serverName: nil), logger: logger)
    }
}
