import WardenCore

/// One line of a list plus what the detail pane shows for it. `id` is stable across refreshes (provisioner
/// name, admin id, serial, audit id), so the selection follows the object, not the row number.
public struct ConsoleRow: Hashable, Sendable {
    public var id: String
    public var cells: [String]
    public var detail: [(String, String)]
    /// Text a filter matches against (client-side filtering).
    public var searchText: String
    /// Provisioner rows: the current claims, which pre-fill the claims form.
    public var claims: Claims?

    public init(id: String, cells: [String], detail: [(String, String)], searchText: String? = nil, claims: Claims? = nil) {
        self.id = id
        self.claims = claims
        self.cells = cells
        self.detail = detail
        self.searchText = (searchText ?? cells.joined(separator: " ")).lowercased()
    }

    public static func == (lhs: ConsoleRow, rhs: ConsoleRow) -> Bool {
        lhs.id == rhs.id && lhs.cells == rhs.cells && lhs.claims == rhs.claims && lhs.detail.map(\.0) == rhs.detail.map(\.0)
            && lhs.detail.map(\.1) == rhs.detail.map(\.1)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(id)
        hasher.combine(cells)
    }
}
