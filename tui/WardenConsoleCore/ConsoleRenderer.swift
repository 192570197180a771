import Foundation

/// Draws a ``ConsoleState`` into lines of text for a terminal of a given size. Pure: curses only copies the
/// result to the screen, and tests compare it at 80×24, 60×15 and 200×50.
public enum ConsoleRenderer {
    public static let minimumWidth = 60
    public static let minimumHeight = 15
    /// Below this width the detail pane collapses; Enter opens details full screen instead.
    public static let splitWidth = 100

    public static func render(_ state: ConsoleState, width: Int, height: Int, now: Date = Date()) -> ConsoleScreen {
        guard width >= minimumWidth, height >= minimumHeight else {
            let message = "terminal too small (need \(minimumWidth)×\(minimumHeight), have \(width)×\(height))"
            var lines = Array(repeating: String(repeating: " ", count: max(0, width)), count: max(0, height))
            if !lines.isEmpty { lines[0] = DisplayWidth.fit(message, width) }
            return ConsoleScreen(lines: lines, selectedLine: nil, stale: false)
        }
        var lines: [String] = []
        var styles: [ConsoleScreen.LineStyle] = []
        func add(_ text: String, _ style: ConsoleScreen.LineStyle = .plain) {
            lines.append(DisplayWidth.fit(text, width))
            styles.append(style)
        }

        let filter = state.filters[state.view].flatMap { $0.isEmpty ? nil : "  [filter: \($0)]" } ?? ""
        let countdown = state.identity.certificateCountdown(now: now).map { "  \($0)" } ?? ""
        let who = "\(state.identity.subject) (\(state.identity.role))\(state.readOnly ? " [read-only]" : "")\(countdown)"
        let left = " Warden ▸ \(state.identity.caURL) ▸ \(state.view.title)\(filter)"
        let gap = max(1, width - DisplayWidth.of(left) - DisplayWidth.of(who) - 1)
        add(left + String(repeating: " ", count: gap) + who, .banner)
        add(
            " "
                + ConsoleView.allCases.map { $0 == state.view ? "[\($0.rawValue) \($0.title)]" : " \($0.rawValue) \($0.title) " }.joined(
                    separator: " "))

        let bodyHeight = height - 5
        var selectedLine: Int?
        if state.mode == .help {
            for line in scrolled(helpLines(state), state, bodyHeight) { add(line) }
        } else if state.mode == .errorDetails {
            for line in scrolled(errorLines(state, width: width), state, bodyHeight) { add(line, line.hasPrefix(" ✗") ? .error : .plain) }
        } else if case .editorFailed(let session, let message) = state.mode {
            for line in scrolled(editorFailedLines(session, message: message, width: width), state, bodyHeight) {
                add(line, line.hasPrefix("  ✗") ? .error : .plain)
            }
        } else if case .form(let form) = state.mode {
            for line in formLines(form).prefix(bodyHeight) { add(line, line.contains("✗") ? .error : .plain) }
        } else if state.detailOpen || width < splitWidth && state.detailOpen {
            add(" Details  (Esc to go back)")
            for line in detailLines(state.selectedRow, width: width).prefix(bodyHeight - 1) { add(line) }
        } else {
            let split = width >= splitWidth
            let listWidth = split ? width * 3 / 5 : width
            let detail = split ? detailLines(state.selectedRow, width: width - listWidth - 3) : []
            let (list, listStyles, selected) = listLines(state, width: listWidth, height: bodyHeight)
            selectedLine = selected.map { $0 + lines.count }
            for index in 0..<bodyHeight {
                let left = index < list.count ? list[index] : String(repeating: " ", count: listWidth)
                if split {
                    let right = index < detail.count ? detail[index] : ""
                    lines.append(left + " │ " + DisplayWidth.fit(right, width - listWidth - 3))
                } else {
                    lines.append(left)
                }
                styles.append(index < listStyles.count ? listStyles[index] : .plain)
            }
        }
        while lines.count < height - 2 { add("") }

        let count = state.visibleRows().count
        let more = state.nextCursors[state.view].map { $0.isEmpty ? "" : "+" } ?? ""
        var status = state.stale ? " ✗ stale" : (state.loading.contains(state.view) ? " ⟳ loading" : " ● live")
        status += " · \(count)\(more) \(state.view.noun(count: more.isEmpty ? count : 2))"
        if let error = state.error { status += " · error: \(error) (! details)" }
        if let toast = state.toast { status += " · \(toast)" }
        add(status, state.error != nil ? .error : .plain)
        add(promptLine(state))
        return ConsoleScreen(
            lines: Array(lines.prefix(height)), styles: Array(styles.prefix(height)), selectedLine: selectedLine, stale: state.stale)
    }

    /// What a row means, from its text (the marker column or the outcome), so colour only repeats what is written.
    static func style(of row: ConsoleRow, in view: ConsoleView) -> ConsoleScreen.LineStyle {
        switch view {
        case .certificates:
            switch row.cells.first {
            case "R": .revoked
            case "x": .expired
            case "!": .expiring
            default: .plain
            }
        case .audit: row.cells.last == "success" ? .plain : .error
        case .revocations: .revoked
        default: .plain
        }
    }

    static func listLines(_ state: ConsoleState, width: Int, height: Int) -> ([String], [ConsoleScreen.LineStyle], Int?) {
        let rows = state.visibleRows()
        let columns = state.view.columns
        let widths = columnWidths(state.view.fixedWidths, total: width - 2)
        func line(_ cells: [String], marker: String) -> String {
            DisplayWidth.fit(marker + zip(cells, widths).map { DisplayWidth.fit($0, $1) }.joined(separator: " "), width)
        }
        var out = [line(columns, marker: "  ")]
        var styles: [ConsoleScreen.LineStyle] = [.columnHeader]
        if rows.isEmpty {
            out.append(DisplayWidth.fit(state.loading.contains(state.view) ? "  loading…" : "  (nothing here)", width))
            return (out, styles, nil)
        }
        let selected = state.selectedIndex ?? 0
        let visibleCount = height - 1
        let top = max(0, min(selected - visibleCount / 2, rows.count - visibleCount))
        for (offset, row) in rows[top..<min(rows.count, top + visibleCount)].enumerated() {
            out.append(line(row.cells, marker: top + offset == selected ? "> " : "  "))
            styles.append(style(of: row, in: state.view))
        }
        return (out, styles, selected - top + 1)
    }

    /// Fixed columns keep their width (shrinking only when even that does not fit); flexible ones share the rest.
    static func columnWidths(_ fixed: [Int?], total: Int) -> [Int] {
        guard !fixed.isEmpty else { return [] }
        let available = total - (fixed.count - 1)
        let flexible = fixed.filter { $0 == nil }.count
        let reserved = fixed.compactMap { $0 }.reduce(0, +)
        if flexible == 0 || available - reserved < flexible * 6 {
            let each = max(1, available / fixed.count)
            return fixed.indices.map { $0 == fixed.count - 1 ? max(1, available - each * (fixed.count - 1)) : each }
        }
        let share = (available - reserved) / flexible
        var extra = (available - reserved) - share * flexible
        return fixed.map { width in
            if let width { return width }
            defer { extra = 0 }
            return share + extra
        }
    }

    static func detailLines(_ row: ConsoleRow?, width: Int) -> [String] {
        guard let row else { return ["  nothing selected"] }
        let labelWidth = min(16, row.detail.map { DisplayWidth.of($0.0) }.max() ?? 8)
        return row.detail.map { " " + DisplayWidth.fit($0.0, labelWidth) + "  " + $0.1 }
    }

    /// An overlay taller than the body keeps its title line and scrolls the rest with j/k; the last line says
    /// how much is below.
    static func scrolled(_ lines: [String], _ state: ConsoleState, _ height: Int) -> [String] {
        guard lines.count > height, height > 2 else { return Array(lines.prefix(height)) }
        let offset = min(state.overlayScroll, lines.count - 1 - (height - 2))
        var shown = [lines[0]] + lines.dropFirst(1 + offset).prefix(height - 2)
        let below = lines.count - 1 - offset - (height - 2)
        shown.append(below > 0 ? "   ↓ \(below) more (j/k scroll)" : "")
        return shown
    }

    static func errorLines(_ state: ConsoleState, width: Int) -> [String] {
        var lines = [" Last error  (Esc, q or ! closes)", ""]
        if let error = state.error { lines.append(" ✗ \(error)") }
        lines.append("")
        for paragraph in (state.errorDetail ?? "").split(separator: "\n", omittingEmptySubsequences: false) {
            lines += wrap(String(paragraph), width: width - 4).map { "   " + $0 }
        }
        return lines
    }

    static func editorFailedLines(_ session: ConsoleEditorSession, message: String, width: Int) -> [String] {
        var lines = [
            " The \(session.title) was not saved", "", "  ✗ \(message)", "",
            "  e or Enter: edit again (your text is kept)   Esc: discard", "", "  Your document:",
        ]
        lines += session.text.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }
        return lines
    }

    /// Breaks a long line at display-width boundaries (server bodies, TLS texts).
    static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 10, DisplayWidth.of(text) > width else { return [text] }
        var lines: [String] = []
        var current = ""
        for character in text {
            if DisplayWidth.of(current + String(character)) > width {
                lines.append(current)
                current = ""
            }
            current.append(character)
        }
        if !current.isEmpty { lines.append(current) }
        return lines
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
        case .provisioners:
            mutations = [
                "   a or n         add a provisioner: JWK with a generated key and password; other types in $EDITOR",
                "   e              edit the provisioner's document (claims, type fields) in $EDITOR",
                "   t              edit the provisioner's X.509 template in $EDITOR (checked by the CA)",
                "   c              edit claims: durations, renewal",
                "   d              remove provisioner (type its name)",
            ]
        case .admins:
            mutations = [
                "   a or n         add admin (subject, provisioner, role)\(state.identity.isSuperAdmin ? "" : "  — disabled: needs SUPER_ADMIN")",
                "   d              remove admin (type the subject)\(state.identity.isSuperAdmin ? "" : "  — disabled: needs SUPER_ADMIN")",
                "   p              promote/demote\(state.identity.isSuperAdmin ? "" : "  — disabled: needs SUPER_ADMIN")",
            ]
        default: mutations = []
        }
        if !state.readOnly { lines += mutations } else if !mutations.isEmpty { lines.append("   (read-only: changes are hidden)") }
        lines.append("   !              the last error in full (status, server answer, credential)")
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
        case .errorDetails: return " ! error details: Esc closes"
        case .editorFailed: return " e edit again · Esc discard"
        case .normal:
            var hints = " ? help  / filter  : cmd  Enter details  r refresh  q quit"
            if !state.readOnly {
                switch state.view {
                case .certificates: hints += "  R revoke"
                case .provisioners: hints += "  a add  e edit  t template  c claims  d remove"
                case .admins: hints += "  a add  d remove  p promote/demote"
                default: break
                }
            }
            return hints
        }
    }
}
