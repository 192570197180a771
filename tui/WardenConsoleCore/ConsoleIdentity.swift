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
