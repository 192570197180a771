/// Who is logged in, as `/admin/whoami` said.
public struct ConsoleIdentity: Hashable, Sendable {
    public var subject: String
    public var role: String
    public var caURL: String

    public init(subject: String, role: String, caURL: String) {
        self.subject = subject
        self.role = role
        self.caURL = caURL
    }

    public var isSuperAdmin: Bool { role == "SUPER_ADMIN" }
}

extension ConsoleIdentity {
    /// A stable pick among a few banner colours for this CA, so two environments side by side look different
    /// (k9s per-context skins). Stable across runs, unlike `hashValue`.
    public var bannerTone: Int {
        caURL.utf8.reduce(0) { ($0 &* 31 &+ Int($1)) & 0xffff } % 4
    }
}
