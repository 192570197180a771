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
        let requestID = context.requestID
        do {
            var response = try await next(request, context)
            response.headers[HTTPField.Name("X-Request-Id")!] = requestID
            return response
        } catch let error as WardenError {
            var shown = error
            if error.code == .internalError {
                context.logger.error("request failed", metadata: ["error": "\(error.message)", "path": "\(request.uri.path)"])
                shown = WardenError(.internalError, "The certificate authority encountered an internal error.")
            } else {
                context.logger.info(
                    "request rejected",
                    metadata: ["status": "\(HTTPStatusMapping.status(for: error.code).code)", "error": "\(error.message)", "path": "\(request.uri.path)"])
            }
            var response = request.uri.path.hasPrefix("/admin")
                ? try AdminAPIError(shown).response(from: request, context: context)
                : try PublicAPIError(shown).response(from: request, context: context)
            response.headers[HTTPField.Name("X-Request-Id")!] = requestID
            return response
        } catch let error as PublicAPIError {
            var response = try error.response(from: request, context: context)
            response.headers[HTTPField.Name("X-Request-Id")!] = requestID
            return response
        } catch let error as HTTPError {
            if error.status == .notFound, let allowed = allowedMethods.methods(for: request.uri.path), !allowed.contains(request.method.rawValue) {
                var response = try PublicAPIError(
                    status: .methodNotAllowed, message: "method \(request.method.rawValue) is not allowed; use \(allowed.joined(separator: ", "))"
                ).response(from: request, context: context)
                response.headers[.allow] = allowed.joined(separator: ", ")
                response.headers[HTTPField.Name("X-Request-Id")!] = requestID
                return response
            }
            var response = try PublicAPIError(status: error.status, message: error.body ?? error.status.reasonPhrase)
                .response(from: request, context: context)
            response.headers[HTTPField.Name("X-Request-Id")!] = requestID
            return response
        } catch {
            context.logger.error("unexpected error", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            var response = try PublicAPIError(
                status: .internalServerError, message: "The certificate authority encountered an internal error."
            ).response(from: request, context: context)
            response.headers[HTTPField.Name("X-Request-Id")!] = requestID
            return response
        }
    }
}
