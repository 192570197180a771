import Foundation
import WardenCore

/// The console's behaviour: (state, event) → new state + effects. Pure, so every key path is unit-tested.
public enum ConsoleReducer {
    /// Loads the first page of every view (start-up).
    public static func start(_ state: inout ConsoleState) -> [ConsoleEffect] {
        ConsoleView.allCases.map { view in
            state.loading.insert(view)
            return .load(view, filter: state.filters[view] ?? "", cursor: nil)
        }
    }

    public static func reduce(_ state: inout ConsoleState, _ event: ConsoleEvent) -> [ConsoleEffect] {
        switch event {
        case .key(let key):
            return handle(key, &state)
        case .loaded(let view, let rows, let next, let appended, let filter):
            if view.filtersOnServer, filter != state.filters[view] ?? "" { return [] }
            state.loading.remove(view)
            state.rows[view] = appended ? (state.rows[view] ?? []) + rows : rows
            state.nextCursors[view] = next
            state.error = nil
            state.stale = false
            return []
        case .failed(let message, let detail):
            state.loading.removeAll()
            state.error = message
            state.errorDetail = detail ?? message
            state.stale = true
            return []
        case .editorReady(let session):
            return [.openEditor(session)]
        case .editorFinished(let session, let text):
            return editorFinished(session, text: text, &state)
        case .editorRejected(let session, let message):
            state.toast = nil
            state.overlayScroll = 0
            state.mode = .editorFailed(session, message: message)
            return []
        case .succeeded(let message, let views):
            state.toast = message
            if case .form = state.mode { state.mode = .normal }
            return views.map { view in
                state.loading.insert(view)
                return .load(view, filter: state.filters[view] ?? "", cursor: nil)
            }
        case .formFailed(let message):
            if case .form(var form) = state.mode {
                form.serverError = message
                form.submitting = false
                state.mode = .form(form)
            } else {
                state.error = message
            }
            return []
        case .changed(let kind):
            let views: [ConsoleView]
            switch kind {
            case "provisioner": views = [.provisioners, .admins, .audit]
            case "admin": views = [.admins, .audit]
            case "certificate": views = [.certificates]
            case "revocation": views = [.certificates, .revocations, .audit]
            default: views = ConsoleView.allCases
            }
            // Reload only what is not being loaded already; the selection stays on the same ids.
            return views.filter { !state.loading.contains($0) }.map { view in
                state.loading.insert(view)
                return .load(view, filter: state.filters[view] ?? "", cursor: nil)
            }
        case .resized(_, let height):
            state.pageSize = max(1, height - 7)
            return []
        }
    }

    // MARK: Keys

    static func handle(_ key: ConsoleKey, _ state: inout ConsoleState) -> [ConsoleEffect] {
        if key == .controlC { return [.quit] }
        switch state.mode {
        case .help, .errorDetails, .editorFailed:
            switch key {
            case .down, .character("j"):
                state.overlayScroll += 1
                return []
            case .up, .character("k"):
                state.overlayScroll = max(0, state.overlayScroll - 1)
                return []
            case .pageDown:
                state.overlayScroll += state.pageSize
                return []
            case .pageUp:
                state.overlayScroll = max(0, state.overlayScroll - state.pageSize)
                return []
            default: break
            }
        default: break
        }
        let modeBefore = state.mode
        defer { if state.mode != modeBefore { state.overlayScroll = 0 } }
        switch state.mode {
        case .help:
            if key == .escape || key == .character("q") || key == .character("?") { state.mode = .normal }
            return []
        case .errorDetails:
            if key == .escape || key == .character("q") || key == .character("!") || key == .enter { state.mode = .normal }
            return []
        case .editorFailed(let session, _):
            switch key {
            case .character("e"), .enter:
                state.mode = .normal
                return [.openEditor(session)]
            case .escape, .character("q"):
                state.mode = .normal
                state.toast = "Discarded the edited document; nothing was sent"
            default: break
            }
            return []
        case .filter(let text):
            switch edit(key, text) {
            case .editing(let updated): state.mode = .filter(updated)
            case .cancelled: state.mode = .normal
            case .committed(let applied):
                state.filters[state.view] = applied
                state.mode = .normal
                guard state.view.filtersOnServer else { return [] }
                state.loading.insert(state.view)
                return [.load(state.view, filter: applied, cursor: nil)]
            }
            return []
        case .command(let text):
            switch edit(key, text) {
            case .editing(let updated): state.mode = .command(updated)
            case .cancelled: state.mode = .normal
            case .committed(let command):
                state.mode = .normal
                return runCommand(command, &state)
            }
            return []
        case .confirm(var confirmation, let typed):
            switch key {
            case .escape:
                state.mode = .normal
                state.toast = "Cancelled"
            case .tab:
                if case .revokeCertificate(let serial, _) = confirmation.effect {
                    confirmation.reasonIndex = (confirmation.reasonIndex + 1) % confirmation.reasons.count
                    confirmation.effect = .revokeCertificate(serial: serial, reasonCode: confirmation.reasons[confirmation.reasonIndex].0)
                    state.mode = .confirm(confirmation, typed: typed)
                }
            case .backspace:
                state.mode = .confirm(confirmation, typed: String(typed.dropLast()))
            case .enter:
                guard typed.lowercased() == confirmation.expected.lowercased() else {
                    state.toast = "Type \(confirmation.expected) to confirm, or Esc to cancel"
                    return []
                }
                state.mode = .normal
                return [confirmation.effect]
            case .character(let c):
                state.mode = .confirm(confirmation, typed: typed + String(c))
            default:
                break
            }
            return []
        case .form(var form):
            switch key {
            case .escape: state.mode = .normal
            case .tab, .down: form.focus = (form.focus + 1) % form.fields.count
            case .backTab, .up: form.focus = (form.focus + form.fields.count - 1) % form.fields.count
            case .backspace: form.fields[form.focus].value = String(form.fields[form.focus].value.dropLast())
            case .character(let c): form.fields[form.focus].value.append(c)
            case .enter:
                guard !form.submitting else { return [] }
                form.serverError = nil
                if let effect = form.validate(provisioners: (state.rows[.provisioners] ?? []).map(\.id)) {
                    if case .openEditor = effect {
                        state.mode = .normal
                        return [effect]
                    }
                    form.submitting = true
                    state.mode = .form(form)
                    return [effect]
                }
            default: break
            }
            if case .form = state.mode { state.mode = .form(form) }
            return []
        case .normal:
            return normalKey(key, &state)
        }
    }

    enum LineEdit {
        case editing(String)
        case cancelled
        case committed(String)
    }

    /// One key applied to a one-line prompt (filter, command).
    static func edit(_ key: ConsoleKey, _ text: String) -> LineEdit {
        switch key {
        case .escape: .cancelled
        case .enter: .committed(text)
        case .backspace: .editing(String(text.dropLast()))
        case .character(let c): .editing(text + String(c))
        default: .editing(text)
        }
    }

    static func normalKey(_ key: ConsoleKey, _ state: inout ConsoleState) -> [ConsoleEffect] {
        state.toast = nil
        switch key {
        case .character("q"): return [.quit]
        case .character("?"): state.mode = .help
        case .character("!"):
            if state.errorDetail != nil { state.mode = .errorDetails } else { state.toast = "No error to show" }
        case .character("/"): state.mode = .filter(state.filters[state.view] ?? "")
        case .character(":"): state.mode = .command("")
        case .character("r"):
            state.loading.insert(state.view)
            return [.load(state.view, filter: state.filters[state.view] ?? "", cursor: nil)]
        case .character(let c) where c.isNumber:
            if let number = c.wholeNumberValue, let view = ConsoleView(rawValue: number) { switchTo(view, &state) }
        case .tab: switchTo(ConsoleView(rawValue: state.view.rawValue % 5 + 1)!, &state)
        case .backTab: switchTo(ConsoleView(rawValue: (state.view.rawValue + 3) % 5 + 1)!, &state)
        case .escape:
            if state.detailOpen {
                state.detailOpen = false
            } else if let filter = state.filters[state.view], !filter.isEmpty {
                state.filters[state.view] = ""
                if state.view.filtersOnServer {
                    state.loading.insert(state.view)
                    return [.load(state.view, filter: "", cursor: nil)]
                }
            }
        case .enter: state.detailOpen.toggle()
        case .down, .character("j"): return move(by: 1, &state)
        case .up, .character("k"): return move(by: -1, &state)
        case .pageDown: return move(by: state.pageSize, &state)
        case .pageUp: return move(by: -state.pageSize, &state)
        case .home, .character("g"): return move(to: 0, &state)
        case .end, .character("G"): return move(to: Int.max, &state)
        case .character("R") where state.view == .certificates: return askRevoke(&state)
        case .character("d") where state.view == .provisioners || state.view == .admins: return askRemove(&state)
        case .character("p") where state.view == .admins: return askRole(&state)
        case .character("a") where state.view == .admins, .character("n") where state.view == .admins:
            if gate(&state, needsSuperAdmin: true) {
                state.mode = .form(.addAdmin(defaultProvisioner: (state.rows[.provisioners] ?? []).first?.id ?? ""))
            }
        case .character("a") where state.view == .provisioners, .character("n") where state.view == .provisioners:
            if gate(&state, needsSuperAdmin: false) { state.mode = .form(.addProvisioner()) }
        case .character("e") where state.view == .provisioners:
            guard let row = state.selectedRow, gate(&state, needsSuperAdmin: false) else { return [] }
            state.toast = "Opening \(row.id) in the editor…"
            return [.fetchProvisionerDocument(name: row.id)]
        case .character("t") where state.view == .provisioners:
            guard let row = state.selectedRow, gate(&state, needsSuperAdmin: false) else { return [] }
            state.toast = "Opening the X.509 template of \(row.id) in the editor…"
            return [.fetchX509Template(name: row.id)]
        case .character("c") where state.view == .provisioners:
            guard let row = state.selectedRow, gate(&state, needsSuperAdmin: false) else { return [] }
            state.mode = .form(.editClaims(provisioner: row.id, current: X509ClaimsEdit(current: row.claims ?? Claims())))
        default: break
        }
        return []
    }

    // MARK: $EDITOR documents

    static func editorFinished(_ session: ConsoleEditorSession, text: String?, _ state: inout ConsoleState) -> [ConsoleEffect] {
        guard let text else {
            state.toast = "The editor exited with an error; nothing was sent"
            return []
        }
        var edited = session
        edited.text = text
        if text == session.original || text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            state.toast = "No changes to \(session.title); nothing was sent"
            return []
        }
        if case .updateX509Template = session.purpose {
            // Templates are checked by the CA itself (parse and a synthetic rendering); its 400 comes back in place.
            state.toast = "Saving \(session.title)…"
            return [.saveProvisioner(edited, document: .string(text))]
        }
        do {
            let document = try provisionerDocument(from: edited)
            state.toast = "Saving \(session.title)…"
            return [.saveProvisioner(edited, document: document)]
        } catch {
            state.mode = .editorFailed(edited, message: error.message)
            state.overlayScroll = 0
            return []
        }
    }

    /// The same checks the CA makes, before anything is sent; a new document's empty template fields are dropped.
    static func provisionerDocument(from session: ConsoleEditorSession) throws(WardenError) -> JSONValue {
        var value = try JSONValue(editedText: session.text)
        if session.purpose == .createProvisioner { value = LinkedProvisionerTemplate.droppingEmptyFields(value) }
        let document = try LinkedProvisionerDocument(parsing: value)
        if let claims = document.claims { try LinkedClaims.validate(claims) }
        return value
    }

    static func switchTo(_ view: ConsoleView, _ state: inout ConsoleState) {
        state.view = view
        state.detailOpen = false
    }

    static func runCommand(_ command: String, _ state: inout ConsoleState) -> [ConsoleEffect] {
        let trimmed = command.trimmingCharacters(in: .whitespaces)
        if trimmed == "q" || trimmed == "quit" { return [.quit] }
        guard let view = ConsoleView(command: trimmed) else {
            state.toast = "Unknown command :\(trimmed) (try :prov :admins :certs :revoked :audit :q)"
            return []
        }
        switchTo(view, &state)
        return []
    }

    static func move(by delta: Int, _ state: inout ConsoleState) -> [ConsoleEffect] {
        move(to: (state.selectedIndex ?? 0) + delta, &state)
    }

    /// Moves the selection, and asks for the next page when it nears the end of a paged view.
    static func move(to index: Int, _ state: inout ConsoleState) -> [ConsoleEffect] {
        let visible = state.visibleRows()
        guard !visible.isEmpty else { return [] }
        let clamped = min(max(0, index), visible.count - 1)
        state.selection[state.view] = visible[clamped].id
        if clamped >= visible.count - state.pageSize, let next = state.nextCursors[state.view], !next.isEmpty,
            !state.loading.contains(state.view)
        {
            state.loading.insert(state.view)
            return [.load(state.view, filter: state.filters[state.view] ?? "", cursor: next)]
        }
        return []
    }

    // MARK: Destructive actions (typed confirmations; role and read-only gating)

    static func gate(_ state: inout ConsoleState, needsSuperAdmin: Bool) -> Bool {
        if state.readOnly {
            state.toast = "Read-only console: changes are disabled"
            return false
        }
        if needsSuperAdmin && !state.identity.isSuperAdmin {
            state.toast = "Disabled: managing admins requires SUPER_ADMIN (you are \(state.identity.role))"
            return false
        }
        return true
    }

    static func askRevoke(_ state: inout ConsoleState) -> [ConsoleEffect] {
        guard gate(&state, needsSuperAdmin: false), let row = state.selectedRow else { return [] }
        if row.cells.count > 3, row.cells[3] == "revoked" {
            state.toast = "Certificate \(row.id) is already revoked"
            return []
        }
        let hex = row.detail.first { $0.0 == "Serial (hex)" }?.1 ?? row.id
        let last4 = String(hex.suffix(4))
        let reason = ConsoleState.Confirmation.reasonChoices[0]
        state.mode = .confirm(
            .init(
                prompt: "Revoke \(row.cells.count > 2 ? row.cells[2] : row.id) (serial …\(last4))? Type \(last4), Tab: reason",
                expected: last4, effect: .revokeCertificate(serial: row.id, reasonCode: reason.0), reasonIndex: 0),
            typed: "")
        return []
    }

    static func askRemove(_ state: inout ConsoleState) -> [ConsoleEffect] {
        guard let row = state.selectedRow, gate(&state, needsSuperAdmin: state.view == .admins) else { return [] }
        if state.view == .admins {
            let subject = row.cells[0]
            if let refusal = protectAdmin(row, &state, demoting: false) {
                state.toast = refusal
                return []
            }
            state.mode = .confirm(
                .init(prompt: "Remove admin \(subject)? Type its subject", expected: subject, effect: .removeAdmin(id: row.id), reasonIndex: 0),
                typed: "")
        } else {
            state.mode = .confirm(
                .init(
                    prompt: "Remove provisioner \(row.id) and its admins? Type its name", expected: row.id, effect: .removeProvisioner(name: row.id),
                    reasonIndex: 0),
                typed: "")
        }
        return []
    }

    static func askRole(_ state: inout ConsoleState) -> [ConsoleEffect] {
        guard let row = state.selectedRow, gate(&state, needsSuperAdmin: true) else { return [] }
        let isSuper = row.cells.count > 2 && row.cells[2] == "SUPER_ADMIN"
        if isSuper, let refusal = protectAdmin(row, &state, demoting: true) {
            state.toast = refusal
            return []
        }
        let verb = isSuper ? "demote" : "promote"
        state.mode = .confirm(
            .init(
                prompt: "\(verb.capitalized) \(row.cells[0]) to \(isSuper ? "ADMIN" : "SUPER_ADMIN")? Type \(verb)", expected: verb,
                effect: .setAdminRole(id: row.id, superAdmin: !isSuper), reasonIndex: 0),
            typed: "")
        return []
    }

    /// The UI's own guard for the server's invariants: never remove or demote yourself, never the last super admin.
    static func protectAdmin(_ row: ConsoleRow, _ state: inout ConsoleState, demoting: Bool) -> String? {
        let admins = state.rows[.admins] ?? []
        if row.cells[0] == state.identity.subject {
            return "You cannot \(demoting ? "demote" : "remove") the account you are logged in with"
        }
        let supers = admins.filter { $0.cells.count > 2 && $0.cells[2] == "SUPER_ADMIN" }
        if row.cells.count > 2, row.cells[2] == "SUPER_ADMIN", supers.count <= 1 {
            return "\(row.cells[0]) is the last super admin"
        }
        return nil
    }
}
