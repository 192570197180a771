import Foundation

/// Draws a ``ConsoleState`` into lines of text for a terminal of a given size. Pure: curses only copies the
/// result to the screen, and tests compare it at 80×24, 60×15 and 200×50.
public enum ConsoleRenderer {
    public static let minimumWidth = 60
    public static let minimumHeight = 15
    /// Below this width the detail pane collapses; Enter opens details full screen instead.
    public static let splitWidth = 100

    public static func render(_ state: ConsoleState, width: Int, height: Int) -> ConsoleScreen {
        guard width >= minimumWidth, height >= minimumHeight else {
            let message = "terminal too small (need \(minimumWidth)×\(minimumHeight), have \(width)×\(height))"
            var lines = Array(repeating: String(repeating: " ", count: max(0, width)), count: max(0, height))
            if !lines.isEmpty { lines[0] = DisplayWidth.fit(message, width) }
            return ConsoleScreen(lines: lines, selectedLine: nil, stale: false)
        }
        var lines: [String] = []
        func add(_ text: String) { lines.append(DisplayWidth.fit(text, width)) }

        let filter = state.filters[state.view].flatMap { $0.isEmpty ? nil : "  [filter: \($0)]" } ?? ""
        let who = "\(state.identity.subject) (\(state.identity.role))\(state.readOnly ? " [read-only]" : "")"
        let left = " Warden ▸ \(state.identity.caURL) ▸ \(state.view.title)\(filter)"
        let gap = max(1, width - DisplayWidth.of(left) - DisplayWidth.of(who) - 1)
        add(left + String(repeating: " ", count: gap) + who)
        add(" " + ConsoleView.allCases.map { $0 == state.view ? "[\($0.rawValue) \($0.title)]" : " \($0.rawValue) \($0.title) " }.joined(separator: " "))

        let bodyHeight = height - 5
        var selectedLine: Int?
        if state.mode == .help {
            for line in helpLines(state).prefix(bodyHeight) { add(line) }
        } else if case .form(let form) = state.mode {
            for line in formLines(form).prefix(bodyHeight) { add(line) }
        } else if state.detailOpen || width < splitWidth && state.detailOpen {
            add(" Details  (Esc to go back)")
            for line in detailLines(state.selectedRow, width: width).prefix(bodyHeight - 1) { add(line) }
        } else {
            let split = width >= splitWidth
            let listWidth = split ? width * 3 / 5 : width
            let detail = split ? detailLines(state.selectedRow, width: width - listWidth - 3) : []
            let (list, selected) = listLines(state, width: listWidth, height: bodyHeight)
            selectedLine = selected.map { $0 + lines.count }
            for index in 0..<bodyHeight {
                let left = index < list.count ? list[index] : String(repeating: " ", count: listWidth)
                if split {
                    let right = index < detail.count ? detail[index] : ""
                    lines.append(left + " │ " + DisplayWidth.fit(right, width - listWidth - 3))
                } else {
                    lines.append(left)
                }
            }
        }
        while lines.count < height - 2 { add("") }

        let count = state.visibleRows().count
        let more = state.nextCursors[state.view].map { $0.isEmpty ? "" : "+" } ?? ""
        var status = state.stale ? " ✗ stale" : (state.loading.contains(state.view) ? " ⟳ loading" : " ● live")
        status += " · \(count)\(more) \(state.view.title.lowercased())"
        if let error = state.error { status += " · error: \(error)" }
        if let toast = state.toast { status += " · \(toast)" }
        add(status)
        add(promptLine(state))
        return ConsoleScreen(lines: Array(lines.prefix(height)), selectedLine: selectedLine, stale: state.stale)
    }

    static func listLines(_ state: ConsoleState, width: Int, height: Int) -> ([String], Int?) {
        let rows = state.visibleRows()
        let columns = state.view.columns
        let widths = columnWidths(columns.count, total: width - 2)
        func line(_ cells: [String], marker: String) -> String {
            DisplayWidth.fit(marker + zip(cells, widths).map { DisplayWidth.fit($0, $1) }.joined(separator: " "), width)
        }
        var out = [line(columns, marker: "  ")]
        if rows.isEmpty {
            out.append(DisplayWidth.fit(state.loading.contains(state.view) ? "  loading…" : "  (nothing here)", width))
            return (out, nil)
        }
        let selected = state.selectedIndex ?? 0
        let visibleCount = height - 1
        let top = max(0, min(selected - visibleCount / 2, rows.count - visibleCount))
        for (offset, row) in rows[top..<min(rows.count, top + visibleCount)].enumerated() {
            out.append(line(row.cells, marker: top + offset == selected ? "> " : "  "))
        }
        return (out, selected - top + 1)
    }

    static func columnWidths(_ count: Int, total: Int) -> [Int] {
        guard count > 0 else { return [] }
        switch count {
        case 5: let rest = total - 2 - 4; return [1, rest * 34 / 100, rest * 36 / 100, 8, rest - rest * 34 / 100 - rest * 36 / 100 - 8]
        default:
            let each = (total - (count - 1)) / count
            return Array(repeating: each, count: count - 1) + [total - (count - 1) - each * (count - 1)]
        }
    }

    static func detailLines(_ row: ConsoleRow?, width: Int) -> [String] {
        guard let row else { return ["  nothing selected"] }
        let labelWidth = min(16, row.detail.map { DisplayWidth.of($0.0) }.max() ?? 8)
        return row.detail.map { " " + DisplayWidth.fit($0.0, labelWidth) + "  " + $0.1 }
    }

    static func helpLines(_ state: ConsoleState) -> [String] {
        var lines = [
            " Keys for \(state.view.title)  (q or Esc closes this help)",
            "   j/k ↓/↑        move            PgDn/PgUp  page        g/G Home/End  first/last",
            "   1-5 Tab S-Tab  switch view     :prov :admins :certs :revoked :audit  :q quit",
            "   /              filter\(state.view.filtersOnServer ? " (server-side search)" : "")      Esc  clear filter / back",
            "   Enter          details         r  refresh now         ?  this help",
            "   q              quit            Ctrl-C  quit at once",
        ]
        let mutations: [String]
        switch state.view {
        case .certificates: mutations = ["   R              revoke (type the last 4 hex digits; Tab picks the reason)"]
        case .provisioners: mutations = ["   a              add a JWK provisioner (name, password)", "   d              remove provisioner (type its name)"]
        case .admins:
            mutations = [
                "   a              add admin (subject, provisioner, role)\(state.identity.isSuperAdmin ? "" : "  — disabled: needs SUPER_ADMIN")",
                "   d              remove admin (type the subject)\(state.identity.isSuperAdmin ? "" : "  — disabled: needs SUPER_ADMIN")",
                "   p              promote/demote\(state.identity.isSuperAdmin ? "" : "  — disabled: needs SUPER_ADMIN")",
            ]
        default: mutations = []
        }
        if !state.readOnly { lines += mutations } else if !mutations.isEmpty { lines.append("   (read-only: changes are hidden)") }
        lines.append("   Markers: R revoked, x expired, ! expires within 7 days")
        return lines
    }

    static func formLines(_ form: ConsoleForm) -> [String] {
        var lines = [" \(form.title)", ""]
        for (index, field) in form.fields.enumerated() {
            let shown = field.secret ? String(repeating: "•", count: field.value.count) : field.value
            let cursor = index == form.focus ? "▏" : ""
            lines.append("  \(index == form.focus ? ">" : " ") \(DisplayWidth.fit(field.label, 16)) [\(shown)\(cursor)]")
            if let error = field.error { lines.append("      ✗ \(field.label): \(error)") }
        }
        lines.append("")
        if form.submitting { lines.append("  sending…") }
        if let error = form.serverError { lines.append("  ✗ the CA refused it: \(error)") }
        lines.append("  Tab/↑↓ move between fields · Enter submit · Esc cancel")
        return lines
    }

    static func promptLine(_ state: ConsoleState) -> String {
        switch state.mode {
        case .form: return " form: Enter submit, Esc cancel"
        case .filter(let text): return " /" + text + "▏  (Enter apply, Esc cancel)"
        case .command(let text): return " :" + text + "▏"
        case .confirm(let confirmation, let typed):
            var reason = ""
            if case .revokeCertificate = confirmation.effect { reason = " [reason: \(confirmation.reasons[confirmation.reasonIndex].1)]" }
            return " \(confirmation.prompt)\(reason): \(typed)▏"
        case .help: return " ? help"
        case .normal:
            var hints = " ? help  / filter  : cmd  Enter details  r refresh  q quit"
            if !state.readOnly {
                switch state.view {
                case .certificates: hints += "  R revoke"
                case .provisioners: hints += "  a add  d remove"
                case .admins: hints += "  a add  d remove  p promote/demote"
                default: break
                }
            }
            return hints
        }
    }
}
