import Foundation
import Testing
import WardenConsoleCore

@Suite struct ConsoleRendererTests {
    @Test(arguments: [(80, 24), (60, 15), (200, 50)])
    func framesFillTheTerminalExactly(width: Int, height: Int) {
        var state = ConsoleReducerTests.state()
        _ = ConsoleReducer.reduce(&state, .resized(width: width, height: height))
        for view in ["1", "2", "3"] {
            _ = ConsoleReducer.reduce(&state, .key(.character(Character(view))))
            let screen = ConsoleRenderer.render(state, width: width, height: height)
            #expect(screen.lines.count == height)
            #expect(screen.lines.allSatisfy { DisplayWidth.of($0) == width }, "\(screen.text)")
            #expect(screen.lines[0].contains("step (SUPER_ADMIN)") || width < 80)
            #expect(screen.selectedLine != nil)
            #expect(screen.lines[screen.selectedLine!].hasPrefix(">"))
        }
    }

    @Test func snapshot80x24() {
        var state = ConsoleReducerTests.state()
        _ = ConsoleReducer.reduce(&state, .resized(width: 80, height: 24))
        _ = ConsoleReducer.reduce(&state, .key(.character("3")))
        let screen = ConsoleRenderer.render(state, width: 80, height: 24)
        #expect(screen.lines[0] == " Warden ▸ https://ca.test:9443 ▸ Certificates                step (SUPER_ADMIN) ")
        #expect(screen.lines[1].hasPrefix("  1 Provisioners   2 Admins  [3 Certificates]  4 Revocations   5 Audit"))
        #expect(screen.lines[2].hasPrefix("    SERIAL"))
        #expect(screen.lines[3].hasPrefix(">   1000"))
        #expect(screen.lines[22].hasPrefix(" ● live · 30+ certificates"))
        #expect(screen.lines[23].hasPrefix(" ? help  / filter  : cmd  Enter details  r refresh  q quit  R revoke"))
        // 80 columns is below the split width: no detail pane, Enter opens details full screen.
        #expect(!screen.lines[3].contains("│"))
        _ = ConsoleReducer.reduce(&state, .key(.enter))
        let details = ConsoleRenderer.render(state, width: 80, height: 24)
        #expect(details.lines[2].hasPrefix(" Details"))
        #expect(details.text.contains("Serial (hex)"))
    }

    @Test func wideTerminalsSplitListAndDetails() {
        let state = ConsoleReducerTests.state()
        let screen = ConsoleRenderer.render(state, width: 200, height: 50)
        #expect(screen.lines[3].contains("│"))
        #expect(screen.lines[2].contains("│  ID"))
        #expect(screen.lines[3].contains("Serial (hex)"))
    }

    @Test func tooSmall() {
        let screen = ConsoleRenderer.render(ConsoleReducerTests.state(), width: 59, height: 20)
        #expect(screen.lines[0].hasPrefix("terminal too small (need 60×15, have 59×20)"))
        #expect(ConsoleRenderer.render(ConsoleReducerTests.state(), width: 70, height: 14).lines[0].hasPrefix("terminal too small"))
    }

    @Test func wideCharactersKeepColumnsAligned() {
        #expect(DisplayWidth.of("日本") == 4)
        #expect(DisplayWidth.of("é") == 1)
        #expect(DisplayWidth.of("e\u{301}") == 1)
        #expect(DisplayWidth.fit("日本語のサービス", 7) == "日本語…")
        #expect(DisplayWidth.of(DisplayWidth.fit("日本語のサービス", 8)) == 8)
        var state = ConsoleReducerTests.state()
        _ = ConsoleReducer.reduce(
            &state,
            .loaded(.provisioners, rows: [ConsoleRow(id: "x", cells: ["日本語のプロビジョナー", "JWK", "-"], detail: [])], nextCursor: "", appended: false))
        let screen = ConsoleRenderer.render(state, width: 120, height: 30)
        #expect(screen.lines.allSatisfy { DisplayWidth.of($0) == 120 })
    }

    @Test func helpListsTheKeysOfTheView() {
        var state = ConsoleReducerTests.state()
        _ = ConsoleReducer.reduce(&state, .key(.character("3")))
        _ = ConsoleReducer.reduce(&state, .key(.character("?")))
        let text = ConsoleRenderer.render(state, width: 120, height: 30).text
        #expect(text.contains("Keys for Certificates"))
        #expect(text.contains("R              revoke"))
        var admin = ConsoleReducerTests.state(role: "ADMIN")
        _ = ConsoleReducer.reduce(&admin, .key(.character("2")))
        _ = ConsoleReducer.reduce(&admin, .key(.character("?")))
        #expect(ConsoleRenderer.render(admin, width: 120, height: 30).text.contains("disabled: needs SUPER_ADMIN"))
    }
}

@Suite struct ConsoleLineStyleTests {
    @Test func markersGetTheirStyleAndTheBannerIsMarked() {
        var state = ConsoleReducerTests.state()
        _ = ConsoleReducer.reduce(
            &state,
            .loaded(
                .certificates,
                rows: [
                    ConsoleReducerTests.row("1", [" ", "1", "ok.internal", "active", "2027-01-01"]),
                    ConsoleReducerTests.row("2", ["R", "2", "gone.internal", "revoked", "2027-01-01"]),
                    ConsoleReducerTests.row("3", ["!", "3", "soon.internal", "active", "2026-11-27"]),
                    ConsoleReducerTests.row("4", ["x", "4", "old.internal", "expired", "2026-01-01"]),
                ], nextCursor: "", appended: false))
        _ = ConsoleReducerTests.press(&state, .character("3"))
        let screen = ConsoleRenderer.render(state, width: 120, height: 30)
        #expect(screen.styles.count == screen.lines.count)
        #expect(screen.styles[0] == .banner)
        func style(_ text: String) -> ConsoleScreen.LineStyle? {
            screen.lines.firstIndex { $0.contains(text) }.map { screen.styles[$0] }
        }
        #expect(style("ok.internal") == .plain)
        #expect(style("gone.internal") == .revoked)
        #expect(style("soon.internal") == .expiring)
        #expect(style("old.internal") == .expired)
        #expect(style("SUBJECT") == .columnHeader)
    }

    @Test func countsAreGrammatical() {
        #expect(ConsoleView.admins.noun(count: 1) == "admin")
        #expect(ConsoleView.admins.noun(count: 3) == "admins")
        #expect(ConsoleView.audit.noun(count: 1) == "audit event")
        #expect(ConsoleView.audit.noun(count: 0) == "audit events")
        #expect(ConsoleView.certificates.noun(count: 2) == "certificates")
    }

    @Test func bannerToneIsStablePerCA() {
        let a = ConsoleIdentity(subject: "s", role: "ADMIN", caURL: "https://ca.prod:9443")
        #expect(a.bannerTone == ConsoleIdentity(subject: "t", role: "SUPER_ADMIN", caURL: "https://ca.prod:9443").bannerTone)
        #expect((0..<4).contains(a.bannerTone))
        // Different CAs get different colours (the point of the tone): four URLs, more than one tone.
        let tones = Set(
            ["https://ca.prod:9443", "https://ca.staging:9443", "https://localhost:9443", "https://10.0.0.1:443"].map {
                ConsoleIdentity(subject: "s", role: "ADMIN", caURL: $0).bannerTone
            })
        #expect(tones.count > 1, "\(tones)")
    }

    @Test func headerCountsDownToTheAdminCertificatesExpiry() {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        var state = ConsoleReducerTests.state()
        state.identity.certificateNotAfter = now.addingTimeInterval(5 * 3600 + 60)
        #expect(ConsoleRenderer.render(state, width: 120, height: 30, now: now).lines[0].contains("step (SUPER_ADMIN)  cert 5h"))
        state.identity.certificateNotAfter = now.addingTimeInterval(30 * 86400)
        #expect(ConsoleRenderer.render(state, width: 120, height: 30, now: now).lines[0].contains("cert 30d"))
        state.identity.certificateNotAfter = now.addingTimeInterval(-1)
        #expect(ConsoleRenderer.render(state, width: 120, height: 30, now: now).lines[0].contains("cert EXPIRED"))
    }
}
