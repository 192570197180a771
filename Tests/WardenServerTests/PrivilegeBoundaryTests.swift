import Crypto
import Foundation
import Synchronization
import Testing
import WardenClient
import WardenCore
import WardenPKI
import WardenStore
import WardenTestSupport
import X509

/// The attacks an insider would try — an ADMIN who wants to be SUPER_ADMIN, or anyone holding one provisioner's
/// password — each through the real server over TLS with real certificates, each refused with its documented
/// status and message, and each checked to have changed nothing.
///
/// Cast: `step` is the super admin on provisioner `admin` (whose password only super admins know); `alice` is
/// an ADMIN on provisioner `ops`, whose password she knows (`pw-ops`).
@Suite
struct PrivilegeBoundaryTests {
    struct Cast {
        let fixture: AdminFixture
        let step: ClientIdentity
        let alice: ClientIdentity
        let opsID: String
    }

    /// Sets up `ops` and its ADMIN alice; returns both credentials.
    static func cast(_ ca: RunningCA) async throws -> Cast {
        let fixture = AdminFixture(ca: ca)
        let step = try await fixture.identity()
        let opsID = try await fixture.client(step) { client in
            let ops = try await client.json("POST", "/admin/provisioners", try AdminAPITests.jwkProvisioner(name: "ops"))
            #expect(ops.status == 201)
            let alice = try await client.json("POST", "/admin/admins", .parse(#"{"subject":"alice","provisioner":"ops","type":1}"#))
            #expect(alice.status == 201)
            return try #require(ops.body["id"]?.stringValue)
        }
        let alice = try await fixture.identity("alice", provisioner: "ops", password: "pw-ops")
        return Cast(fixture: fixture, step: step, alice: alice, opsID: opsID)
    }

    /// The `admin` provisioner's stored document, to show a refused change changed nothing.
    static func adminDocument(_ fixture: AdminFixture, _ step: ClientIdentity) async throws -> JSONValue {
        try await fixture.client(step) { try await $0.json("GET", "/admin/provisioners/admin").body }
    }

    @Test func reKeyingTheSuperAdminsProvisionerNeedsASuperAdmin() async throws {
        try await RunningCA.with(remoteManagement: true) { ca in
            let cast = try await Self.cast(ca)
            let before = try await Self.adminDocument(cast.fixture, cast.step)
            guard case .object(var document) = before else {
                Issue.record("not an object")
                return
            }
            // alice puts a key of her own on the provisioner that holds step...
            document["details"] = try AdminAPITests.jwkProvisioner(name: "admin")["details"]
            let rekeyed = JSONValue.object(document)
            let refused = try await cast.fixture.client(cast.alice) { try await $0.json("PUT", "/admin/provisioners/admin", rekeyed) }
            expectAdminError(refused, 403, "forbidden", "provisioner admin holds 1 super admin(s): only a super admin may change it")
            #expect(try await Self.adminDocument(cast.fixture, cast.step) == before)
            // ...and so cannot mint a certificate as step: the admin key is unchanged, her password is useless.
            await #expect(throws: WardenError.unauthorized("")) {
                _ = try await cast.fixture.identity("step", provisioner: "admin", password: "pw-admin")
            }
            // The same change by step himself goes through (the refusal was the rule, not the request).
            let allowed = try await cast.fixture.client(cast.step) { try await $0.json("PUT", "/admin/provisioners/admin", rekeyed) }
            #expect(allowed.status == 200, "\(allowed.body)")
            // alice may still change a provisioner that holds no super admin.
            guard case .object(var ops) = try await cast.fixture.client(cast.alice, { try await $0.json("GET", "/admin/provisioners/ops").body })
            else { return }
            ops["claims"] = .parse(#"{"x509":{"enabled":true,"durations":{"default":"1h"}}}"#)
            let opsChanged = JSONValue.object(ops)
            let opsStatus = try await cast.fixture.client(cast.alice) { try await $0.json("PUT", "/admin/provisioners/ops", opsChanged).status }
            #expect(opsStatus == 200)
            let audited = try await TestDatabase.count(
                "audit_events", in: ca.database, where: "action = 'provisioner.update' AND actor_subject = 'alice'")
            #expect(audited == 1)
        }
    }

    @Test func renamingIsRefusedSoANameCannotCarryAnIdentity() async throws {
        try await RunningCA.with(remoteManagement: true) { ca in
            let cast = try await Self.cast(ca)
            // alice mints a certificate whose subject is step's through her own provisioner...
            let forged = try await cast.fixture.identity("step", provisioner: "ops", password: "pw-ops")
            let whoami = try await cast.fixture.client(forged) { try await $0.json("GET", "/admin/whoami") }
            expectAdminError(whoami, 401, "unauthorized", "unable to load admin with subject(s) [step step] and provisioner 'ops'")
            // ...and tries to swap names so that it would be read as step's: both renames are refused.
            guard case .object(var ops) = try await cast.fixture.client(cast.alice, { try await $0.json("GET", "/admin/provisioners/ops").body })
            else { return }
            ops["name"] = .string("ops-old")
            let renamedOps = JSONValue.object(ops)
            let renameOwn = try await cast.fixture.client(cast.alice) { try await $0.json("PUT", "/admin/provisioners/ops", renamedOps) }
            expectAdminError(renameOwn, 400, "badRequest", "name: cannot change provisioner name (\"ops\" → \"ops-old\")")
            guard case .object(var admin) = try await Self.adminDocument(cast.fixture, cast.step) else { return }
            admin["name"] = .string("ops")
            let renamedAdmin = JSONValue.object(admin)
            // Even step may not rename (the name is identity); alice is refused before that, for touching step's provisioner.
            let renameTheirs = try await cast.fixture.client(cast.step) { try await $0.json("PUT", "/admin/provisioners/admin", renamedAdmin) }
            expectAdminError(renameTheirs, 400, "badRequest", "name: cannot change provisioner name")
            let byAlice = try await cast.fixture.client(cast.alice) { try await $0.json("PUT", "/admin/provisioners/admin", renamedAdmin) }
            expectAdminError(byAlice, 403, "forbidden", "only a super admin may change it")
            let forgedStatus = try await cast.fixture.client(forged) { try await $0.json("GET", "/admin/whoami").status }
            #expect(forgedStatus == 401)
            #expect(try await TestDatabase.count("provisioners", in: ca.database, where: "name IN ('ops', 'admin') AND deleted_at IS NULL") == 2)
        }
    }

    /// Rotating a leaked key by deleting and recreating a provisioner under the same name must not bring back
    /// the certificates minted with the old key.
    @Test func aRecreatedProvisionerIsANewIdentity() async throws {
        try await RunningCA.with(remoteManagement: true) { ca in
            let fixture = AdminFixture(ca: ca)
            let step = try await fixture.identity()
            try await fixture.client(step) { client throws in
                #expect(try await client.json("POST", "/admin/provisioners", try AdminAPITests.jwkProvisioner(name: "ci")).status == 201)
                #expect(try await client.json("POST", "/admin/admins", .parse(#"{"subject":"bot","provisioner":"ci","type":1}"#)).status == 201)
            }
            let leaked = try await fixture.identity("bot", provisioner: "ci", password: "pw-ci")
            let before = try await fixture.client(leaked) { try await $0.json("GET", "/admin/whoami").status }
            #expect(before == 200)
            try await fixture.client(step) { client throws in
                #expect(try await client.json("DELETE", "/admin/provisioners/ci").status == 200)
                #expect(try await client.json("POST", "/admin/provisioners", try AdminAPITests.jwkProvisioner(name: "ci")).status == 201)
                #expect(try await client.json("POST", "/admin/admins", .parse(#"{"subject":"bot","provisioner":"ci","type":1}"#)).status == 201)
            }
            // The certificate from the old key does not authenticate as bot again, over either transport...
            let mtls = try await fixture.client(leaked) { try await $0.json("GET", "/admin/whoami") }
            expectAdminError(mtls, 401, "unauthorized", "unable to load admin with subject(s) [bot bot]")
            let token = try await AdminAuthenticationTests.withToken(fixture, try await fixture.token(leaked, path: "/admin/whoami"))
            #expect(token.0 == 401, "\(token.1)")
            // ...and does not renew.
            let renewal = try await fixture.client(leaked) { try await $0.exchange("POST", "/1.0/renew", json: nil) }
            #expect(renewal.status == 401)
            #expect(renewal.body.contains("the provisioner that issued this certificate no longer exists"))
            // A certificate from the new key does.
            let fresh = try await fixture.identity("bot", provisioner: "ci", password: "pw-ci")
            let freshSubject = try await fixture.client(fresh) { try await $0.json("GET", "/admin/whoami").body["subject"] }
            #expect(freshSubject == .string("bot"))
        }
    }

    @Test func anAdminCannotRemoveOrLockOutSuperAdmins() async throws {
        try await RunningCA.with(remoteManagement: true) { ca in
            let cast = try await Self.cast(ca)
            // A second super admin elsewhere, so the "last super admin" rule alone would not stop the removal.
            try await cast.fixture.client(cast.step) { client throws in
                #expect(try await client.json("POST", "/admin/provisioners", try AdminAPITests.jwkProvisioner(name: "backup")).status == 201)
                #expect(try await client.json("POST", "/admin/admins", .parse(#"{"subject":"root2","provisioner":"backup","type":2}"#)).status == 201)
                #expect(try await client.json("POST", "/admin/provisioners", try AdminAPITests.jwkProvisioner(name: "team")).status == 201)
                #expect(try await client.json("POST", "/admin/admins", .parse(#"{"subject":"carol","provisioner":"team","type":1}"#)).status == 201)
                #expect(try await client.json("POST", "/admin/provisioners", try AdminAPITests.jwkProvisioner(name: "empty")).status == 201)
            }
            try await cast.fixture.client(cast.alice) { client throws in
                expectAdminError(
                    try await client.json("DELETE", "/admin/provisioners/admin"), 403, "forbidden",
                    "provisioner admin holds 1 admin(s), removed with it: only a super admin may remove it")
                expectAdminError(
                    try await client.json("DELETE", "/admin/provisioners/team"), 403, "forbidden",
                    "provisioner team holds 1 admin(s), removed with it: only a super admin may remove it")
                // A provisioner without admins is an ADMIN's to remove.
                #expect(try await client.json("DELETE", "/admin/provisioners/empty").status == 200)
            }
            #expect(try await TestDatabase.count("admins", in: ca.database, where: "deleted_at IS NULL") == 4)
            // step can still log in and mint admin certificates.
            let again = try await cast.fixture.identity()
            let role = try await cast.fixture.client(again) { try await $0.json("GET", "/admin/whoami").body["role"] }
            #expect(role == .string("SUPER_ADMIN"))
        }
    }

    /// A JWK provisioner whose key another live provisioner already has would hide it (tokens name the key id).
    @Test func aSecondProvisionerCannotTakeAnotherOnesKey() async throws {
        try await RunningCA.with(remoteManagement: true) { ca in
            let cast = try await Self.cast(ca)
            let admin = try await Self.adminDocument(cast.fixture, cast.step)
            let publicKey = try #require(admin["details"]?["JWK"]?["publicKey"]?.stringValue)
            let keyJSON = try #require(ProtoBytes.decode(publicKey))
            guard case .object(var key) = try JSONDecoder().decode(JSONValue.self, from: keyJSON) else { return }
            let sameKid = JSONValue.parse(#"{"type":"JWK","name":"mine","details":{"JWK":{"publicKey":"\#(publicKey)"}}}"#)
            key["kid"] = .string("another-kid")
            let relabelled = Data(try JSONEncoder().encode(JSONValue.object(key))).base64EncodedString()
            let sameKey = JSONValue.parse(#"{"type":"JWK","name":"mine2","details":{"JWK":{"publicKey":"\#(relabelled)"}}}"#)
            try await cast.fixture.client(cast.alice) { client throws in
                expectAdminError(
                    try await client.json("POST", "/admin/provisioners", sameKid), 400, "badRequest",
                    "details: provisioner with token ID jwk:")
                expectAdminError(
                    try await client.json("POST", "/admin/provisioners", sameKey), 400, "badRequest",
                    "details: provisioner with the same public key already exists (provisioner admin)")
            }
            #expect(try await TestDatabase.count("provisioners", in: ca.database, where: "name IN ('mine', 'mine2')") == 0)
            // The admin provisioner still serves its encrypted key and issues.
            let stepStatus = try await cast.fixture.client(cast.step) { try await $0.json("GET", "/admin/whoami").status }
            #expect(stepStatus == 200)
            _ = try await ca.issue(subject: "still.works")
        }
    }

    @Test func aProvisionersTokenRevokesOnlyWhatItIssued() async throws {
        try await RunningCA.with(remoteManagement: true) { ca in
            let cast = try await Self.cast(ca)
            let stepSerial = cast.step.chain[0].wardenSerial.decimal
            let mine = try await cast.fixture.identity("app.internal", provisioner: "ops", password: "pw-ops")
            let mineSerial = mine.chain[0].wardenSerial.decimal
            try await CAClient.withClient(try ca.clientConfiguration()) { client in
                let issuer = try await ProvisionerTokenIssuer.load(client: client, name: "ops", password: Array("pw-ops".utf8))
                let foreign = try await issuer.token(subject: stepSerial, sans: [], audiencePath: "/1.0/revoke")
                let refused = try await client.exchange(
                    "POST", "/1.0/revoke", json: #"{"serial":"\#(stepSerial)","ott":"\#(foreign)","reasonCode":1,"passive":true}"#)
                #expect(refused.status == 403)
                #expect(refused.body.contains("a token of provisioner \\\"ops\\\" can only revoke certificates that provisioner issued"))
                let own = try await issuer.token(subject: mineSerial, sans: [], audiencePath: "/1.0/revoke")
                let allowed = try await client.exchange(
                    "POST", "/1.0/revoke", json: #"{"serial":"\#(mineSerial)","ott":"\#(own)","reasonCode":1,"passive":true}"#)
                #expect(allowed.status == 200, "\(allowed.body)")
            }
            #expect(try await TestDatabase.count("revocations", in: ca.database) == 1)
            #expect(try await TestDatabase.count("revocations", in: ca.database, where: "serial = \(mineSerial)") == 1)
            // Admins revoke any certificate through the admin API.
            let byAdmin = try await cast.fixture.client(cast.alice) {
                try await $0.json("POST", "/admin/certificates/\(stepSerial)/revoke", .parse(#"{"reasonCode":4}"#))
            }
            #expect(byAdmin.status == 200, "\(byAdmin.body)")
        }
    }

    @Test func superAdminsThatCanNeverLogInAreRefusedAndDoNotCount() async throws {
        try await RunningCA.with(remoteManagement: true) { ca in
            let fixture = AdminFixture(ca: ca)
            let step = try await fixture.identity()
            try await fixture.client(step) { client in
                let acme = JSONValue.parse(#"{"type":"ACME","name":"acme","details":{"ACME":{"challenges":["HTTP_01"]}}}"#)
                #expect(try await client.json("POST", "/admin/provisioners", acme).status == 201)
                expectAdminError(
                    try await client.json("POST", "/admin/admins", .parse(#"{"subject":"ghost","provisioner":"acme","type":2}"#)), 400,
                    "badRequest", "ACME provisioners cannot authenticate admins")
                let plain = try await client.json("POST", "/admin/admins", .parse(#"{"subject":"ghost","provisioner":"acme","type":1}"#))
                #expect(plain.status == 201)
                let ghostID = try #require(plain.body["id"]?.stringValue)
                expectAdminError(
                    try await client.json("PATCH", "/admin/admins/\(ghostID)", .object(["type": .number(2)])), 400, "badRequest",
                    "ACME provisioners cannot authenticate admins")
            }
            // A phantom super admin left from before this rule (written straight to the database) does not save
            // the only one who can log in from being demoted or removed.
            try await TestDatabase.execute("UPDATE admins SET role = 'SUPER_ADMIN' WHERE subject = 'ghost'", in: ca.database)
            try await fixture.client(step) { client in
                let stepID = try #require(
                    try await client.json("GET", "/admin/admins").body["admins"]?.arrayValue?.first { $0["subject"] == .string("step") }?["id"]?
                        .stringValue)
                expectAdminError(
                    try await client.json("PATCH", "/admin/admins/\(stepID)", .object(["type": .number(1)])), 400, "badRequest",
                    "cannot change role of last super admin")
                expectAdminError(
                    try await client.json("DELETE", "/admin/admins/\(stepID)"), 400, "badRequest", "cannot remove the last super admin")
                expectAdminError(
                    try await client.json("DELETE", "/admin/provisioners/admin"), 400, "badRequest",
                    "cannot remove provisioner admin because no super admins will remain")
            }
        }
    }

    @Test func eventStreamsEndWhenTheirCredentialDoes() async throws {
        try await RunningCA.with(remoteManagement: true) { ca in
            let cast = try await Self.cast(ca)
            let aliceID = try await cast.fixture.client(cast.step) { client in
                try #require(
                    try await client.json("GET", "/admin/admins").body["admins"]?.arrayValue?.first { $0["subject"] == .string("alice") }?["id"]?
                        .stringValue)
            }
            // Removed admin: the open stream ends within a second of the removal.
            let clock = ContinuousClock()
            let removedAt = Mutex<ContinuousClock.Instant?>(nil)
            let lines = try await cast.fixture.client(cast.alice) { client in
                try await client.streamLines("/admin/events", until: { $0.hasPrefix("event: end") }, timeout: .seconds(10)) {
                    try await cast.fixture.client(cast.step) { client throws in
                        #expect(try await client.json("DELETE", "/admin/admins/\(aliceID)").status == 200)
                    }
                    removedAt.withLock { $0 = clock.now }
                }
            }
            let ended = clock.now
            #expect(lines.contains { $0.hasPrefix("event: end") }, "\(lines)")
            let elapsed = try #require(removedAt.withLock { $0 }).duration(to: ended)
            #expect(elapsed < .seconds(1), "\(elapsed)")

            // Revoked certificate: the same, for a super admin's stream.
            let doomed = try await cast.fixture.identity()
            let revokedLines = try await cast.fixture.client(doomed) { client in
                try await client.streamLines("/admin/events", until: { $0.hasPrefix("event: end") }, timeout: .seconds(10)) {
                    try await cast.fixture.client(cast.step) { client throws in
                        let serial = doomed.chain[0].wardenSerial.decimal
                        #expect(try await client.json("POST", "/admin/certificates/\(serial)/revoke", .parse(#"{"reasonCode":1}"#)).status == 200)
                    }
                }
            }
            #expect(revokedLines.contains { $0.hasPrefix("event: end") }, "\(revokedLines)")
            #expect(revokedLines.contains { $0.contains("credential revoked or admin removed") })
        }
    }

    @Test func adminTokensNeedAnExpiryAndReEncodedSignaturesAreReplays() async throws {
        try await RunningCA.with(remoteManagement: true) { ca in
            let fixture = AdminFixture(ca: ca)
            let step = try await fixture.identity()
            let path = AdminAuthenticationTests.path
            let now = Date()
            let noExpiry = try await OneTimeToken.sign(
                TokenClaims(iss: "step-admin-client/1.0", sub: "step", aud: ca.url.absoluteString + path, exp: nil, nbf: now, iat: now, jti: "x"),
                key: step.key, keyID: nil, x5c: step.chain)
            let refused = try await AdminAuthenticationTests.withToken(fixture, noExpiry)
            #expect(refused.0 == 401)
            #expect(refused.1["message"]?.stringValue == "invalid x5c claims: token has no expiration claim (exp)")

            let withoutID = try await OneTimeToken.sign(
                TokenClaims(
                    iss: "step-admin-client/1.0", sub: "step", aud: ca.url.absoluteString + path, exp: now.addingTimeInterval(300), nbf: now,
                    iat: now, jti: nil),
                key: step.key, keyID: nil, x5c: step.chain)
            #expect(try await AdminAuthenticationTests.withToken(fixture, withoutID).0 == 200)
            let malleated = try Self.reEncodeSignature(withoutID)
            #expect(malleated != withoutID)
            // The re-encoded signature is valid (s ↦ n − s)...
            let parsed = try OneTimeToken(parsing: malleated)
            try parsed.verifySignature(with: step.key.publicKey)
            // ...and still the same token: a replay.
            let replay = try await AdminAuthenticationTests.withToken(fixture, malleated)
            #expect(replay.0 == 401)
            #expect(replay.1["message"]?.stringValue == "token already used")
        }
    }

    /// The other valid ECDSA signature over the same content: (r, n − s).
    static func reEncodeSignature(_ token: String) throws -> String {
        let parts = token.split(separator: ".").map(String.init)
        var signature = Array(try #require(ProtoBytes.decode(parts[2])))
        let order: [UInt8] = [
            0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
            0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51,
        ]
        var borrow = 0
        var negated = [UInt8](repeating: 0, count: 32)
        for index in (0..<32).reversed() {
            var difference = Int(order[index]) - Int(signature[32 + index]) - borrow
            borrow = difference < 0 ? 1 : 0
            if difference < 0 { difference += 256 }
            negated[index] = UInt8(difference)
        }
        signature.replaceSubrange(32..<64, with: negated)
        let encoded = Data(signature).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        return parts[0] + "." + parts[1] + "." + encoded
    }
}
