import Foundation

/// Who is logged in, as `/admin/whoami` said.
public struct ConsoleIdentity: Hashable, Sendable {
    public var subject: String
    public var role: String
    public var caURL: String
    /// When the admin certificate the console logged in with expires: the header counts down to it, since
    /// short-lived admin certificates (step's are 5 minutes to a day) end sessions.
    public var certificateNotAfter: Date?

    public init(subject: String, role: String, caURL: String, certificateNotAfter: Date? = nil) {
        self.subject = subject
        self.role = role
        self.caURL = caURL
        self.certificateNotAfter = certificateNotAfter
    }

    /// "cert 23d", "cert 5h", "cert 12m", "cert EXPIRED".
    public func certificateCountdown(now: Date) -> String? {
        guard let certificateNotAfter else { return nil }
        let left = certificateNotAfter.timeIntervalSince(now)
        if left <= 0 { return "cert EXPIRED" }
        if left >= 2 * 86400 { return "cert \(Int(left / 86400))d" }
        if left >= 2 * 3600 { return "cert \(Int(left / 3600))h" }
        return "cert \(max(1, Int(left / 60)))m"
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
