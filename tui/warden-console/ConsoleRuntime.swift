import Foundation
import Synchronization
import WardenClient
import WardenConsoleCore
import WardenCore

/// Carries out the reducer's effects against the admin API and turns the results into events.
struct ConsoleRuntime: Sendable {
    let admin: AdminClient
    let inbox: Inbox

    func perform(_ effect: ConsoleEffect) async {
        do {
            switch effect {
            case .load(let view, let filter, let cursor):
                let (rows, next) = try await load(view, filter: filter, cursor: cursor)
                inbox.post(.loaded(view, rows: rows, nextCursor: next, appended: cursor != nil))
            case .revokeCertificate(let serial, let code):
                let reason = RevocationReason(rawValue: code) ?? .unspecified
                let result = try await admin.revokeCertificate(serial: serial, reason: reason, text: "revoked from warden-console")
                inbox.post(.succeeded("Revoked \(result.serialHex) (\(result.reason))", reload: [.certificates, .revocations, .audit]))
            case .removeAdmin(let id):
                guard let uuid = UUID(uuidString: id) else { return }
                try await admin.removeAdmin(id: uuid)
                inbox.post(.succeeded("Admin removed", reload: [.admins, .audit]))
            case .removeProvisioner(let name):
                try await admin.removeProvisioner(named: name)
                inbox.post(.succeeded("Provisioner \(name) removed", reload: [.provisioners, .admins, .audit]))
            case .setAdminRole(let id, let superAdmin):
                guard let uuid = UUID(uuidString: id) else { return }
                let updated = try await admin.updateAdmin(id: uuid, role: superAdmin ? .superAdmin : .admin)
                inbox.post(.succeeded("\(updated.subject) is now \(updated.role.name)", reload: [.admins, .audit]))
            case .createAdmin(let subject, let provisioner, let superAdmin):
                do {
                    let created = try await admin.createAdmin(subject: subject, provisioner: provisioner, role: superAdmin ? .superAdmin : .admin)
                    inbox.post(.succeeded("Admin \(created.subject) added (\(created.role.name))", reload: [.admins, .audit]))
                } catch let error as WardenError {
                    inbox.post(.formFailed(error.message))
                }
            case .createJWKProvisioner(let name, let password):
                do {
                    var draft = ProvisionerDraft(name: name, type: .jwk)
                    try draft.generateJWK(password: Array(password.utf8))
                    _ = try await admin.createProvisioner(draft.document)
                    inbox.post(.succeeded("Provisioner \(name) added", reload: [.provisioners, .audit]))
                } catch let error as WardenError {
                    inbox.post(.formFailed(error.message))
                }
            case .quit:
                break
            }
        } catch let error as WardenError {
            inbox.post(.failed(error.message))
        } catch {
            inbox.post(.failed("\(error)"))
        }
    }

    func load(_ view: ConsoleView, filter: String, cursor: String?) async throws -> ([ConsoleRow], String) {
        let search = filter.isEmpty ? nil : filter
        switch view {
        case .provisioners:
            return (try await admin.provisioners().map(ConsoleRows.provisioner), "")
        case .admins:
            let names = Dictionary(uniqueKeysWithValues: try await admin.provisioners().map { ($0.id, $0.name) })
            return (try await admin.admins().map { ConsoleRows.admin($0, provisionerName: names[$0.provisionerID] ?? "?") }, "")
        case .certificates:
            let page = try await admin.certificates([("q", search), ("limit", "100"), ("cursor", cursor)])
            return (page.items.map { ConsoleRows.certificate($0) }, page.nextCursor)
        case .revocations:
            // A reason name filters by reason, anything else by provisioner.
            let byReason = search.flatMap(RevocationReason.init(parsing:)) != nil
            let page = try await admin.revocations([
                ("reason", byReason ? search : nil), ("provisioner", byReason ? nil : search), ("limit", "100"), ("cursor", cursor),
            ])
            return (page.items.map(ConsoleRows.revocation), page.nextCursor)
        case .audit:
            // "admin.create" or "admin" filter actions; anything else is an actor.
            let isAction = search.map { $0.contains(".") || ["admin", "provisioner", "certificate"].contains($0) } ?? false
            let page = try await admin.audit([
                ("action", isAction ? search : nil), ("actor", isAction ? nil : search), ("limit", "100"), ("cursor", cursor),
            ])
            return (page.items.map(ConsoleRows.audit), page.nextCursor)
        }
    }

    /// Follows `/admin/events` and turns each event into a reload; reconnects (with a full resync) after
    /// a lost stream, and reports the loss meanwhile.
    func watchChanges() async {
        while !Task.isCancelled {
            let seen = Mutex(0)
            let inbox = inbox
            do {
                _ = try await admin.client.readEventStream(
                    stop: { lines in
                        let new: [String] = seen.withLock { count in
                            defer { count = lines.count }
                            return Array(lines.dropFirst(count))
                        }
                        for line in new where line.hasPrefix("event: ") {
                            inbox.post(.changed(kind: String(line.dropFirst(7))))
                        }
                        return false
                    },
                    onFirstChunk: { inbox.post(.changed(kind: "resync")) })
            } catch {
                if Task.isCancelled { return }
                inbox.post(.failed("live updates lost: \((error as? WardenError)?.message ?? "\(error)")"))
            }
            try? await Task.sleep(for: .seconds(2))
        }
    }
}
