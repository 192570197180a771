import Foundation
import Testing
import WardenConsoleCore
import WardenCore

@Suite struct ConsoleEditorTests {
    static let document = """
        {"type": "JWK", "name": "ops", "details": {"JWK": {"publicKey": "eyJrdHkiOiJFQyIsImtpZCI6ImsifQ"}}, "claims": {"x509": {"enabled": true}}}
        """

    @Test func editKeyReadsTheDocumentThenOpensTheEditor() {
        var state = ConsoleReducerTests.state()
        #expect(ConsoleReducerTests.press(&state, .down, .character("e")) == [.fetchProvisionerDocument(name: "ops")])
        let session = ConsoleEditorSession(purpose: .updateProvisioner(name: "ops"), text: Self.document)
        #expect(ConsoleReducer.reduce(&state, .editorReady(session)) == [.openEditor(session)])
        var readOnly = ConsoleReducerTests.state(readOnly: true)
        #expect(ConsoleReducerTests.press(&readOnly, .character("e")) == [])
    }

    @Test func templateKeyEditsTheX509TemplateAndTheCAJudgesIt() {
        var state = ConsoleReducerTests.state()
        #expect(ConsoleReducerTests.press(&state, .down, .character("t")) == [.fetchX509Template(name: "ops")])
        let session = ConsoleEditorSession(purpose: .updateX509Template(name: "ops"), text: "{}")
        #expect(ConsoleReducer.reduce(&state, .editorReady(session)) == [.openEditor(session)])
        // Any text goes to the CA (which parses and renders it); the same text is no change.
        let edited = #"{"subject": {{ toJson .Subject }}"#
        var sent = session
        sent.text = edited
        #expect(ConsoleReducer.reduce(&state, .editorFinished(session, text: edited)) == [.saveProvisioner(sent, document: .string(edited))])
        #expect(ConsoleReducer.reduce(&state, .editorFinished(session, text: "{}")) == [])
        // The CA's refusal is shown in place with the text kept; e opens it again.
        _ = ConsoleReducer.reduce(&state, .editorRejected(sent, message: "x509 template: template: ops:1:30: unclosed action"))
        #expect(state.mode == .editorFailed(sent, message: "x509 template: template: ops:1:30: unclosed action"))
        #expect(ConsoleReducerTests.press(&state, .character("e")) == [.openEditor(sent)])
        var readOnly = ConsoleReducerTests.state(readOnly: true)
        #expect(ConsoleReducerTests.press(&readOnly, .character("t")) == [])
    }

    @Test func unchangedOrFailedEditsSendNothing() {
        var state = ConsoleReducerTests.state()
        let session = ConsoleEditorSession(purpose: .updateProvisioner(name: "ops"), text: Self.document)
        #expect(ConsoleReducer.reduce(&state, .editorFinished(session, text: Self.document)) == [])
        #expect(state.toast?.contains("No changes") == true)
        #expect(ConsoleReducer.reduce(&state, .editorFinished(session, text: nil)) == [])
        #expect(state.toast?.contains("exited with an error") == true)
    }

    @Test func invalidDocumentsAreRefusedLocallyAndKeptForAnotherTry() {
        var state = ConsoleReducerTests.state()
        let session = ConsoleEditorSession(purpose: .updateProvisioner(name: "ops"), text: Self.document)
        let broken = Self.document.replacingOccurrences(of: "\"claims\"", with: "claims")
        #expect(ConsoleReducer.reduce(&state, .editorFinished(session, text: broken)) == [])
        guard case .editorFailed(let kept, let message) = state.mode else {
            Issue.record("not refused")
            return
        }
        #expect(message.hasPrefix("not valid JSON"))
        #expect(kept.text == broken)
        let screen = ConsoleRenderer.render(state, width: 100, height: 30)
        #expect(screen.text.contains("✗ not valid JSON"))
        #expect(screen.styles[screen.lines.firstIndex { $0.contains("✗ not valid JSON") }!] == .error)
        // e reopens the editor on the text as the operator left it.
        #expect(ConsoleReducerTests.press(&state, .character("e")) == [.openEditor(kept)])
        // A bound the CA would refuse is refused here first, naming the field.
        let badClaims = Self.document.replacingOccurrences(of: "{\"enabled\": true}", with: "{\"durations\": {\"min\": \"2h\", \"max\": \"1h\"}}")
        _ = ConsoleReducer.reduce(&state, .editorFinished(kept, text: badClaims))
        guard case .editorFailed(_, let bounds) = state.mode else {
            Issue.record("not refused")
            return
        }
        #expect(bounds.hasPrefix("claims.x509.durations.min"))
        _ = ConsoleReducerTests.press(&state, .escape)
        #expect(state.mode == .normal)
    }

    @Test func validEditsAreSentAndTheCAsRefusalReturnsToTheDocument() throws {
        var state = ConsoleReducerTests.state()
        let session = ConsoleEditorSession(purpose: .updateProvisioner(name: "ops"), text: Self.document)
        let edited = Self.document.replacingOccurrences(of: "{\"enabled\": true}", with: "{\"enabled\": true, \"durations\": {\"default\": \"2h\"}}")
        let effects = ConsoleReducer.reduce(&state, .editorFinished(session, text: edited))
        guard case .saveProvisioner(let sent, let document)? = effects.first else {
            Issue.record("nothing sent")
            return
        }
        #expect(document["claims"]?["x509"]?["durations"]?["default"] == .string("2h"))
        #expect(sent.text == edited)
        _ = ConsoleReducer.reduce(&state, .editorRejected(sent, message: "provisioner with name ops already exists"))
        guard case .editorFailed(_, let message) = state.mode else {
            Issue.record("refusal not shown")
            return
        }
        #expect(message.contains("already exists"))
    }

    @Test func aNewDocumentDropsTheTemplatesEmptyFields() {
        var state = ConsoleReducerTests.state()
        let template = LinkedProvisionerTemplate.document(type: .acme, name: "acme").editableText
        let session = ConsoleEditorSession(purpose: .createProvisioner, text: template)
        // The template as given is a valid ACME provisioner once its empty fields are dropped.
        let effects = ConsoleReducer.reduce(
            &state, .editorFinished(session, text: template.replacingOccurrences(of: "\"forceCn\" : false", with: "\"forceCn\" : true")))
        guard case .saveProvisioner(_, let document)? = effects.first else {
            Issue.record("nothing sent: \(state.mode)")
            return
        }
        #expect(document["details"]?["ACME"] == .object(["forceCn": .bool(true)]))
        #expect(document["claims"] == .object(["x509": .object(["enabled": .bool(true)])]))
    }

    @Test func bangShowsTheWholeError() {
        var state = ConsoleReducerTests.state()
        _ = ConsoleReducerTests.press(&state, .character("!"))
        #expect(state.mode == .normal)
        #expect(state.toast == "No error to show")
        _ = ConsoleReducer.reduce(
            &state,
            .failed(
                "the CA rejected our client certificate",
                detail: "while: loading admins\nHTTP 401 from GET /admin/admins\nbody: {\"type\":\"unauthorized\"}\nclient certificate: CN=step"))
        let status = ConsoleRenderer.render(state, width: 120, height: 30)
        #expect(status.lines[28].contains("(! details)"))
        #expect(status.styles[28] == .error)
        _ = ConsoleReducerTests.press(&state, .character("!"))
        #expect(state.mode == .errorDetails)
        let screen = ConsoleRenderer.render(state, width: 120, height: 30).text
        #expect(screen.contains("HTTP 401 from GET /admin/admins"))
        #expect(screen.contains("client certificate: CN=step"))
        _ = ConsoleReducerTests.press(&state, .escape)
        #expect(state.mode == .normal)
    }

    @Test func longErrorDetailsScrollOnASmallTerminal() {
        var state = ConsoleReducerTests.state()
        _ = ConsoleReducer.reduce(&state, .resized(width: 60, height: 15))
        let detail = (1...30).map { "line \($0) of the server's answer" }.joined(separator: "\n")
        _ = ConsoleReducer.reduce(&state, .failed("boom", detail: detail))
        _ = ConsoleReducerTests.press(&state, .character("!"))
        var screen = ConsoleRenderer.render(state, width: 60, height: 15).text
        #expect(screen.contains("Last error"))
        #expect(screen.contains("more (j/k scroll)"))
        #expect(!screen.contains("line 30 of"))
        for _ in 0..<40 { _ = ConsoleReducerTests.press(&state, .character("j")) }
        screen = ConsoleRenderer.render(state, width: 60, height: 15).text
        #expect(screen.contains("Last error"))  // the title stays
        #expect(screen.contains("line 30 of"))
        #expect(state.mode == .errorDetails)
        _ = ConsoleReducerTests.press(&state, .escape)
        #expect(state.overlayScroll == 0)
    }
}
