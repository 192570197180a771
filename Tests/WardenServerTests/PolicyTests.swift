import Foundation
import Testing
import WardenClient
import WardenCore
import WardenPKI
import WardenServer
import WardenStore
import WardenTestSupport

/// Certificate issuance policies through the real server: the authority policy managed by step's admin routes,
/// a provisioner's own policy, deny winning, the lock-out refusal, and who may change them.
@Suite
struct PolicyTests {
    static let policy = JSONValue.parse(
        #"{"x509":{"allow":{"dns":["*.svc.internal","step","alice"]},"deny":{"dns":["admin.svc.internal"]}}}"#)

    static func issue(_ ca: RunningCA, _ subject: String, sans: [String]) async throws -> (status: Int, body: String) {
        let answer = try await TemplateIssuanceTests.sign(ca, subject: subject, sans: sans, templateData: nil)
        return (answer.status, answer.body)
    }

    @Test func theAuthorityPolicyIsEnforcedOnEveryIssuance() async throws {
        try await RunningCA.with(remoteManagement: true) { ca in
            let cast = try await PrivilegeBoundaryTests.cast(ca)
            // Before any policy everything the token names is issued.
            #expect(try await Self.issue(ca, "db.other.internal", sans: ["db.other.internal"]).status == 201)

            // A policy that would lock the super admin out is refused, naming them.
            let lockout = JSONValue.parse(#"{"x509":{"allow":{"dns":["*.svc.internal"]}}}"#)
            let refused = try await cast.fixture.client(cast.step) { try await $0.json("POST", "/admin/policy", lockout) }
            expectAdminError(refused, 400, "badRequest", "step (admin)")
            #expect(try await cast.fixture.client(cast.step) { try await $0.json("GET", "/admin/policy") }.status == 404)

            // An ADMIN may not set the authority policy.
            let byAlice = try await cast.fixture.client(cast.alice) { try await $0.json("POST", "/admin/policy", Self.policy) }
            expectAdminError(byAlice, 403, "forbidden", "only a super admin may change the authority policy")

            let created = try await cast.fixture.client(cast.step) { try await $0.json("POST", "/admin/policy", Self.policy) }
            #expect(created.status == 201, "\(created.body)")
            let read = try await cast.fixture.client(cast.step) { try await $0.json("GET", "/admin/policy") }
            #expect(read.body["x509"]?["deny"]?["dns"] == .array([.string("admin.svc.internal")]))
            let again = try await cast.fixture.client(cast.step) { try await $0.json("POST", "/admin/policy", Self.policy) }
            expectAdminError(again, 409, "conflict", "authority already has a policy")

            // allow: a subdomain of svc.internal; deny wins; other names and kinds are refused, with the reason.
            #expect(try await Self.issue(ca, "api.svc.internal", sans: ["api.svc.internal"]).status == 201)
            let denied = try await Self.issue(ca, "admin.svc.internal", sans: ["admin.svc.internal"])
            #expect(denied.status == 403)
            #expect(denied.body.contains(#"matches the deny rule \"admin.svc.internal\""#), "\(denied.body)")
            let other = try await Self.issue(ca, "db.other.internal", sans: ["db.other.internal"])
            #expect(other.status == 403)
            #expect(other.body.contains("is not allowed by the authority policy"), "\(other.body)")
            let ip = try await Self.issue(ca, "api.svc.internal", sans: ["api.svc.internal", "10.0.0.1"])
            #expect(ip.status == 403)
            #expect(ip.body.contains(#"ip address \"10.0.0.1\""#), "\(ip.body)")
            // Admins still get their certificates (the lock-out check let this policy through).
            _ = try await cast.fixture.identity("step")

            // PUT changes it, DELETE removes it; each is audited.
            let widened = JSONValue.parse(#"{"x509":{"allow":{"dns":["*.svc.internal","*.other.internal","step","alice"]}}}"#)
            #expect(try await cast.fixture.client(cast.step) { try await $0.json("PUT", "/admin/policy", widened) }.status == 200)
            #expect(try await Self.issue(ca, "db.other.internal", sans: ["db.other.internal"]).status == 201)
            #expect(try await cast.fixture.client(cast.step) { try await $0.json("DELETE", "/admin/policy") }.status == 200)
            #expect(try await Self.issue(ca, "anything.example", sans: ["anything.example"]).status == 201)
            #expect(try await TestDatabase.count("audit_events", in: ca.database, where: "action LIKE 'policy.%' AND outcome = 'success'") == 3)
        }
    }

    @Test func aProvisionersOwnPolicyAppliesToItsCertificates() async throws {
        try await RunningCA.with(remoteManagement: true) { ca in
            let cast = try await PrivilegeBoundaryTests.cast(ca)
            // The `admin` provisioner (it holds step) gets a policy of its own: allow *.team.internal and step.
            guard case .object(var document) = try await PrivilegeBoundaryTests.adminDocument(cast.fixture, cast.step) else { return }
            document["policy"] = .parse(#"{"x509":{"allow":{"dns":["*.team.internal","step"]}}}"#)
            let withPolicy = JSONValue.object(document)
            // Without step among the allowed names, step would be locked out: refused.
            document["policy"] = .parse(#"{"x509":{"allow":{"dns":["*.team.internal"]}}}"#)
            let lockout = JSONValue.object(document)
            let refused = try await cast.fixture.client(cast.step) { try await $0.json("PUT", "/admin/provisioners/admin", lockout) }
            expectAdminError(refused, 400, "badRequest", "step (admin)")
            #expect(try await cast.fixture.client(cast.step) { try await $0.json("PUT", "/admin/provisioners/admin", withPolicy) }.status == 200)
            #expect(try await Self.issue(ca, "web.team.internal", sans: ["web.team.internal"]).status == 201)
            let outside = try await Self.issue(ca, "web.elsewhere.internal", sans: ["web.elsewhere.internal"])
            #expect(outside.status == 403)
            #expect(outside.body.contains("is not allowed by the policy of provisioner admin"), "\(outside.body)")
            // The public list does not show it.
            let listed = try await cast.fixture.client(nil) { try await $0.json("GET", "/provisioners") }
            #expect(!String(describing: listed.body).contains("team.internal"))
        }
    }
}
