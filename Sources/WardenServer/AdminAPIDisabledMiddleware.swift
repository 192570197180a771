import Hummingbird
import WardenCore

/// With remote management off, every `/admin/…` path answers as step-ca does when its admin API is not
/// enabled: 501 `{"type":"notImplemented","detail":"not implemented","message":"administration API not enabled"}`.
/// The step CLI reads a 501 as "no admin API" and prints the message instead of failing to decode a page.
struct AdminAPIDisabledMiddleware: RouterMiddleware {
    typealias Context = WardenRequestContext

    static let message = "administration API not enabled"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if ErrorMappingMiddleware.isAdminPath(request.uri.path) { throw WardenError(.notImplemented, Self.message) }
        return try await next(request, context)
    }
}
