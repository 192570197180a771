/// A rendered frame: one string per terminal line (exactly `width` columns each), plus which line is the
/// selection (drawn in reverse video) and whether the data is stale (drawn dimmed).
public struct ConsoleScreen: Hashable, Sendable {
    public var lines: [String]
    public var selectedLine: Int?
    public var stale: Bool

    public var text: String { lines.joined(separator: "\n") }
}
