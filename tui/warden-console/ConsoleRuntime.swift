import Foundation
import Synchronization
import WardenClient
import WardenConsoleCore
import WardenCore
import WardenPKI

/// Carries out the reducer's effects against the admin API and turns the results into events.
struct ConsoleRuntime: Sendable {
    let admin: AdminClient
    let inbox: Inbox
    /// Which certificate we authenticate with, for the `!` error details.
    let credential: String

    func perform(_ effect: ConsoleEffect) async {
        do {
            switch effect {
            case .load(let view, let filter, let cursor):
                let (rows, next) = try await load(view, filter: filter, cursor: cursor)
                inbox.post(.loaded(view, rows: rows, nextCursor: next, appended: cursor != nil, filter: filter))
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
            case .fetchProvisionerDocument(let name):
                let document = try await admin.provisionerDocument(named: name)
                inbox.post(.editorReady(ConsoleEditorSession(purpose: .updateProvisioner(name: name), text: document.editableText)))
            case .fetchX509Template(let name):
                let document = try await admin.provisionerDocument(named: name)
                let encoded = document["x509Template"]?["template"]?.stringValue ?? ""
                let text = ProtoBytes.decode(encoded).map { String(decoding: $0, as: UTF8.self) } ?? ""
                let session = ConsoleEditorSession(
                    purpose: .updateX509Template(name: name), text: text.isEmpty ? X509Template.defaultLeafText + "\n" : text)
                inbox.post(.editorReady(session))
            case .saveProvisioner(let session, let document):
                do {
                    switch session.purpose {
                    case .updateX509Template(let name):
                        // Applied to the document as it is now; the template's data is kept.
                        var current = try await admin.provisionerDocument(named: name).objectValue ?? [:]
                        current["x509Template"] = LinkedProvisioner.templateDocument(
                            text: document.stringValue ?? "", data: nil, over: current["x509Template"])
                        _ = try await admin.updateProvisioner(named: name, .object(current))
                        inbox.post(.succeeded("X.509 template of \(name) saved", reload: [.provisioners, .audit]))
                    case .createProvisioner:
                        let created = try await admin.createProvisioner(document)
                        inbox.post(.succeeded("Provisioner \(created.name) added (\(created.type.enumName))", reload: [.provisioners, .audit]))
                    case .updateProvisioner(let name):
                        let updated = try await admin.updateProvisioner(named: name, document)
                        inbox.post(.succeeded("Provisioner \(updated.name) updated", reload: [.provisioners, .audit]))
                    }
                } catch let error as WardenError where error.code != .unavailable {
                    inbox.post(.editorRejected(session, message: error.message))
                }
            case .updateClaims(let name, let edit):
                do {
                    // Applied to the document as it is now, so other claims changed meanwhile are kept.
                    var document = try await admin.provisionerDocument(named: name).objectValue ?? [:]
                    document["claims"] = edit.applied(to: document["claims"])
                    _ = try await admin.updateProvisioner(named: name, .object(document))
                    inbox.post(.succeeded("Claims of \(name) updated", reload: [.provisioners, .audit]))
                } catch let error as WardenError where error.code != .unavailable {
                    inbox.post(.formFailed(error.message))
                }
            case .openEditor, .quit:
                break  // the curses thread handles these itself
            }
        } catch let error as WardenError {
            inbox.post(.failed(error.message, detail: details(of: error, during: Self.describe(effect))))
        } catch {
            inbox.post(.failed("\(error)", detail: details(of: error, during: Self.describe(effect))))
        }
    }

    /// What `!` shows: the action, the error's code and message, the HTTP status and body or the transport's
    /// own text, and the credential used.
    func details(of error: any Error, during action: String) -> String {
        var lines = ["while: \(action)"]
        if let error = error as? WardenError {
            lines.append("error: \(error.code): \(error.message)")
            if let diagnostic = error.diagnostic { lines.append(diagnostic) }
        } else {
            lines.append("error: \(error)")
        }
        lines.append("CA: \(admin.client.configuration.url.absoluteString)")
        lines.append("client certificate: \(credential)")
        return lines.joined(separator: "\n")
    }

    static func describe(_ effect: ConsoleEffect) -> String {
        switch effect {
        case .load(let view, let filter, let cursor):
            "loading \(view.title.lowercased())\(filter.isEmpty ? "" : " matching \"\(filter)\"")\(cursor == nil ? "" : " (next page)")"
        case .revokeCertificate(let serial, _): "revoking certificate \(serial)"
        case .removeAdmin(let id): "removing admin \(id)"
        case .removeProvisioner(let name): "removing provisioner \(name)"
        case .setAdminRole(let id, let superAdmin): "changing admin \(id) to \(superAdmin ? "SUPER_ADMIN" : "ADMIN")"
        case .createAdmin(let subject, _, _): "adding admin \(subject)"
        case .createJWKProvisioner(let name, _): "adding provisioner \(name)"
        case .fetchProvisionerDocument(let name): "reading provisioner \(name) to edit it"
        case .fetchX509Template(let name): "reading the X.509 template of \(name) to edit it"
        case .saveProvisioner(let session, _): "saving the \(session.title)"
        case .updateClaims(let name, _): "updating the claims of \(name)"
        case .openEditor(let session): "editing the \(session.title)"
        case .quit: "quitting"
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
                inbox.post(
                    .failed(
                        "live updates lost: \((error as? WardenError)?.message ?? "\(error)")",
                        detail: details(of: error, during: "following /admin/events")))
            }
            try? await Task.sleep(for: .seconds(2))
        }
    }
}
