import Foundation
import WardenCore

/// What `warden apply` will do to make a CA match a ``DesiredState``: computed without side effects, printed,
/// checked for lock-out, then executed in a safe order.
public struct ApplyPlan: Sendable {
    public enum Change: Sendable, Hashable, CustomStringConvertible {
        case createProvisioner(DesiredState.ProvisionerSpec)
        /// Field paths that differ ("claims.x509.durations.max", "details.clientSecret").
        case updateProvisioner(DesiredState.ProvisionerSpec, fields: [String])
        case deleteProvisioner(name: String)
        case createAdmin(DesiredState.AdminSpec)
        case updateAdmin(id: UUID, DesiredState.AdminSpec, from: AdminRole)
        case deleteAdmin(id: UUID, subject: String, provisioner: String)

        public var description: String {
            switch self {
            case .createProvisioner(let spec): "+ provisioner \(spec.name) (\(spec.type.enumName))"
            case .updateProvisioner(let spec, let fields): "~ provisioner \(spec.name): \(fields.joined(separator: ", "))"
            case .deleteProvisioner(let name): "- provisioner \(name)"
            case .createAdmin(let spec): "+ admin \(spec.subject) (\(spec.provisioner), \(spec.role.name))"
            case .updateAdmin(_, let spec, let from): "~ admin \(spec.subject) (\(spec.provisioner)): \(from.name) -> \(spec.role.name)"
            case .deleteAdmin(_, let subject, let provisioner): "- admin \(subject) (\(provisioner))"
            }
        }
    }

    public var changes: [Change]

    /// - Parameters:
    ///   - prune: delete provisioners and admins absent from `desired`.
    ///   - caller: the admin running the plan; a plan that removes or demotes it is refused.
    public init(desired: DesiredState, current: [LinkedProvisioner], admins: [Admin], prune: Bool, caller: UUID?) throws(WardenError) {
        var changes: [Change] = []
        let byName = Dictionary(uniqueKeysWithValues: current.map { ($0.name, $0) })
        for spec in desired.provisioners {
            guard let existing = byName[spec.name] else {
                changes.append(.createProvisioner(spec))
                continue
            }
            if existing.type != spec.type {
                throw .badRequest(
                    "provisioner \(spec.name) is \(existing.type.enumName) in the CA but \(spec.type.enumName) in the file: remove it first")
            }
            var fields = Self.differences(.object(existing.details), .object(spec.details), path: "details")
            fields += Self.differences(existing.claims ?? .null, spec.claims ?? .null, path: "claims")
            fields += Self.differences(existing.x509Template ?? .null, spec.x509Template ?? .null, path: "x509Template")
            fields += Self.differences(existing.sshTemplate ?? .null, spec.sshTemplate ?? .null, path: "sshTemplate")
            if !fields.isEmpty { changes.append(.updateProvisioner(spec, fields: fields)) }
        }
        let desiredNames = Set(desired.provisioners.map(\.name))
        let provisionerNames = Dictionary(uniqueKeysWithValues: current.map { ($0.id, $0.name) })
        for admin in desired.admins {
            if let existing = admins.first(where: { $0.subject == admin.subject && provisionerNames[$0.provisionerID] == admin.provisioner }) {
                if existing.role != admin.role { changes.append(.updateAdmin(id: existing.id, admin, from: existing.role)) }
            } else {
                changes.append(.createAdmin(admin))
            }
        }
        if prune {
            for admin in admins {
                let provisioner = provisionerNames[admin.provisionerID] ?? "?"
                if !desired.admins.contains(where: { $0.subject == admin.subject && $0.provisioner == provisioner }) {
                    changes.append(.deleteAdmin(id: admin.id, subject: admin.subject, provisioner: provisioner))
                }
            }
            for provisioner in current where !desiredNames.contains(provisioner.name) {
                changes.append(.deleteProvisioner(name: provisioner.name))
            }
        }
        self.changes = changes
        try checkLockout(desired: desired, current: current, admins: admins, caller: caller)
    }

    /// Refuses plans that leave no super admin, or that remove or demote the caller, before anything is sent.
    private func checkLockout(desired: DesiredState, current: [LinkedProvisioner], admins: [Admin], caller: UUID?) throws(WardenError) {
        let names = Dictionary(uniqueKeysWithValues: current.map { ($0.id, $0.name) })
        var after: [String: AdminRole] = [:]  // "subject\0provisioner" -> role
        for admin in admins { after["\(admin.subject)\u{0}\(names[admin.provisionerID] ?? "?")"] = admin.role }
        var removedProvisioners = Set<String>()
        for change in changes {
            switch change {
            case .createAdmin(let spec), .updateAdmin(_, let spec, _): after["\(spec.subject)\u{0}\(spec.provisioner)"] = spec.role
            case .deleteAdmin(_, let subject, let provisioner): after["\(subject)\u{0}\(provisioner)"] = nil
            case .deleteProvisioner(let name): removedProvisioners.insert(name)
            default: break
            }
        }
        let superAdmins = after.filter { key, role in
            role == .superAdmin && !removedProvisioners.contains(String(key.split(separator: "\u{0}", maxSplits: 1).last ?? ""))
        }
        if superAdmins.isEmpty {
            throw .badRequest("refusing the plan: it would leave no super admin")
        }
        if let caller, let me = admins.first(where: { $0.id == caller }) {
            let key = "\(me.subject)\u{0}\(names[me.provisionerID] ?? "?")"
            let myProvisioner = names[me.provisionerID] ?? "?"
            if after[key] == nil || removedProvisioners.contains(myProvisioner) {
                throw .badRequest("refusing the plan: it would remove the admin you are authenticated as (\(me.subject))")
            }
            if me.role == .superAdmin && after[key] != .superAdmin {
                throw .badRequest("refusing the plan: it would demote the admin you are authenticated as (\(me.subject))")
            }
        }
    }

    /// Field paths where two JSON values differ.
    static func differences(_ a: JSONValue, _ b: JSONValue, path: String) -> [String] {
        if a == b { return [] }
        if case .object(let left) = a, case .object(let right) = b {
            return Set(left.keys).union(right.keys).sorted().flatMap { key in
                differences(left[key] ?? .null, right[key] ?? .null, path: "\(path).\(key)")
            }
        }
        return [path]
    }

    /// Applies the changes in a safe order; on the first failure, reports what was applied.
    public func execute(with admin: AdminClient, progress: (Change) -> Void) async throws {
        func rank(_ change: Change) -> Int {
            switch change {
            case .createProvisioner: 0
            case .updateProvisioner: 1
            case .createAdmin: 2
            case .updateAdmin(_, let spec, _): spec.role == .superAdmin ? 3 : 4
            case .deleteAdmin: 5
            case .deleteProvisioner: 6
            }
        }
        var applied: [Change] = []
        // Stable: within a rank, the file's order.
        let ordered = changes.enumerated().sorted { (rank($0.element), $0.offset) < (rank($1.element), $1.offset) }
        for change in ordered.map(\.element) {
            do {
                switch change {
                case .createProvisioner(let spec):
                    _ = try await admin.createProvisioner(spec.document)
                case .updateProvisioner(let spec, _):
                    let existing = try await admin.provisionerDocument(named: spec.name)
                    guard case .object(var object) = existing, case .object(let desired) = spec.document else { continue }
                    for key in ["details", "claims", "x509Template", "sshTemplate"] { object[key] = desired[key] }
                    _ = try await admin.updateProvisioner(named: spec.name, .object(object))
                case .deleteProvisioner(let name):
                    try await admin.removeProvisioner(named: name)
                case .createAdmin(let spec):
                    _ = try await admin.createAdmin(subject: spec.subject, provisioner: spec.provisioner, role: spec.role)
                case .updateAdmin(let id, let spec, _):
                    _ = try await admin.updateAdmin(id: id, role: spec.role)
                case .deleteAdmin(let id, _, _):
                    try await admin.removeAdmin(id: id)
                }
                applied.append(change)
                progress(change)
            } catch let error as WardenError {
                let done =
                    applied.isEmpty ? "nothing was applied" : "applied before the failure: \(applied.map(\.description).joined(separator: "; "))"
                throw WardenError(error.code, "\(change.description) failed: \(error.message) (\(done))")
            }
        }
    }
}
