import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import WardenCore

/// An error on the public, step-ca compatible routes: `{"status":400,"message":"..."}` with the same status on
/// the status line (step's `errs.Error` shape, which step clients decode).
struct PublicAPIError: HTTPResponseError {
    let status: HTTPResponse.Status
    let message: String

    init(status: HTTPResponse.Status, message: String) {
        self.status = status
        self.message = message
    }

    init(_ error: WardenError) {
        self.init(status: HTTPStatusMapping.status(for: error.code), message: error.message)
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let data = try JSONEncoder().encode(PublicErrorBody(status: status.code, message: message))
        return Response(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// One table from domain error codes to HTTP statuses, shared by every error shape.
enum HTTPStatusMapping {
    static func status(for code: WardenError.Code) -> HTTPResponse.Status {
        switch code {
        case .badRequest: .badRequest
        case .unauthorized: .unauthorized
        case .forbidden: .forbidden
        case .notFound: .notFound
        case .conflict: .conflict
        case .methodNotAllowed: .methodNotAllowed
        case .payloadTooLarge: .contentTooLarge
        case .notImplemented: .notImplemented
        case .unavailable: .serviceUnavailable
        default: .internalServerError
        }
    }
}
