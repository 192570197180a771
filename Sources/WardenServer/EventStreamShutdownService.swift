import ServiceLifecycle

/// Ends open event streams when the server shuts down, so the HTTP server can drain.
struct EventStreamShutdownService: Service {
    let hub: ChangeHub

    func run() async throws {
        try? await gracefulShutdown()
        hub.finishAll()
    }
}
