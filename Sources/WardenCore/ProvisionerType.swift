import Foundation

/// The provisioner types step-ca knows. The raw value is the integer used both by linkedca's enum and by the
/// provisioner certificate extension, so one type serves both encodings.
public enum ProvisionerType: Int, CaseIterable, Hashable, Sendable, Codable {
    case jwk = 1
    case oidc = 2
    case gcp = 3
    case aws = 4
    case azure = 5
    case acme = 6
    case x5c = 7
    case k8sSA = 8
    case sshPOP = 9
    case scep = 10
    case nebula = 11

    /// The spelling ca.json uses ("JWK", "K8sSA", "Azure", ...).
    public var configName: String {
        switch self {
        case .jwk: "JWK"
        case .oidc: "OIDC"
        case .gcp: "GCP"
        case .aws: "AWS"
        case .azure: "Azure"
        case .acme: "ACME"
        case .x5c: "X5C"
        case .k8sSA: "K8sSA"
        case .sshPOP: "SSHPOP"
        case .scep: "SCEP"
        case .nebula: "Nebula"
        }
    }

    /// The linkedca enum name ("JWK", "K8SSA", "AZURE", ...).
    public var enumName: String { configName.uppercased() }

    /// Whether an admin of a provisioner of this type can ever log in. Admin authentication needs an X.509
    /// certificate obtained through the provisioner with a token flow: ACME and SCEP have no token flow
    /// (step-ca refuses them with "token flow is not supported") and SSHPOP issues SSH certificates only.
    /// Super admins of the others are the only ones that count towards "at least one super admin".
    public var canAuthenticateAdmins: Bool {
        switch self {
        case .acme, .scep, .sshPOP: false
        default: true
        }
    }

    /// The linkedca enum names of the types whose admins can never log in, for SQL filters.
    public static let nonAuthenticatingEnumNames: [String] = allCases.filter { !$0.canAuthenticateAdmins }.map(\.enumName)

    /// Accepts either spelling, case-insensitively, as step's clients do.
    public init?(name: String) {
        guard let match = Self.allCases.first(where: { $0.configName.caseInsensitiveCompare(name) == .orderedSame })
        else { return nil }
        self = match
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = ProvisionerType(name: text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "unknown provisioner type \"\(text)\"")
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(configName)
    }
}
