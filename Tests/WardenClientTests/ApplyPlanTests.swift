import Foundation
import Testing
import WardenClient
import WardenCore

@Suite struct ApplyPlanTests {
    static let adminProvisioner = LinkedProvisioner(
        id: UUID(), type: .jwk, name: "admin", details: ["publicKey": .string("eyJrdHkiOiJFQyIsImtpZCI6ImsifQ==")],
        claims: .parse(#"{"x509":{"enabled":true,"durations":{"default":"8h"}}}"#))
    static let me = Admin(id: UUID(), subject: "step", provisionerID: adminProvisioner.id, role: .superAdmin, createdAt: Date(), updatedAt: Date())

    func desired(_ yamlLike: String) throws -> DesiredState {
        try DesiredState(document: .parse(yamlLike))
    }

    @Test func theCurrentStateIsAFixedPoint() throws {
        let state = DesiredState(provisioners: [Self.adminProvisioner], admins: [Self.me])
        let plan = try ApplyPlan(
            desired: try DesiredState(document: state.document), current: [Self.adminProvisioner], admins: [Self.me], prune: true, caller: Self.me.id)
        #expect(plan.changes.isEmpty)
    }

    @Test func fieldLevelDiffsCreatesAndPrunes() throws {
        let other = LinkedProvisioner(id: UUID(), type: .acme, name: "acme", details: [:])
        let bob = Admin(id: UUID(), subject: "bob", provisionerID: other.id, role: .admin, createdAt: Date(), updatedAt: Date())
        let file = try desired(
            #"""
            {"provisioners":[
              {"name":"admin","type":"JWK","details":{"publicKey":"eyJrdHkiOiJFQyIsImtpZCI6ImsifQ"},"claims":{"x509":{"enabled":true,"durations":{"default":"8h","max":"12h"}}}},
              {"name":"idp","type":"OIDC","details":{"clientId":"c","configurationEndpoint":"https://idp/.well-known/openid-configuration"}}],
             "admins":[{"subject":"step","provisioner":"admin","role":"SUPER_ADMIN"},{"subject":"carol","provisioner":"idp"}]}
            """#)
        let plan = try ApplyPlan(desired: file, current: [Self.adminProvisioner, other], admins: [Self.me, bob], prune: true, caller: Self.me.id)
        #expect(
            plan.changes.map(\.description).sorted() == [
                "+ admin carol (idp, ADMIN)", "+ provisioner idp (OIDC)", "- admin bob (acme)", "- provisioner acme",
                "~ provisioner admin: claims.x509.durations.max",
            ])
        let withoutPrune = try ApplyPlan(
            desired: file, current: [Self.adminProvisioner, other], admins: [Self.me, bob], prune: false, caller: Self.me.id)
        #expect(withoutPrune.changes.count == 3)
    }

    @Test func lockOutPlansAreRefused() throws {
        let demoteMe = try desired(#"{"provisioners":[],"admins":[{"subject":"step","provisioner":"admin","role":"ADMIN"}]}"#)
        #expect {
            try ApplyPlan(desired: demoteMe, current: [Self.adminProvisioner], admins: [Self.me], prune: false, caller: Self.me.id)
        } throws: { ($0 as? WardenError)?.message == "refusing the plan: it would leave no super admin" }
        let nobody = try desired(#"{"provisioners":[],"admins":[]}"#)
        #expect {
            try ApplyPlan(desired: nobody, current: [Self.adminProvisioner], admins: [Self.me], prune: true, caller: Self.me.id)
        } throws: { ($0 as? WardenError)?.message == "refusing the plan: it would leave no super admin" }
        // Another super admin remains, but the plan removes the caller's own account.
        let other = Admin(
            id: UUID(), subject: "root2", provisionerID: Self.adminProvisioner.id, role: .superAdmin, createdAt: Date(), updatedAt: Date())
        let removeMe = try desired(
            #"{"provisioners":[{"name":"admin","type":"JWK","details":{"publicKey":"eyJrdHkiOiJFQyIsImtpZCI6ImsifQ"},"claims":{"x509":{"enabled":true,"durations":{"default":"8h"}}}}],"admins":[{"subject":"root2","provisioner":"admin","role":"SUPER_ADMIN"}]}"#
        )
        #expect {
            try ApplyPlan(desired: removeMe, current: [Self.adminProvisioner], admins: [Self.me, other], prune: true, caller: Self.me.id)
        } throws: { ($0 as? WardenError)?.message == "refusing the plan: it would remove the admin you are authenticated as (step)" }
        // The same plan run by root2 is fine.
        _ = try ApplyPlan(desired: removeMe, current: [Self.adminProvisioner], admins: [Self.me, other], prune: true, caller: other.id)
    }

    @Test func invalidFilesNameTheEntry() {
        #expect { try DesiredState(document: .parse(#"{"provisioners":[{"name":"x","type":"JWK","details":{}}]}"#)) } throws: {
            ($0 as? WardenError)?.message.hasPrefix("provisioners[0] (x)") == true
        }
        #expect { try DesiredState(document: .parse(#"{"admins":[{"subject":"a","provisioner":"p","role":"KING"}]}"#)) } throws: {
            ($0 as? WardenError)?.message.hasPrefix("admins[0].role") == true
        }
        #expect { try DesiredState(document: .parse(#"{"provisioner":[]}"#)) } throws: {
            ($0 as? WardenError)?.message.contains("unknown top-level key") == true
        }
    }

    /// An entry written as in ca.json becomes the same linkedca document as the exported form of it.
    @Test func caJSONSpellingsEqualTheExportedForm() throws {
        let caJSON = try DesiredState(
            document: .object([
                "provisioners": .array([
                    .object([
                        "name": .string("acme"), "type": .string("ACME"), "challenges": .array([.string("dns-01")]),
                        "claims": .object(["maxTLSCertDuration": .string("24h")]),
                    ])
                ])
            ]))
        let exported = try DesiredState(
            document: .object([
                "provisioners": .array([
                    .object([
                        "name": .string("acme"), "type": .string("ACME"), "details": .object(["challenges": .array([.string("DNS_01")])]),
                        "claims": .object(["x509": .object(["enabled": .bool(true), "durations": .object(["max": .string("24h0m0s")])])]),
                    ])
                ])
            ]))
        #expect(caJSON == exported)
        #expect(
            throws: WardenError.badRequest(
                "provisioners[0] (t).options.x509.templateFile: apply does not read files; put the template in options.x509.template")
        ) {
            try DesiredState(
                document: .object([
                    "provisioners": .array([
                        .object([
                            "name": .string("t"), "type": .string("X5C"), "roots": .string("x"),
                            "options": .object(["x509": .object(["templateFile": .string("/etc/t.tpl")])]),
                        ])
                    ])
                ]))
        }
    }
}

extension JSONValue {
    static func parse(_ text: String) -> JSONValue {
        (try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))) ?? .null
    }
}
