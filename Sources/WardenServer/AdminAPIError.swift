import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import WardenCore

/// An error on `/admin/*`: step-ca's admin shape `{"type":..., "detail":..., "message":...}` (no status field;
/// the status is on the status line), which the step CLI decodes and shows.
struct AdminAPIError: HTTPResponseError {
    let status: HTTPResponse.Status
    let type: String
    let detail: String
    let message: String

    init(_ error: WardenError) {
        self.message = error.message
        self.status = HTTPStatusMapping.status(for: error.code)
        switch error.code {
        case .badRequest: (type, detail) = ("badRequest", "bad request")
        case .unauthorized: (type, detail) = ("unauthorized", "unauthorized")
        case .forbidden: (type, detail) = ("forbidden", "forbidden")
        case .notFound: (type, detail) = ("notFound", "resource not found")
        case .conflict: (type, detail) = ("conflict", "conflict")
        case .methodNotAllowed: (type, detail) = ("methodNotAllowed", "method not allowed")
        case .payloadTooLarge: (type, detail) = ("badRequest", "request body too large")
        case .notImplemented: (type, detail) = ("notImplemented", "not implemented")
        case .unavailable: (type, detail) = ("serviceUnavailable", "the database is unavailable")
        default: (type, detail) = ("internalServerError", "the server experienced an internal error")
        }
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let data = try JSONEncoder().encode(["type": type, "detail": detail, "message": message])
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
