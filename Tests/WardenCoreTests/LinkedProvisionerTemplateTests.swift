import Testing
import WardenCore

@Suite struct LinkedProvisionerTemplateTests {
    /// Every type's template lists its fields; left empty it is either a valid document or refused naming the
    /// required field, so the operator learns what to fill in.
    @Test(arguments: ProvisionerType.allCases) func templatesAreValidOrNameTheMissingField(type: ProvisionerType) {
        let template = LinkedProvisionerTemplate.document(type: type, name: "p")
        let reparsed = try? JSONValue(editedText: template.editableText)
        #expect(reparsed == template)
        let required: [ProvisionerType: String] = [.jwk: "publicKey", .oidc: "clientId", .azure: "tenantId", .x5c: "roots", .nebula: "roots"]
        do {
            let document = try LinkedProvisionerDocument(parsing: LinkedProvisionerTemplate.droppingEmptyFields(template))
            #expect(required[type] == nil, "\(type) parsed without its required field")
            #expect(document.type == type)
        } catch {
            #expect(required[type].map { error.message.contains($0) } == true, "\(type): \(error.message)")
        }
    }

    @Test func claimsEditKeepsWhatItDoesNotOwn() {
        let current: JSONValue = .object([
            "x509": .object(["enabled": .bool(true), "durations": .object(["min": .string("1h")])]),
            "ssh": .object(["enabled": .bool(true)]),
            "disableSmallstepExtensions": .bool(true),
        ])
        let edit = X509ClaimsEdit(
            defaultDuration: GoDuration(parsing: "24h"), minDuration: nil, maxDuration: GoDuration(parsing: "48h"), disableRenewal: true,
            allowRenewalAfterExpiry: false)
        let applied = edit.applied(to: current)
        #expect(applied["x509"]?["durations"] == .object(["default": .string("24h0m0s"), "max": .string("48h0m0s")]))
        #expect(applied["ssh"] == current["ssh"])
        #expect(applied["disableSmallstepExtensions"] == .bool(true))
        #expect(applied["disableRenewal"] == .bool(true))
        #expect(X509ClaimsEdit(current: LinkedClaims.toClaims(applied)) == edit)
    }

    @Test func brokenJSONSaysWhere() {
        #expect(throws: WardenError.badRequest("")) { try JSONValue(editedText: "{\"a\": }") }
    }
}
