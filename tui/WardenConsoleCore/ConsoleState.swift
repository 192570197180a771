import Foundation

/// Everything the console shows, as a value: the reducer changes it, the renderer draws it, tests inspect it.
public struct ConsoleState: Sendable {
    public enum Mode: Hashable, Sendable {
        case normal
        /// Typing a `/` filter.
        case filter(String)
        /// Typing a `:` command.
        case command(String)
        case help
        /// A destructive action waiting for the operator to type `expected`.
        case confirm(Confirmation, typed: String)
        case form(ConsoleForm)
        /// `!`: the last error in full.
        case errorDetails
        /// An edited document that validation or the CA refused: edit again (text kept) or discard.
        case editorFailed(ConsoleEditorSession, message: String)
    }

    public struct Confirmation: Hashable, Sendable {
        public var prompt: String
        public var expected: String
        public var effect: ConsoleEffect
        /// For revocations: the reason codes Tab cycles through.
        public var reasons: [(Int, String)] { Self.reasonChoices }
        public var reasonIndex: Int

        static let reasonChoices: [(Int, String)] = [
            (1, "keyCompromise"), (4, "superseded"), (5, "cessationOfOperation"), (3, "affiliationChanged"), (0, "unspecified"),
        ]

        public static func == (lhs: Confirmation, rhs: Confirmation) -> Bool {
            lhs.prompt == rhs.prompt && lhs.expected == rhs.expected && lhs.effect == rhs.effect && lhs.reasonIndex == rhs.reasonIndex
        }

        public func hash(into hasher: inout Hasher) {
            hasher.combine(prompt)
            hasher.combine(expected)
        }
    }

    public var view: ConsoleView = .provisioners
    public var rows: [ConsoleView: [ConsoleRow]] = [:]
    public var selection: [ConsoleView: String] = [:]
    public var filters: [ConsoleView: String] = [:]
    public var nextCursors: [ConsoleView: String] = [:]
    public var loading: Set<ConsoleView> = []
    public var mode: Mode = .normal
    public var identity: ConsoleIdentity
    public var readOnly: Bool
    /// Sticky until the next successful load: what went wrong, in words.
    public var error: String?
    /// Everything known about the last error (status, server body, transport text, credential), for `!`.
    public var errorDetail: String?
    /// The data on screen may be out of date (the last load failed).
    public var stale = false
    public var toast: String?
    /// Full-screen details (Enter), used when the terminal is too narrow for the split.
    public var detailOpen = false
    /// How far the help, error-details or refused-document overlay is scrolled (reset when one opens).
    public var overlayScroll = 0
    /// Rows the list area shows, for PgUp/PgDn and on-demand loading.
    public var pageSize = 10

    public init(identity: ConsoleIdentity, readOnly: Bool) {
        self.identity = identity
        self.readOnly = readOnly
    }

    /// The rows of the current view after the local filter (server-filtered views are shown as loaded).
    public func visibleRows(_ view: ConsoleView? = nil) -> [ConsoleRow] {
        let view = view ?? self.view
        let all = rows[view] ?? []
        guard !view.filtersOnServer, let filter = filters[view]?.lowercased(), !filter.isEmpty else { return all }
        return all.filter { $0.searchText.contains(filter) }
    }

    public var selectedIndex: Int? {
        let visible = visibleRows()
        guard !visible.isEmpty else { return nil }
        if let id = selection[view], let index = visible.firstIndex(where: { $0.id == id }) { return index }
        return 0
    }

    public var selectedRow: ConsoleRow? {
        selectedIndex.map { visibleRows()[$0] }
    }
}
