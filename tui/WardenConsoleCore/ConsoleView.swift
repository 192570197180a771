/// The five resource views, in tab order (keys 1–5).
public enum ConsoleView: Int, CaseIterable, Hashable, Sendable {
    case provisioners = 1
    case admins
    case certificates
    case revocations
    case audit

    public var title: String {
        switch self {
        case .provisioners: "Provisioners"
        case .admins: "Admins"
        case .certificates: "Certificates"
        case .revocations: "Revocations"
        case .audit: "Audit"
        }
    }

    /// What the view lists, singular or plural for `count` ("1 admin", "2 admins", "16 audit events").
    public func noun(count: Int) -> String {
        let singular: String
        switch self {
        case .provisioners: singular = "provisioner"
        case .admins: singular = "admin"
        case .certificates: singular = "certificate"
        case .revocations: singular = "revocation"
        case .audit: singular = "audit event"
        }
        return count == 1 ? singular : singular + "s"
    }

    /// `:prov`, `:admins`, `:certs`, `:revoked`, `:audit` (and a few obvious spellings).
    public init?(command: String) {
        switch command.lowercased() {
        case "prov", "provisioner", "provisioners", "1": self = .provisioners
        case "admin", "admins", "2": self = .admins
        case "cert", "certs", "certificates", "3": self = .certificates
        case "revoked", "revocations", "4": self = .revocations
        case "audit", "5": self = .audit
        default: return nil
        }
    }

    /// Certificates, revocations and audit are searched by the server; the small lists filter locally.
    public var filtersOnServer: Bool { self == .certificates || self == .revocations || self == .audit }

    /// Widths of the columns whose content has a known size (timestamps, statuses, roles); nil columns share
    /// what is left, so names and subjects get the room.
    public var fixedWidths: [Int?] {
        switch self {
        case .provisioners: [nil, 7, 24]
        case .admins: [nil, nil, 11]
        case .certificates: [1, nil, nil, 8, 10]
        case .revocations: [nil, nil, 14, 20]
        case .audit: [20, nil, 22, 7]
        }
    }

    public var columns: [String] {
        switch self {
        case .provisioners: ["NAME", "TYPE", "DEFAULT/MIN/MAX"]
        case .admins: ["SUBJECT", "PROVISIONER", "ROLE"]
        case .certificates: ["", "SERIAL", "SUBJECT", "STATUS", "NOT AFTER"]
        case .revocations: ["SERIAL", "SUBJECT", "REASON", "REVOKED AT"]
        case .audit: ["AT", "ACTOR", "ACTION", "OUTCOME"]
        }
    }
}
