import Foundation
import Testing
import WardenConsoleCore
import WardenCore

@Suite struct ConsoleReducerTests {
    static func row(_ id: String, _ cells: [String]) -> ConsoleRow {
        ConsoleRow(id: id, cells: cells, detail: [("ID", id), ("Serial (hex)", "00ab" + id)])
    }

    static func state(role: String = "SUPER_ADMIN", readOnly: Bool = false) -> ConsoleState {
        var state = ConsoleState(identity: ConsoleIdentity(subject: "step", role: role, caURL: "https://ca.test:9443"), readOnly: readOnly)
        _ = ConsoleReducer.reduce(&state, .resized(width: 120, height: 30))
        _ = ConsoleReducer.reduce(
            &state,
            .loaded(
                .provisioners, rows: [row("admin", ["admin", "JWK", "-/-/-"]), row("ops", ["ops", "JWK", "8h/-/-"])], nextCursor: "", appended: false)
        )
        _ = ConsoleReducer.reduce(
            &state,
            .loaded(
                .admins,
                rows: [
                    row("a1", ["step", "admin", "SUPER_ADMIN"]), row("a2", ["alice", "admin", "ADMIN"]), row("a3", ["bob", "ops", "SUPER_ADMIN"]),
                ], nextCursor: "", appended: false))
        _ = ConsoleReducer.reduce(
            &state,
            .loaded(
                .certificates,
                rows: (0..<30).map {
                    row("\(1000 + $0)", [" ", "\(1000 + $0)", "svc-\($0).internal", $0 == 5 ? "revoked" : "active", "2026-12-01"])
                }, nextCursor: "cursor-2", appended: false))
        return state
    }

    static func press(_ state: inout ConsoleState, _ keys: ConsoleKey...) -> [ConsoleEffect] {
        keys.flatMap { ConsoleReducer.reduce(&state, .key($0)) }
    }

    static func type(_ state: inout ConsoleState, _ text: String) -> [ConsoleEffect] {
        text.flatMap { ConsoleReducer.reduce(&state, .key(.character($0))) }
    }

    @Test func startLoadsEveryView() {
        var state = ConsoleState(identity: ConsoleIdentity(subject: "s", role: "ADMIN", caURL: "u"), readOnly: false)
        let effects = ConsoleReducer.start(&state)
        #expect(effects.count == 5)
        #expect(state.loading.count == 5)
    }

    @Test func navigationAndViewSwitching() {
        var state = Self.state()
        #expect(state.selectedRow?.id == "admin")
        _ = Self.press(&state, .down)
        #expect(state.selectedRow?.id == "ops")
        _ = Self.press(&state, .character("j"), .character("j"))
        #expect(state.selectedRow?.id == "ops")  // clamped at the end
        _ = Self.press(&state, .character("g"))
        #expect(state.selectedRow?.id == "admin")
        _ = Self.press(&state, .character("3"))
        #expect(state.view == .certificates)
        _ = Self.press(&state, .tab)
        #expect(state.view == .revocations)
        _ = Self.press(&state, .backTab, .backTab)
        #expect(state.view == .admins)
        _ = Self.press(&state, .character(":"))
        _ = Self.type(&state, "audit")
        _ = Self.press(&state, .enter)
        #expect(state.view == .audit)
        _ = Self.press(&state, .character(":"))
        _ = Self.type(&state, "nonsense")
        _ = Self.press(&state, .enter)
        #expect(state.toast?.contains("Unknown command") == true)
        #expect(Self.press(&state, .character(":")) == [])
        _ = Self.type(&state, "q")
        #expect(Self.press(&state, .enter) == [.quit])
    }

    @Test func pagingLoadsMoreOnDemand() {
        var state = Self.state()
        _ = Self.press(&state, .character("3"))
        // PgDn into the last page of what is loaded asks for the next page, once.
        let effects = Self.press(&state, .pageDown)
        #expect(state.selectedIndex == state.pageSize)
        #expect(effects == [.load(.certificates, filter: "", cursor: "cursor-2")])
        #expect(Self.press(&state, .pageDown).isEmpty, "a second request while the first is loading")
        // End does the same from the top.
        var fresh = Self.state()
        _ = Self.press(&fresh, .character("3"))
        #expect(Self.press(&fresh, .end) == [.load(.certificates, filter: "", cursor: "cursor-2")])
        #expect(fresh.selectedIndex == 29)
        // Appended rows keep the selection where it was.
        let selected = state.selectedRow?.id
        _ = ConsoleReducer.reduce(
            &state, .loaded(.certificates, rows: [Self.row("2000", [" ", "2000", "late", "active", "x"])], nextCursor: "", appended: true))
        #expect(state.visibleRows().count == 31)
        #expect(state.selectedRow?.id == selected)
    }

    @Test func localFilterAndServerFilter() {
        var state = Self.state()
        _ = Self.press(&state, .character("/"))
        _ = Self.type(&state, "OPS")
        #expect(Self.press(&state, .enter) == [])  // provisioners filter locally
        #expect(state.visibleRows().map(\.id) == ["ops"])
        _ = Self.press(&state, .escape)
        #expect(state.visibleRows().count == 2)
        _ = Self.press(&state, .character("3"), .character("/"))
        _ = Self.type(&state, "web")
        #expect(Self.press(&state, .enter) == [.load(.certificates, filter: "web", cursor: nil)])
        #expect(state.filters[.certificates] == "web")
        // An answer to an older search (here: the unfiltered list) arriving late is dropped.
        _ = ConsoleReducer.reduce(
            &state,
            .loaded(.certificates, rows: [Self.row("9", [" ", "9", "stale.internal", "active", "x"])], nextCursor: "", appended: false, filter: ""))
        #expect(state.loading.contains(.certificates))
        #expect(!state.visibleRows().contains { $0.id == "9" })
        _ = ConsoleReducer.reduce(
            &state,
            .loaded(.certificates, rows: [Self.row("7", [" ", "7", "web.internal", "active", "x"])], nextCursor: "", appended: false, filter: "web"))
        #expect(state.visibleRows().map(\.id) == ["7"])
        #expect(!state.loading.contains(.certificates))
    }

    @Test func selectionFollowsTheObjectAcrossRefresh() {
        var state = Self.state()
        _ = Self.press(&state, .down)
        #expect(state.selectedRow?.id == "ops")
        _ = ConsoleReducer.reduce(
            &state,
            .loaded(
                .provisioners,
                rows: [Self.row("aaa", ["aaa", "ACME", ""]), Self.row("admin", ["admin", "JWK", ""]), Self.row("ops", ["ops", "JWK", ""])],
                nextCursor: "", appended: false))
        #expect(state.selectedRow?.id == "ops")
        #expect(state.selectedIndex == 2)
    }

    @Test func revokeNeedsTheTypedDigits() {
        var state = Self.state()
        _ = Self.press(&state, .character("3"), .down)
        _ = Self.press(&state, .character("R"))
        guard case .confirm(let confirmation, _) = state.mode else {
            Issue.record("no confirmation")
            return
        }
        #expect(confirmation.expected == "1001")
        _ = Self.type(&state, "0000")
        #expect(Self.press(&state, .enter) == [])
        #expect(state.toast?.contains("Type 1001") == true)
        _ = Self.press(&state, .backspace, .backspace, .backspace, .backspace, .tab)
        _ = Self.type(&state, "1001")
        #expect(Self.press(&state, .enter) == [.revokeCertificate(serial: "1001", reasonCode: 4)])
        #expect(state.mode == .normal)
        // Already revoked certificates are refused before asking.
        _ = Self.press(&state, .character("g"), .down, .down, .down, .down, .down)
        _ = Self.press(&state, .character("R"))
        #expect(state.mode == .normal)
        #expect(state.toast?.contains("already revoked") == true)
        // Esc cancels.
        _ = Self.press(&state, .down, .character("R"), .escape)
        #expect(state.mode == .normal)
    }

    @Test func adminProtections() {
        var state = Self.state()
        _ = Self.press(&state, .character("2"))
        _ = Self.press(&state, .character("d"))  // step = me
        #expect(state.mode == .normal)
        #expect(state.toast?.contains("logged in with") == true)
        _ = Self.press(&state, .down, .character("p"))  // promote alice
        guard case .confirm(let c, _) = state.mode else {
            Issue.record("no confirmation")
            return
        }
        #expect(c.effect == .setAdminRole(id: "a2", superAdmin: true))
        _ = Self.press(&state, .escape)
        // With bob the only other super admin, demoting bob is allowed (step remains).
        _ = Self.press(&state, .down, .character("p"))
        guard case .confirm(let demote, _) = state.mode else {
            Issue.record("no confirmation")
            return
        }
        #expect(demote.expected == "demote")
        _ = Self.press(&state, .escape)
        // Make bob the last super admin other than step... step is protected as "me"; a sole super admin is protected too.
        _ = ConsoleReducer.reduce(
            &state,
            .loaded(
                .admins, rows: [Self.row("a3", ["bob", "ops", "SUPER_ADMIN"]), Self.row("a2", ["alice", "admin", "ADMIN"])], nextCursor: "",
                appended: false))
        _ = Self.press(&state, .character("g"), .character("d"))
        #expect(state.toast?.contains("last super admin") == true)
    }

    @Test func roleAndReadOnlyGating() {
        var plain = Self.state(role: "ADMIN")
        _ = Self.press(&plain, .character("2"), .down, .character("d"))
        #expect(plain.mode == .normal)
        #expect(plain.toast?.contains("requires SUPER_ADMIN") == true)
        _ = Self.press(&plain, .character("3"), .character("R"))
        guard case .confirm = plain.mode else {
            Issue.record("an ADMIN may revoke")
            return
        }

        var readOnly = Self.state(readOnly: true)
        _ = Self.press(&readOnly, .character("3"), .character("R"))
        #expect(readOnly.mode == .normal)
        #expect(readOnly.toast?.contains("Read-only") == true)
        let screen = ConsoleRenderer.render(readOnly, width: 120, height: 30)
        #expect(!screen.lines.last!.contains("R revoke"))
    }

    @Test func errorsAreStickyAndRecover() {
        var state = Self.state()
        _ = ConsoleReducer.reduce(&state, .failed("cannot connect to the CA"))
        #expect(state.stale)
        _ = Self.press(&state, .down)  // keys do not clear it
        #expect(state.error == "cannot connect to the CA")
        #expect(ConsoleRenderer.render(state, width: 120, height: 30).lines[28].contains("✗ stale · 2 provisioners · error: cannot connect"))
        _ = ConsoleReducer.reduce(&state, .loaded(.provisioners, rows: [], nextCursor: "", appended: false))
        #expect(!state.stale)
        #expect(state.error == nil)
    }

    @Test func changesReloadTheAffectedViews() {
        var state = Self.state()
        let effects = ConsoleReducer.reduce(&state, .changed(kind: "revocation"))
        #expect(
            Set(effects) == [
                .load(.certificates, filter: "", cursor: nil), .load(.revocations, filter: "", cursor: nil), .load(.audit, filter: "", cursor: nil),
            ])
        // Already loading views are not asked twice.
        #expect(ConsoleReducer.reduce(&state, .changed(kind: "certificate")).isEmpty)
    }

    @Test func ctrlCAndQQuit() {
        var state = Self.state()
        #expect(Self.press(&state, .controlC) == [.quit])
        _ = Self.press(&state, .character("?"))
        #expect(state.mode == .help)
        #expect(Self.press(&state, .character("q")) == [])  // q closes the overlay first
        #expect(Self.press(&state, .character("q")) == [.quit])
    }
}
