import ArgumentParser
import WardenClient
import WardenCore

/// `--limit` and `--all` for the inventory listings (`certs list`, `revocations list`, `audit list`), and
/// the page-following they share.
struct PageOptions: ParsableArguments {
    @Option(help: "Rows per page (1-500).") var limit: Int = 100
    @Flag(help: "Follow every page instead of printing one.") var all = false

    /// One page, or every page with `--all`, of a list endpoint queried with `filters`; `nextCursor` is empty
    /// when nothing is left.
    func collect<Item: Sendable & Codable & Hashable>(
        _ filters: [(String, String?)], connection: AdminConnectionOptions,
        _ fetch: @escaping @Sendable (AdminClient, [(String, String?)]) async throws -> Page<Item>
    ) async throws -> Page<Item> {
        let parameters = filters + [("limit", String(limit))]
        let all = all
        return try await connection.withAdmin { admin in
            var items: [Item] = []
            var cursor: String?
            repeat {
                let page = try await fetch(admin, parameters + [("cursor", cursor)])
                items += page.items
                cursor = page.nextCursor.isEmpty ? nil : page.nextCursor
            } while all && cursor != nil
            return Page(items: items, nextCursor: cursor ?? "")
        }
    }
}
