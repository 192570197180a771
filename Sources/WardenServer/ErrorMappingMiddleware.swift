import Foundation
import HTTPTypes
import Hummingbird
import Logging
import WardenCore

/// Turns every error a handler throws into the API's error shape — `{type,detail,message}` under `/admin`,
/// step's `{status,message}` elsewhere — logs it with the request id, and stamps `X-Request-Id` on every
/// response. Internal errors are logged in full but answered with a
/// generic message: no stack traces or SQL reach clients.
struct ErrorMappingMiddleware: RouterMiddleware {
    typealias Context = WardenRequestContext

    let allowedMethods: AllowedMethods

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            response = try self.response(for: error, request: request, context: context)
        }
        response.headers[HTTPField.Name("X-Request-Id")!] = context.requestID
        return response
    }

    /// One error, one shape: `{type,detail,message}` under `/admin` (the router's own 404 and 405 included, so
    /// step's clients print a sentence), step's `{status,message}` elsewhere.
    func response(for error: any Error, request: Request, context: Context) throws -> Response {
        let failure: WardenError
        var allow: [String]?
        switch error {
        case let error as WardenError:
            failure = error
        case let error as PublicAPIError:
            return try error.response(from: request, context: context)
        case let error as HTTPError where error.status == .notFound:
            if let allowed = allowedMethods.methods(for: request.uri.path), !allowed.contains(request.method.rawValue) {
                allow = allowed
                failure = WardenError(.methodNotAllowed, "method \(request.method.rawValue) is not allowed; use \(allowed.joined(separator: ", "))")
            } else {
                failure = .notFound("no route for \(request.method.rawValue) \(String(request.uri.path.prefix(200)))")
            }
        case let error as HTTPError:
            failure = WardenError(
                WardenError.Code(httpStatus: error.status.code), error.body ?? error.status.reasonPhrase)
        default:
            context.logger.error("unexpected error", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            failure = .internalError("\(error)")
        }
        var shown = failure
        if failure.code == .internalError {
            context.logger.error("request failed", metadata: ["error": "\(failure.message)", "path": "\(request.uri.path)"])
            shown = WardenError(.internalError, "The certificate authority encountered an internal error.")
        } else {
            context.logger.info(
                "request rejected",
                metadata: [
                    "status": "\(HTTPStatusMapping.status(for: failure.code).code)", "error": "\(failure.message)", "path": "\(request.uri.path)",
                ])
        }
        var response =
            Self.isAdminPath(request.uri.path)
            ? try AdminAPIError(shown).response(from: request, context: context)
            : try PublicAPIError(shown).response(from: request, context: context)
        if let allow { response.headers[.allow] = allow.joined(separator: ", ") }
        return response
    }

    static func isAdminPath(_ path: String) -> Bool {
        path == "/admin" || path.hasPrefix("/admin/")
    }
}
