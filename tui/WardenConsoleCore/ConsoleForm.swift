import Foundation
import WardenCore

/// A small modal form (new admin, new provisioner, a provisioner's claims): fields, focus, inline validation and the server's
/// answer shown in place.
public struct ConsoleForm: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        case addAdmin
        /// Name and type; a JWK provisioner gets a generated key and a password here, every other type continues
        /// in `$EDITOR` with a template of the type's fields.
        case addProvisioner
        case editClaims(provisioner: String)
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
        case .addProvisioner: "New provisioner (JWK: a P-256 key is generated and encrypted with the password; other types continue in $EDITOR)"
        case .editClaims(let name): "Claims of provisioner \(name) (durations like 24h, 90m, 2160h; empty = CA default)"
        }
    }

    public static func addAdmin(defaultProvisioner: String) -> ConsoleForm {
        ConsoleForm(kind: .addAdmin, fields: [.init("Subject"), .init("Provisioner", value: defaultProvisioner), .init("Role", value: "ADMIN")])
    }

    public static func addProvisioner() -> ConsoleForm {
        ConsoleForm(
            kind: .addProvisioner,
            fields: [.init("Name"), .init("Type", value: "JWK"), .init("Password (JWK)", secret: true), .init("Repeat password", secret: true)])
    }

    public static func editClaims(provisioner: String, current: X509ClaimsEdit) -> ConsoleForm {
        ConsoleForm(
            kind: .editClaims(provisioner: provisioner),
            fields: [
                .init("Default duration", value: current.defaultDuration?.description ?? ""),
                .init("Min duration", value: current.minDuration?.description ?? ""),
                .init("Max duration", value: current.maxDuration?.description ?? ""),
                .init("Disable renewal", value: current.disableRenewal ? "yes" : "no"),
                .init("Renew after expiry", value: current.allowRenewalAfterExpiry ? "yes" : "no"),
            ])
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
        case .addProvisioner:
            let name = fields[0].value.trimmingCharacters(in: .whitespaces)
            if name.isEmpty { fields[0].error = "required" } else if provisioners.contains(name) { fields[0].error = "already exists" }
            let type = ProvisionerType(name: fields[1].value.trimmingCharacters(in: .whitespaces))
            if type == nil { fields[1].error = "one of: \(ProvisionerType.allCases.map(\.configName).joined(separator: ", "))" }
            if type == .jwk {
                if fields[2].value.count < 8 { fields[2].error = "at least 8 characters" }
                if fields[3].value != fields[2].value { fields[3].error = "does not match" }
            }
            guard let type, fields.allSatisfy({ $0.error == nil }) else { return nil }
            if type == .jwk { return .createJWKProvisioner(name: name, password: fields[2].value) }
            let template = LinkedProvisionerTemplate.document(type: type, name: name)
            return .openEditor(ConsoleEditorSession(purpose: .createProvisioner, text: template.editableText))
        case .editClaims(let provisioner):
            func duration(_ index: Int) -> GoDuration? {
                let text = fields[index].value.trimmingCharacters(in: .whitespaces)
                guard !text.isEmpty else { return nil }
                guard let parsed = GoDuration(parsing: text), parsed.nanoseconds > 0 else {
                    fields[index].error = "a positive duration such as 24h or 90m"
                    return nil
                }
                return parsed
            }
            func flag(_ index: Int) -> Bool {
                switch fields[index].value.trimmingCharacters(in: .whitespaces).lowercased() {
                case "yes", "y", "true": return true
                case "no", "n", "false", "": return false
                default:
                    fields[index].error = "yes or no"
                    return false
                }
            }
            let edit = X509ClaimsEdit(
                defaultDuration: duration(0), minDuration: duration(1), maxDuration: duration(2), disableRenewal: flag(3),
                allowRenewalAfterExpiry: flag(4))
            guard fields.allSatisfy({ $0.error == nil }) else { return nil }
            // The CA's own bounds check, with its message put under the field it names.
            do {
                try LinkedClaims.validate(edit.applied(to: nil))
            } catch {
                let field = ["default": 0, "min": 1, "max": 2].first { error.message.hasPrefix("claims.x509.durations.\($0.key):") }?.value ?? 0
                fields[field].error = String(error.message.drop { $0 != " " }.dropFirst())
            }
            guard fields.allSatisfy({ $0.error == nil }) else { return nil }
            return .updateClaims(provisioner: provisioner, edit)
        }
    }
}
