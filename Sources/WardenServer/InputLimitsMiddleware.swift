import Foundation
import Hummingbird
import WardenCore

/// Refuses, before any route runs, query parameters and paths a client cannot mean: control characters
/// (NUL included, after percent-decoding) in the path or in any query parameter name or value, and query values
/// longer than ``InputText/maximumQueryValue``. The 400 names the parameter; nothing reaches the database.
struct InputLimitsMiddleware: RouterMiddleware {
    typealias Context = WardenRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let path = InputText.percentDecoded(request.uri.path) else {
            throw WardenError.badRequest("path: invalid percent-encoding")
        }
        try InputText.checkNoControl(path, field: "path")
        for (key, value) in request.uri.queryParameters {
            let name = InputText.percentDecoded(String(key)) ?? String(key)
            try InputText.checkNoControl(name, field: "query parameter name")
            if value.count > InputText.maximumQueryValue {
                throw WardenError.badRequest("\(name): longer than \(InputText.maximumQueryValue) characters")
            }
            try InputText.checkNoControl(String(value), field: name)
        }
        return try await next(request, context)
    }
}
