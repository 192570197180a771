import Foundation
import Hummingbird

/// Counts every request by route pattern (not raw path, so serials do not explode the label space), method and
/// final status, and times it. Installed outermost, so it sees the responses the error mapping produced.
struct MetricsMiddleware: RouterMiddleware {
    typealias Context = WardenRequestContext

    let metrics: ServerMetrics
    let routes: AllowedMethods

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let route = routes.pattern(for: request.uri.path) ?? "unmatched"
        do {
            let response = try await next(request, context)
            metrics.request(route: route, method: request.method.rawValue, status: response.status.code, duration: ContinuousClock.now - start)
            return response
        } catch {
            metrics.request(route: route, method: request.method.rawValue, status: 500, duration: ContinuousClock.now - start)
            throw error
        }
    }
}
