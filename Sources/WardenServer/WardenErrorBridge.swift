import WardenCore

/// Shorthands for errors raised while reading HTTP requests.
enum WardenErrorBridge {
    static func badRequest(_ message: String) -> WardenError { .badRequest(message) }

    static func payloadTooLarge(limit: Int) -> WardenError {
        .init(.payloadTooLarge, "request body exceeds the limit of \(limit) bytes")
    }
}
