import Testing
import WardenConsoleCore

@Suite struct ConsoleFormTests {
    @Test func addAdminValidatesInlineBeforeSending() {
        var state = ConsoleReducerTests.state()
        _ = ConsoleReducerTests.press(&state, .character("2"), .character("a"))
        guard case .form = state.mode else { Issue.record("no form"); return }
        // Empty subject, provisioner prefilled with the first one, role ADMIN.
        #expect(ConsoleReducerTests.press(&state, .enter) == [])
        guard case .form(let invalid) = state.mode else { Issue.record("form closed"); return }
        #expect(invalid.fields[0].error == "required")
        let screen = ConsoleRenderer.render(state, width: 120, height: 30).text
        #expect(screen.contains("✗ Subject: required"))
        _ = ConsoleReducerTests.type(&state, "carol")
        _ = ConsoleReducerTests.press(&state, .tab, .tab)
        for _ in 0..<5 { _ = ConsoleReducerTests.press(&state, .backspace) }
        _ = ConsoleReducerTests.type(&state, "SUPER_ADMIN")
        #expect(ConsoleReducerTests.press(&state, .enter) == [.createAdmin(subject: "carol", provisioner: "admin", superAdmin: true)])
        // The server's refusal is shown in the form, which stays open; success closes it.
        _ = ConsoleReducer.reduce(&state, .formFailed("admin with subject carol and provisioner admin already exists"))
        #expect(ConsoleRenderer.render(state, width: 120, height: 30).text.contains("the CA refused it: admin with subject carol"))
        _ = ConsoleReducer.reduce(&state, .succeeded("Admin carol added", reload: [.admins]))
        #expect(state.mode == .normal)
    }

    @Test func jwkProvisionerFormChecksNamesAndPasswords() {
        var state = ConsoleReducerTests.state()
        _ = ConsoleReducerTests.press(&state, .character("a"))
        _ = ConsoleReducerTests.type(&state, "ops")
        _ = ConsoleReducerTests.press(&state, .tab)
        _ = ConsoleReducerTests.type(&state, "short")
        _ = ConsoleReducerTests.press(&state, .tab)
        _ = ConsoleReducerTests.type(&state, "other")
        #expect(ConsoleReducerTests.press(&state, .enter) == [])
        guard case .form(let form) = state.mode else { Issue.record("form closed"); return }
        #expect(form.fields.map(\.error) == ["already exists", "at least 8 characters", "does not match"])
        #expect(!ConsoleRenderer.render(state, width: 120, height: 30).text.contains("short"))  // secrets are masked
    }

    @Test func formsAreGated() {
        var admin = ConsoleReducerTests.state(role: "ADMIN")
        _ = ConsoleReducerTests.press(&admin, .character("2"), .character("a"))
        #expect(admin.mode == .normal)
        var readOnly = ConsoleReducerTests.state(readOnly: true)
        _ = ConsoleReducerTests.press(&readOnly, .character("a"))
        #expect(readOnly.mode == .normal)
    }
}
