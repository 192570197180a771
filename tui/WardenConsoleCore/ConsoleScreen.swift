/// A rendered frame: one string per terminal line (exactly `width` columns each), what each line means (the
/// terminal maps that to colour, or to bold/underline without colour), which line is the selection (reverse
/// video) and whether the data is stale (dimmed).
public struct ConsoleScreen: Hashable, Sendable {
    /// Semantic line kinds, never colours: the renderer decides meaning, the terminal decides looks.
    public enum LineStyle: Hashable, Sendable {
        case plain
        case banner
        case columnHeader
        case revoked
        case expiring
        case expired
        case error
        case ok
    }

    public var lines: [String]
    public var styles: [LineStyle]
    public var selectedLine: Int?
    public var stale: Bool

    public init(lines: [String], styles: [LineStyle]? = nil, selectedLine: Int?, stale: Bool) {
        self.lines = lines
        self.styles = styles ?? Array(repeating: .plain, count: lines.count)
        self.selectedLine = selectedLine
        self.stale = stale
    }

    public var text: String { lines.joined(separator: "\n") }
}
