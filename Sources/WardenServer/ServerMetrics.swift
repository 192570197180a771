import Foundation
import Metrics
import Prometheus

/// What operators watch (Prometheus text on the optional metrics listener): requests by route and status,
/// issuance count and latency, database operations in flight, and how long a change takes to reach this
/// instance from the one that committed it.
///
/// Recorded through swift-metrics with a Prometheus factory owned by this server (no global bootstrap, so
/// several servers can live in one process).
public final class ServerMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    let factory: PrometheusMetricsFactory
    let issued: Metrics.Counter
    let issuanceLatency: Metrics.Timer
    let propagationLag: Metrics.Timer
    private let databaseGauge: Metrics.Gauge

    public init() {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
            .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5),
        ]
        self.registry = registry
        self.factory = factory
        self.issued = Metrics.Counter(label: "warden_certificates_issued_total", factory: factory)
        self.issuanceLatency = Metrics.Timer(label: "warden_issuance_duration_seconds", factory: factory)
        self.propagationLag = Metrics.Timer(label: "warden_change_propagation_seconds", factory: factory)
        self.databaseGauge = Metrics.Gauge(label: "warden_database_operations_in_flight", factory: factory)
    }

    func request(route: String, method: String, status: Int, duration: Duration) {
        Metrics.Counter(
            label: "warden_http_requests_total", dimensions: [("route", route), ("method", method), ("status", String(status))], factory: factory
        )
        .increment()
        Metrics.Timer(label: "warden_http_request_duration_seconds", dimensions: [("route", route)], factory: factory)
            .recordNanoseconds(duration.nanoseconds)
    }

    func certificateIssued(duration: Duration) {
        issued.increment()
        issuanceLatency.recordNanoseconds(duration.nanoseconds)
    }

    func changeArrived(committedAt: Date) {
        // The commit time comes from another instance's notification: bounded before conversion (a day at most).
        let lag = min(max(0, Date().timeIntervalSince(committedAt)), 86400)
        propagationLag.recordNanoseconds(Int64((lag * 1e9).rounded()))
    }

    /// The Prometheus text, with gauges sampled now.
    public func exposition(databaseOperationsInFlight: Int) -> [UInt8] {
        databaseGauge.record(databaseOperationsInFlight)
        return registry.emitToBuffer()
    }
}

extension Duration {
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
