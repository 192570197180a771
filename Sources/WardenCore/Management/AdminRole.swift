/// linkedca's `Admin.Type`: the integer travels in admin request bodies and list items, the name in
/// single-admin responses.
public enum AdminRole: Int, Hashable, Sendable, CaseIterable, Codable {
    case admin = 1
    case superAdmin = 2

    public var name: String {
        switch self {
        case .admin: "ADMIN"
        case .superAdmin: "SUPER_ADMIN"
        }
    }

    public init?(name: String) {
        switch name.uppercased() {
        case "ADMIN": self = .admin
        case "SUPER_ADMIN": self = .superAdmin
        default: return nil
        }
    }
}
