import Foundation
import WardenCore

/// The declarative description `warden apply -f` reads and `warden export` writes: provisioners (linkedca
/// details and claims, as the admin API speaks them) and admins.
public struct DesiredState: Sendable, Hashable {
    public struct ProvisionerSpec: Sendable, Hashable {
        public var name: String
        public var type: ProvisionerType
        public var details: [String: JSONValue]
        public var claims: JSONValue?
        public var x509Template: JSONValue?
        public var sshTemplate: JSONValue?

        /// The admin API document for this provisioner, validated exactly as the server will.
        public var document: JSONValue {
            var object: [String: JSONValue] = [
                "name": .string(name), "type": .string(type.enumName),
                "details": .object([LinkedProvisioner.detailsKey(for: type): .object(details)]),
            ]
            if let claims { object["claims"] = claims }
            if let x509Template { object["x509Template"] = x509Template }
            if let sshTemplate { object["sshTemplate"] = sshTemplate }
            return .object(object)
        }
    }

    public struct AdminSpec: Sendable, Hashable {
        public var subject: String
        public var provisioner: String
        public var role: AdminRole
    }

    public var provisioners: [ProvisionerSpec]
    public var admins: [AdminSpec]

    public init(provisioners: [ProvisionerSpec], admins: [AdminSpec]) {
        self.provisioners = provisioners
        self.admins = admins
    }

    /// Reads the generic document (from YAML or JSON), validating each provisioner with the admin API's own
    /// rules and naming the entry at fault.
    public init(document: JSONValue) throws(WardenError) {
        guard case .object(let root) = document else { throw .badRequest("the file must be a mapping with provisioners and admins") }
        for key in root.keys where key != "provisioners" && key != "admins" {
            throw .badRequest("\(key): unknown top-level key (expected provisioners, admins)")
        }
        var provisioners: [ProvisionerSpec] = []
        for (index, entry) in (root["provisioners"]?.arrayValue ?? []).enumerated() {
            guard case .object(var object) = entry else { throw .badRequest("provisioners[\(index)]: expected a mapping") }
            let name = object["name"]?.stringValue ?? "#\(index)"
            if object["details"] == nil, Self.isConfigForm(object) {
                object = try Self.linkedForm(ofConfig: object, entry: "provisioners[\(index)] (\(name))")
            } else if let type = object["type"]?.stringValue.flatMap(ProvisionerType.init(name:)) {
                switch object["details"] {
                case .object(let inner)? where !Self.isWrapped(inner):
                    // `details` may be written without the oneof wrapper; add it.
                    object["details"] = .object([LinkedProvisioner.detailsKey(for: type): .object(inner)])
                case nil:
                    object["details"] = .object([LinkedProvisioner.detailsKey(for: type): .object([:])])
                default:
                    break
                }
            }
            let parsed: LinkedProvisionerDocument
            do {
                parsed = try LinkedProvisionerDocument(parsing: .object(object))
            } catch {
                throw .badRequest("provisioners[\(index)] (\(name)): \(error.message)")
            }
            provisioners.append(
                ProvisionerSpec(
                    name: parsed.name, type: parsed.type, details: parsed.details, claims: parsed.claims,
                    x509Template: parsed.x509Template, sshTemplate: parsed.sshTemplate))
        }
        var seen = Set<String>()
        for provisioner in provisioners where !seen.insert(provisioner.name).inserted {
            throw .badRequest("provisioners: \"\(provisioner.name)\" is listed twice")
        }
        var admins: [AdminSpec] = []
        for (index, entry) in (root["admins"]?.arrayValue ?? []).enumerated() {
            guard let subject = entry["subject"]?.stringValue, !subject.isEmpty else { throw .badRequest("admins[\(index)].subject: required") }
            guard let provisioner = entry["provisioner"]?.stringValue, !provisioner.isEmpty else {
                throw .badRequest("admins[\(index)].provisioner: required")
            }
            let roleText = entry["role"]?.stringValue ?? "ADMIN"
            guard let role = AdminRole(name: roleText) else { throw .badRequest("admins[\(index)].role: must be ADMIN or SUPER_ADMIN") }
            for key in entry.objectValue?.keys ?? [:].keys where !["subject", "provisioner", "role"].contains(key) {
                throw .badRequest("admins[\(index)].\(key): unknown field")
            }
            admins.append(AdminSpec(subject: subject, provisioner: provisioner, role: role))
        }
        var seenAdmins = Set<String>()
        for admin in admins where !seenAdmins.insert("\(admin.subject)\u{0}\(admin.provisioner)").inserted {
            throw .badRequest("admins: \"\(admin.subject)\" of \"\(admin.provisioner)\" is listed twice")
        }
        self.init(provisioners: provisioners, admins: admins)
    }

    /// Keys of the exported (linkedca) form of a provisioner entry.
    static let linkedKeys: Set<String> = ["name", "type", "details", "claims", "x509Template", "sshTemplate"]
    /// Keys of linkedca's `Claims`; ca.json's claims use others (`defaultTLSCertDuration`, ...).
    static let linkedClaimKeys: Set<String> = ["x509", "ssh", "disableRenewal", "allowRenewalAfterExpiry", "disableSmallstepExtensions"]

    /// Whether `details` is already `{<type>: {...}}`.
    static func isWrapped(_ details: [String: JSONValue]) -> Bool {
        guard details.count == 1, let key = details.keys.first else { return false }
        return ProvisionerType.allCases.contains { LinkedProvisioner.detailsKey(for: $0).caseInsensitiveCompare(key) == .orderedSame }
    }

    /// An entry written as in ca.json: type-specific fields at the top level (`key`, `roots`, `challenges`,
    /// `options`), or ca.json's claims (`defaultTLSCertDuration`, ...).
    static func isConfigForm(_ object: [String: JSONValue]) -> Bool {
        if object.keys.contains(where: { !linkedKeys.contains($0) }) { return true }
        guard let claims = object["claims"]?.objectValue else { return false }
        return claims.keys.contains { !linkedClaimKeys.contains($0) }
    }

    /// The linkedca entry for a ca.json-form one, converted as migration of a ca.json converts it. Unknown
    /// keys and `templateFile` (apply does not read files from the operator's disk) are refused by name.
    static func linkedForm(ofConfig object: [String: JSONValue], entry: String) throws(WardenError) -> [String: JSONValue] {
        guard let typeName = object["type"]?.stringValue else { throw .badRequest("\(entry).type: required") }
        guard let type = ProvisionerType(name: typeName) else { throw .badRequest("\(entry).type: unknown provisioner type \"\(typeName)\"") }
        let allowed = LinkedProvisioner.configKeys(for: type).union(["name", "type", "claims", "options"])
        for key in object.keys.sorted() where !allowed.contains(key) {
            throw .badRequest("\(entry).\(key): unknown field for type \(type.configName) in ca.json form")
        }
        let provisioner: Provisioner
        do {
            provisioner = try JSONDecoder().decode(Provisioner.self, from: JSONEncoder().encode(JSONValue.object(object)))
        } catch {
            throw .badRequest("\(entry): \(describeDecodingError(error))")
        }
        if let kind = LinkedProvisioner.templateFiles(of: provisioner).keys.sorted().first {
            throw .badRequest("\(entry).options.\(kind).templateFile: apply does not read files; put the template in options.\(kind).template")
        }
        let linked = LinkedProvisioner(migrating: provisioner)
        var converted: [String: JSONValue] = [
            "name": .string(linked.name), "type": .string(type.enumName),
            "details": .object([LinkedProvisioner.detailsKey(for: type): .object(linked.details)]),
        ]
        if let claims = linked.claims { converted["claims"] = claims }
        if let template = linked.x509Template { converted["x509Template"] = template }
        if let template = linked.sshTemplate { converted["sshTemplate"] = template }
        return converted
    }

    /// The current state of a CA in the same form (what `warden export` prints).
    public init(provisioners: [LinkedProvisioner], admins: [Admin]) {
        let names = Dictionary(uniqueKeysWithValues: provisioners.map { ($0.id, $0.name) })
        self.provisioners = provisioners.map {
            ProvisionerSpec(
                name: $0.name, type: $0.type, details: $0.details, claims: $0.claims, x509Template: $0.x509Template, sshTemplate: $0.sshTemplate)
        }
        self.admins = admins.compactMap { admin in
            names[admin.provisionerID].map { AdminSpec(subject: admin.subject, provisioner: $0, role: admin.role) }
        }.sorted { ($0.provisioner, $0.subject) < ($1.provisioner, $1.subject) }
    }

    public var document: JSONValue {
        .object([
            "provisioners": .array(
                provisioners.map { spec in
                    var object: [String: JSONValue] = [
                        "name": .string(spec.name), "type": .string(spec.type.enumName), "details": .object(spec.details),
                    ]
                    if let claims = spec.claims { object["claims"] = claims }
                    if let template = spec.x509Template { object["x509Template"] = template }
                    if let template = spec.sshTemplate { object["sshTemplate"] = template }
                    return .object(object)
                }),
            "admins": .array(
                admins.map {
                    .object(["subject": .string($0.subject), "provisioner": .string($0.provisioner), "role": .string($0.role.name)])
                }),
        ])
    }
}
