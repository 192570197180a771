import Foundation

/// The two JSON forms of an admin on step's wire (step-compat.md §3.1–3.2): list items are Go
/// `encoding/json` of the linkedca struct (snake_case, integer type, `{"seconds":N}` timestamps); single-admin
/// responses are protojson (camelCase, enum name, RFC 3339).
public enum AdminWire {
    /// Go's zero time in seconds since 1970, which step writes as `deleted_at` of live admins.
    public static let goZeroTimeSeconds: Int64 = -62_135_596_800

    public static func listItem(_ admin: Admin) -> JSONValue {
        .object([
            "id": .string(admin.id.uuidString.lowercased()),
            "authority_id": .string(LinkedProvisioner.authorityID),
            "subject": .string(admin.subject),
            "provisioner_id": .string(admin.provisionerID.uuidString.lowercased()),
            "type": .number(Double(admin.role.rawValue)),
            "created_at": .object(["seconds": .number(admin.createdAt.timeIntervalSince1970.rounded(.down))]),
            "deleted_at": .object(["seconds": .number(Double(admin.deletedAt.map { Int64($0.timeIntervalSince1970) } ?? goZeroTimeSeconds))]),
        ])
    }

    public static func protoJSON(_ admin: Admin) -> JSONValue {
        .object([
            "id": .string(admin.id.uuidString.lowercased()),
            "authorityId": .string(LinkedProvisioner.authorityID),
            "subject": .string(admin.subject),
            "provisionerId": .string(admin.provisionerID.uuidString.lowercased()),
            "type": .string(admin.role.name),
            "createdAt": .string(ProtoTimestamp.format(admin.createdAt)),
            "deletedAt": .string(admin.deletedAt.map(ProtoTimestamp.format) ?? ProtoTimestamp.zero),
        ])
    }

    /// Reads either form back (Warden's own client uses both).
    /// The role of an admin request body (`POST /admin/admins`, `PATCH /admin/admins/{id}`): `type` must be the
    /// integer 1 (ADMIN) or 2 (SUPER_ADMIN), as linkedca's Go struct decodes it; anything else is a 400.
    public static func role(from body: JSONValue) throws(WardenError) -> AdminRole {
        guard case .number(let n)? = body["type"] else {
            throw .badRequest("error reading request body: type must be an integer (1 = ADMIN, 2 = SUPER_ADMIN)")
        }
        guard let value = Int(exactly: n), let role = AdminRole(rawValue: value) else { throw .badRequest("invalid value for admin type") }
        return role
    }

    public static func decode(_ value: JSONValue) -> Admin? {
        func string(_ keys: String...) -> String? { keys.lazy.compactMap { value[$0]?.stringValue }.first }
        guard let id = string("id").flatMap(UUID.init(uuidString:)), let subject = string("subject"),
            let provisionerID = string("provisionerId", "provisioner_id").flatMap(UUID.init(uuidString:))
        else { return nil }
        let role: AdminRole
        switch value["type"] {
        case .number(let n)?: role = Int(exactly: n).flatMap(AdminRole.init(rawValue:)) ?? .admin
        case .string(let s)?: role = AdminRole(name: s) ?? .admin
        default: role = .admin
        }
        var created = Date(timeIntervalSince1970: 0)
        if let text = value["createdAt"]?.stringValue, let date = ProtoTimestamp.parse(text) {
            created = date
        } else if case .number(let seconds)? = value["created_at"]?["seconds"] {
            created = Date(timeIntervalSince1970: seconds)
        }
        return Admin(id: id, subject: subject, provisionerID: provisionerID, role: role, createdAt: created, updatedAt: created)
    }
}

/// `POST /admin/admins` body: `type` is linkedca's integer (1 ADMIN, 2 SUPER_ADMIN); a string is a 400.
public struct CreateAdminRequest: Codable, Sendable, Hashable {
    public var subject: String
    public var provisioner: String
    public var type: Int

    public init(subject: String, provisioner: String, role: AdminRole) {
        self.subject = subject
        self.provisioner = provisioner
        self.type = role.rawValue
    }
}

/// `PATCH /admin/admins/{id}` body.
public struct UpdateAdminRequest: Codable, Sendable, Hashable {
    public var type: Int

    public init(role: AdminRole) { self.type = role.rawValue }
}

/// `GET /admin/whoami`: who the API thinks you are (Warden extension).
public struct WhoAmI: Codable, Sendable, Hashable {
    public var subject: String
    public var adminID: String
    public var role: String
    public var provisioner: String
    public var method: String
    public var certificateSerial: String
    public var certificateNotAfter: Date

    public init(
        subject: String, adminID: String, role: String, provisioner: String, method: String, certificateSerial: String,
        certificateNotAfter: Date
    ) {
        self.subject = subject
        self.adminID = adminID
        self.role = role
        self.provisioner = provisioner
        self.method = method
        self.certificateSerial = certificateSerial
        self.certificateNotAfter = certificateNotAfter
    }
}
