import Hummingbird
import WardenCore

/// step's `?cursor=&limit=` paging of provisioner lists: `limit` ≤ 0 means 20, above 100 is capped at 100, a
/// non-integer limit is a 400. The cursor is the index of the next item, opaque to clients.
struct ProvisionerPagination: Sendable {
    var cursor: Int
    var limit: Int

    static let defaultLimit = 20
    static let maximumLimit = 100

    init(query: Hummingbird.Parameters) throws(WardenError) {
        let limitText = query.get("limit") ?? ""
        if limitText.isEmpty {
            limit = Self.defaultLimit
        } else {
            guard let value = Int(limitText) else { throw .badRequest("limit: \"\(limitText)\" is not an integer") }
            limit = value <= 0 ? Self.defaultLimit : min(value, Self.maximumLimit)
        }
        let cursorText = query.get("cursor") ?? ""
        if cursorText.isEmpty {
            cursor = 0
        } else {
            guard let value = Int(cursorText), value >= 0 else { throw .badRequest("cursor: \"\(cursorText)\" is not valid") }
            cursor = value
        }
    }

    func page<T>(of items: [T]) -> (items: [T], nextCursor: String) {
        guard cursor < items.count else { return ([], "") }
        let end = min(items.count, cursor + limit)
        return (Array(items[cursor..<end]), end < items.count ? String(end) : "")
    }
}
