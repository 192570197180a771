import HTTPTypes
import Hummingbird
import Synchronization

/// Which methods each registered path accepts, so that a known path asked with the wrong method is answered
/// 405 with `Allow` (as step-ca's router does) instead of 404.
final class AllowedMethods: Sendable {
    private struct Route: Sendable {
        var segments: [Substring]
        var methods: Set<String>

        /// Literal segments must be equal; captures (`{serial}`) match anything.
        func matches(_ requested: [Substring]) -> Bool {
            segments.count == requested.count
                && zip(segments, requested).allSatisfy { pattern, actual in pattern.hasPrefix("{") || pattern == actual }
        }
    }

    private let routes = Mutex<[Route]>([])

    /// Records the router's routes; call after every route is registered.
    func load(from router: Router<WardenRequestContext>) {
        var table: [String: Route] = [:]
        for route in router.routes {
            let path = route.path.description
            let segments = path.split(separator: "/")
            table[path, default: Route(segments: segments, methods: [])].methods.insert(route.method.rawValue)
        }
        routes.withLock { $0 = Array(table.values) }
    }

    /// The route pattern (`/admin/certificates/:serial`) a path matches, for metric labels.
    func pattern(for path: String) -> String? {
        let requested = path.split(separator: "/")
        return routes.withLock { routes in
            routes.first { $0.matches(requested) }.map { "/" + $0.segments.joined(separator: "/") }
        }
    }

    /// The methods `path` accepts, or nil when no route has that shape.
    func methods(for path: String) -> [String]? {
        let requested = path.split(separator: "/")
        let matching = routes.withLock { routes in
            routes.filter { $0.matches(requested) }
        }
        guard !matching.isEmpty else { return nil }
        return matching.reduce(into: Set<String>()) { $0.formUnion($1.methods) }.sorted()
    }
}
