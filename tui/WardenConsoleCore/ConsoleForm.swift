import Foundation

/// A small modal form (new admin, new JWK provisioner): fields, focus, inline validation and the server's
/// answer shown in place.
public struct ConsoleForm: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        case addAdmin
        case addJWKProvisioner
    }

    public struct Field: Hashable, Sendable {
        public var label: String
        public var value: String
        public var secret: Bool
        public var error: String?

        public init(_ label: String, value: String = "", secret: Bool = false) {
            self.label = label
            self.value = value
            self.secret = secret
        }
    }

    public var kind: Kind
    public var fields: [Field]
    public var focus = 0
    /// The API's error for the last submission, shown in the form.
    public var serverError: String?
    public var submitting = false

    public var title: String {
        switch kind {
        case .addAdmin: "New admin"
        case .addJWKProvisioner: "New JWK provisioner (a P-256 key is generated and encrypted with the password)"
        }
    }

    public static func addAdmin(defaultProvisioner: String) -> ConsoleForm {
        ConsoleForm(kind: .addAdmin, fields: [.init("Subject"), .init("Provisioner", value: defaultProvisioner), .init("Role", value: "ADMIN")])
    }

    public static func addJWKProvisioner() -> ConsoleForm {
        ConsoleForm(kind: .addJWKProvisioner, fields: [.init("Name"), .init("Password", secret: true), .init("Repeat password", secret: true)])
    }

    /// Checks every field before anything is sent; returns the effect when the form is valid.
    public mutating func validate(provisioners: [String]) -> ConsoleEffect? {
        for index in fields.indices { fields[index].error = nil }
        switch kind {
        case .addAdmin:
            let subject = fields[0].value.trimmingCharacters(in: .whitespaces)
            let provisioner = fields[1].value
            let role = fields[2].value.uppercased()
            if subject.isEmpty { fields[0].error = "required" }
            if !provisioners.contains(provisioner) { fields[1].error = "one of: \(provisioners.joined(separator: ", "))" }
            if role != "ADMIN" && role != "SUPER_ADMIN" { fields[2].error = "ADMIN or SUPER_ADMIN" }
            guard fields.allSatisfy({ $0.error == nil }) else { return nil }
            return .createAdmin(subject: subject, provisioner: provisioner, superAdmin: role == "SUPER_ADMIN")
        case .addJWKProvisioner:
            let name = fields[0].value.trimmingCharacters(in: .whitespaces)
            if name.isEmpty { fields[0].error = "required" } else if provisioners.contains(name) { fields[0].error = "already exists" }
            if fields[1].value.count < 8 { fields[1].error = "at least 8 characters" }
            if fields[2].value != fields[1].value { fields[2].error = "does not match" }
            guard fields.allSatisfy({ $0.error == nil }) else { return nil }
            return .createJWKProvisioner(name: name, password: fields[1].value)
        }
    }
}
