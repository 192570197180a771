import Testing
import WardenConsoleCore
import WardenCore

@Suite struct ConsoleFormTests {
    @Test func addAdminValidatesInlineBeforeSending() {
        var state = ConsoleReducerTests.state()
        _ = ConsoleReducerTests.press(&state, .character("2"), .character("a"))
        guard case .form = state.mode else {
            Issue.record("no form")
            return
        }
        // Empty subject, provisioner prefilled with the first one, role ADMIN.
        #expect(ConsoleReducerTests.press(&state, .enter) == [])
        guard case .form(let invalid) = state.mode else {
            Issue.record("form closed")
            return
        }
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
        _ = ConsoleReducerTests.press(&state, .tab, .tab)
        _ = ConsoleReducerTests.type(&state, "short")
        _ = ConsoleReducerTests.press(&state, .tab)
        _ = ConsoleReducerTests.type(&state, "other")
        #expect(ConsoleReducerTests.press(&state, .enter) == [])
        guard case .form(let form) = state.mode else {
            Issue.record("form closed")
            return
        }
        #expect(form.fields.map(\.error) == ["already exists", nil, "at least 8 characters", "does not match"])
        #expect(!ConsoleRenderer.render(state, width: 120, height: 30).text.contains("short"))  // secrets are masked
    }

    @Test func otherProvisionerTypesContinueInTheEditorWithATemplate() throws {
        var state = ConsoleReducerTests.state()
        _ = ConsoleReducerTests.press(&state, .character("n"))
        _ = ConsoleReducerTests.type(&state, "corp-sso")
        _ = ConsoleReducerTests.press(&state, .tab, .backspace, .backspace, .backspace)
        _ = ConsoleReducerTests.type(&state, "nonsense")
        #expect(ConsoleReducerTests.press(&state, .enter) == [])
        guard case .form(let refused) = state.mode else {
            Issue.record("form closed")
            return
        }
        #expect(refused.fields[1].error?.contains("OIDC") == true)
        for _ in 0..<8 { _ = ConsoleReducerTests.press(&state, .backspace) }
        _ = ConsoleReducerTests.type(&state, "oidc")
        // No password is needed for OIDC: the form closes and the editor opens on the type's template.
        let effects = ConsoleReducerTests.press(&state, .enter)
        #expect(state.mode == .normal)
        guard case .openEditor(let session)? = effects.first else {
            Issue.record("no editor: \(effects)")
            return
        }
        #expect(session.purpose == .createProvisioner)
        #expect(session.text.contains("\"clientId\" : \"\""))
        #expect(session.text.contains("\"name\" : \"corp-sso\""))
    }

    @Test func claimsFormPrefillsAndChecksBounds() {
        var state = ConsoleReducerTests.state()
        var claims = Claims()
        claims.defaultTLSCertDuration = GoDuration(parsing: "8h")
        claims.disableRenewal = true
        _ = ConsoleReducer.reduce(
            &state,
            .loaded(
                .provisioners, rows: [ConsoleRow(id: "ops", cells: ["ops", "JWK", "8h/-/-"], detail: [], claims: claims)], nextCursor: "",
                appended: false))
        _ = ConsoleReducerTests.press(&state, .character("c"))
        guard case .form(let form) = state.mode else {
            Issue.record("no form")
            return
        }
        #expect(form.fields.map(\.value) == ["8h0m0s", "", "", "yes", "no"])
        // min 1h, max 30m: refused under the min field with the CA's own words, nothing sent.
        _ = ConsoleReducerTests.press(&state, .tab)
        _ = ConsoleReducerTests.type(&state, "1h")
        _ = ConsoleReducerTests.press(&state, .tab)
        _ = ConsoleReducerTests.type(&state, "30m")
        #expect(ConsoleReducerTests.press(&state, .enter) == [])
        guard case .form(let refused) = state.mode else {
            Issue.record("form closed")
            return
        }
        #expect(refused.fields[1].error?.contains("cannot be greater than max duration") == true)
        _ = ConsoleReducerTests.press(&state, .backspace, .backspace, .backspace)
        _ = ConsoleReducerTests.type(&state, "720h")
        _ = ConsoleReducerTests.press(&state, .tab)
        _ = ConsoleReducerTests.press(&state, .backspace, .backspace, .backspace)
        _ = ConsoleReducerTests.type(&state, "maybe")
        #expect(ConsoleReducerTests.press(&state, .enter) == [])
        for _ in 0..<5 { _ = ConsoleReducerTests.press(&state, .backspace) }
        _ = ConsoleReducerTests.type(&state, "no")
        let expected = X509ClaimsEdit(
            defaultDuration: GoDuration(parsing: "8h"), minDuration: GoDuration(parsing: "1h"), maxDuration: GoDuration(parsing: "720h"),
            disableRenewal: false, allowRenewalAfterExpiry: false)
        #expect(ConsoleReducerTests.press(&state, .enter) == [.updateClaims(provisioner: "ops", expected)])
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
