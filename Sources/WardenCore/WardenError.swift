import Foundation

/// The one error type the domain speaks.
///
/// Every failure that can reach a client carries a stable machine ``Code`` (mapped to an HTTP status by the
/// server layer, to an exit code by the CLI) and a message written for a person. Equality compares only the
/// code, so tests can match against a freshly built error, as swift-certificates' `CertificateError` does.
public struct WardenError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A stable, machine-readable category of failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        enum Base: String, Hashable, Sendable {
            case badRequest
            case unauthorized
            case forbidden
            case notFound
            case conflict
            case methodNotAllowed
            case payloadTooLarge
            case notImplemented
            case unavailable
            case internalError
        }

        let base: Base

        /// The request is malformed or asks for something the rules forbid.
        public static let badRequest = Code(base: .badRequest)
        /// The caller's credential is missing, invalid, expired, revoked or replayed.
        public static let unauthorized = Code(base: .unauthorized)
        /// The caller is known but may not do this.
        public static let forbidden = Code(base: .forbidden)
        /// The named object does not exist.
        public static let notFound = Code(base: .notFound)
        /// The object is in a state that conflicts with the request (e.g. already revoked).
        public static let conflict = Code(base: .conflict)
        /// The path exists but not with this method.
        public static let methodNotAllowed = Code(base: .methodNotAllowed)
        /// The request body exceeds the configured limit.
        public static let payloadTooLarge = Code(base: .payloadTooLarge)
        /// The feature exists in the protocol but Warden does not provide it.
        public static let notImplemented = Code(base: .notImplemented)
        /// A dependency (the database) is unreachable; retrying later may succeed.
        public static let unavailable = Code(base: .unavailable)
        /// A bug or an unexpected condition on the server side.
        public static let internalError = Code(base: .internalError)

        public var description: String { base.rawValue }
    }

    public let code: Code
    public let message: String
    /// What a person debugging the failure needs beyond the message (HTTP status and body, the transport's own
    /// error text). Never part of equality, never sent to clients; the console shows it on `!`.
    public var diagnostic: String?

    public init(_ code: Code, _ message: String, diagnostic: String? = nil) {
        self.code = code
        self.message = message
        self.diagnostic = diagnostic
    }

    public static func == (lhs: WardenError, rhs: WardenError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    public var description: String { "\(code): \(message)" }

    public static func badRequest(_ message: String) -> WardenError { .init(.badRequest, message) }
    public static func unauthorized(_ message: String) -> WardenError { .init(.unauthorized, message) }
    public static func forbidden(_ message: String) -> WardenError { .init(.forbidden, message) }
    public static func notFound(_ message: String) -> WardenError { .init(.notFound, message) }
    public static func conflict(_ message: String) -> WardenError { .init(.conflict, message) }
    public static func unavailable(_ message: String) -> WardenError { .init(.unavailable, message) }
    public static func internalError(_ message: String) -> WardenError { .init(.internalError, message) }
}

extension WardenError.Code {
    /// The code for an HTTP status (what a client reads from a response, what the server maps a framework
    /// status to): the statuses Warden sends map back to their codes, any other 4xx is a client mistake
    /// (`badRequest`), anything else ours (`internalError`).
    public init(httpStatus: Int) {
        switch httpStatus {
        case 400: self = .badRequest
        case 401: self = .unauthorized
        case 403: self = .forbidden
        case 404: self = .notFound
        case 405: self = .methodNotAllowed
        case 409: self = .conflict
        case 413: self = .payloadTooLarge
        case 501: self = .notImplemented
        case 503: self = .unavailable
        case 400..<500: self = .badRequest
        default: self = .internalError
        }
    }
}
