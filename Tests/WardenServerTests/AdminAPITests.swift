import Crypto
import Foundation
import NIOHTTP1
import Testing
import WardenClient
import WardenCore
import WardenPKI
import WardenStore
import WardenTestSupport
import X509

/// The admin API over plain mTLS (no token), with step's encodings.
@Suite
struct AdminAPITests {
    static func jwkProvisioner(name: String, claims: JSONValue? = nil) throws -> JSONValue {
        let (publicKey, privateKey) = JSONWebKey.generateP256()
        let encrypted = try EncryptedJWK.encryptKey(privateKey, password: Array("pw-\(name)".utf8), iterations: 1000)
        var object: [String: JSONValue] = [
            "type": .string("JWK"), "name": .string(name),
            "details": .object([
                "JWK": .object([
                    "publicKey": .string(Data(publicKey.jsonString().utf8).base64EncodedString()),
                    "encryptedPrivateKey": .string(Data(encrypted.utf8).base64EncodedString()),
                ])
            ]),
            "x509Template": .object([:]), "sshTemplate": .object([:]),
        ]
        if let claims { object["claims"] = claims }
        return .object(object)
    }

    @Test func provisionerLifecycleOverMTLSTakesEffectImmediately() async throws {
        try await RunningCA.with(remoteManagement: true) { ca in
            let fixture = AdminFixture(ca: ca)
            let step = try await fixture.identity()
            try await fixture.client(step) { client in
                let whoami = try await client.json("GET", "/admin/whoami")
                #expect(whoami.status == 200)
                #expect(whoami.body["subject"] == .string("step"))
                #expect(whoami.body["role"] == .string("SUPER_ADMIN"))
                #expect(whoami.body["method"] == .string("mtls"))

                let claims = JSONValue.parse(#"{"x509":{"enabled":true,"durations":{"default":"1h","min":"5m","max":"2h"}}}"#)
                let created = try await client.json("POST", "/admin/provisioners", try Self.jwkProvisioner(name: "ops", claims: claims))
                #expect(created.status == 201)
                let id = try #require(created.body["id"]?.stringValue)
                #expect(UUID(uuidString: id) != nil)

                // Readable by name and by id (the CLI's /admin/provisioners/id?id= form), in protojson.
                let byName = try await client.json("GET", "/admin/provisioners/ops")
                #expect(byName.status == 200)
                #expect(byName.body["type"] == .string("JWK"))
                #expect(byName.body["deletedAt"] == .string("0001-01-01T00:00:00Z"))
                #expect(byName.body["claims"] == claims)
                let byID = try await client.json("GET", "/admin/provisioners/id?id=\(id)")
                #expect(byID.body == byName.body)

                // The public list shows it at once, in ca.json form with its JWK and encrypted key.
                let publicList = try await client.provisioners()
                let ops = try #require(publicList.first { $0.name == "ops" })
                #expect(ops.encryptedKey?.split(separator: ".").count == 5)
                #expect(ops.claims?.defaultTLSCertDuration == .hours(1))

                // PUT with the whole object echoed back, as the step CLI does: change durations.
                guard case .object(var body) = byName.body else {
                    Issue.record("not an object")
                    return
                }
                body["claims"] = .parse(#"{"x509":{"enabled":true,"durations":{"default":"3h","min":"5m","max":"4h"}}}"#)
                let updated = try await client.json("PUT", "/admin/provisioners/ops", .object(body))
                #expect(updated.status == 200)
                #expect(updated.body["claims"]?["x509"]?["durations"]?["default"] == .string("3h"))
                #expect(try await client.provisioners().first { $0.name == "ops" }?.claims?.defaultTLSCertDuration == .hours(3))

                let removed = try await client.json("DELETE", "/admin/provisioners/ops")
                #expect(removed.status == 200)
                #expect(removed.body == .object(["status": .string("ok")]))
                #expect(try await client.json("GET", "/admin/provisioners/ops").status == 404)
                #expect(try await client.provisioners().map(\.name) == ["admin"])
            }
        }
    }

    @Test func issuanceFollowsProvisionerChangesWithoutRestart() async throws {
        try await RunningCA.with(remoteManagement: true) { ca in
            let fixture = AdminFixture(ca: ca)
            let step = try await fixture.identity()
            let created = try await fixture.client(step) { admin in
                try await admin.json("POST", "/admin/provisioners", try Self.jwkProvisioner(name: "fresh")).status
            }
            #expect(created == 201)
            try await fixture.client(nil) { client in
                let issuer = try await ProvisionerTokenIssuer.load(client: client, name: "fresh", password: Array("pw-fresh".utf8))
                let result = try await CertificateEnrollment.enroll(client: client, issuer: issuer, subject: "svc.fresh", sans: [], notAfter: nil)
                #expect(ProvisionerExtension(certificate: result.chain[0])?.name == "fresh")
                // Two tokens made now: the first works while the provisioner lives...
                let before = try await issuer.token(subject: "svc1.fresh", audiencePath: "/1.0/sign")
                let after = try await issuer.token(subject: "svc2.fresh", audiencePath: "/1.0/sign")
                let csr1 = try TestTokens.csr(subject: "svc1.fresh", sans: ["svc1.fresh"])
                #expect(try await client.exchange("POST", "/1.0/sign", json: try BadInputTests.signBody(csr: csr1, ott: before)).status == 201)
                // ...remove it, and the second, made by the same issuer a moment ago, is refused at once.
                let removed = try await fixture.client(step) { admin in
                    try await admin.json("DELETE", "/admin/provisioners/fresh").status
                }
                #expect(removed == 200)
                let csr2 = try TestTokens.csr(subject: "svc2.fresh", sans: ["svc2.fresh"])
                let refused = try await client.exchange("POST", "/1.0/sign", json: try BadInputTests.signBody(csr: csr2, ott: after))
                #expect(refused.status == 401)
                #expect(
                    JSONValue.parse(refused.body)["message"]?.stringValue?.hasPrefix("provisioner \"fresh\" with key id") == true, "\(refused.body)")
            }
        }
    }

    /// Every provisioner type step documents can be created, read back exactly, updated and removed.
    @Test(arguments: [
        #"{"type":"OIDC","name":"google","details":{"OIDC":{"clientId":"cid","clientSecret":"s3cr3t","configurationEndpoint":"https://accounts.google.com/.well-known/openid-configuration","admins":["ops@example.com"],"domains":["example.com"],"groups":["g"],"listenAddress":":10000","tenantId":"t","scopes":["openid"],"authParams":["prompt=login"]}},"claims":{"x509":{"enabled":true,"durations":{"default":"8h","max":"12h"}},"disableRenewal":true}}"#,
        #"{"type":"X5C","name":"x5c","details":{"X5C":{"roots":["__ROOT__"]}}}"#,
        #"{"type":"ACME","name":"acme","details":{"ACME":{"forceCn":true,"requireEab":true,"challenges":["HTTP_01","DNS_01"],"attestationFormats":["APPLE"],"termsOfService":"https://example.com/tos","website":"https://example.com","caaIdentities":["example.com"]}}}"#,
        #"{"type":"SCEP","name":"scep","details":{"SCEP":{"forceCn":true,"challenge":"secret-challenge","capabilities":["AES","SHA-256"],"minimumPublicKeyLength":2048,"includeRoot":true,"encryptionAlgorithmIdentifier":2,"excludeIntermediate":false}}}"#,
        #"{"type":"K8SSA","name":"kube","details":{"K8sSA":{"publicKeys":["__ROOT__"]}}}"#,
        #"{"type":"SSHPOP","name":"sshpop","details":{"SSHPOP":{}}}"#,
        #"{"type":"NEBULA","name":"nebula","details":{"Nebula":{"roots":["bmVidWxhLXJvb3Q="]}}}"#,
        #"{"type":"AWS","name":"aws","details":{"AWS":{"accounts":["123456789012"],"disableCustomSans":true,"disableTrustOnFirstUse":false,"instanceAge":"1h"}}}"#,
        #"{"type":"GCP","name":"gcp","details":{"GCP":{"serviceAccounts":["sa@p.iam.gserviceaccount.com"],"projectIds":["p"],"disableCustomSans":false,"disableTrustOnFirstUse":true,"instanceAge":"30m","organizationId":"42"}}}"#,
        #"{"type":"AZURE","name":"azure","details":{"Azure":{"tenantId":"tenant","resourceGroups":["rg"],"audience":"https://management.azure.com/","disableCustomSans":true,"subscriptionIds":["sub"],"objectIds":["obj"]}}}"#,
    ])
    func everyProvisionerTypeRoundTrips(_ template: String) async throws {
        try await RunningCA.with(remoteManagement: true) { ca in
            let fixture = AdminFixture(ca: ca)
            let root = Data(try String(contentsOfFile: ca.rootPath, encoding: .utf8).utf8).base64EncodedString()
            let document = JSONValue.parse(template.replacingOccurrences(of: "__ROOT__", with: root))
            let name = try #require(document["name"]?.stringValue)
            try await fixture.client(try await fixture.identity()) { client in
                let created = try await client.json("POST", "/admin/provisioners", document)
                #expect(created.status == 201, "\(created.body)")
                let read = try await client.json("GET", "/admin/provisioners/\(name)")
                #expect(read.status == 200)
                // What was sent is exactly what is read back.
                #expect(read.body["details"] == document["details"], "\(read.body)")
                #expect(read.body["claims"] == document["claims"])
                // linkedca's enum spelling, written out here rather than computed by the code under test.
                #expect(read.body["type"]?.stringValue == document["type"]?.stringValue)
                // The admin list (ca.json form) has it too.
                let list = try await client.json("GET", "/admin/provisioners?limit=100")
                #expect(list.body["provisioners"]?.arrayValue?.contains { $0["name"] == .string(name) } == true)
                // SCEP challenges are hidden from the public list (checked while the SCEP provisioner exists, on
                // its own entry) and shown to admins.
                if name == "scep" {
                    let listed = try await fixture.client(nil) { client in try await client.provisioners() }
                    let scep = try #require(listed.first { $0.name == "scep" })
                    #expect(scep.fields["challenge"] == .string("*** REDACTED ***"))
                    let adminEntry = list.body["provisioners"]?.arrayValue?.first { $0["name"] == .string("scep") }
                    #expect(adminEntry?["challenge"] == .string("secret-challenge"))
                }
                // Update: the claims change and are read back; the name cannot change.
                guard case .object(var body) = read.body else { return }
                body["claims"] = .parse(#"{"x509":{"enabled":true,"durations":{"default":"2h"}}}"#)
                let updated = try await client.json("PUT", "/admin/provisioners/\(name)", .object(body))
                #expect(updated.status == 200, "\(updated.body)")
                let reread = try await client.json("GET", "/admin/provisioners/\(name)").body
                #expect(reread["claims"]?["x509"]?["durations"]?["default"] == .string("2h"))
                #expect(reread["details"] == document["details"])
                body["name"] = .string(name + "-renamed")
                let renamed = try await client.json("PUT", "/admin/provisioners/\(name)", .object(body))
                #expect(renamed.status == 400)
                #expect(renamed.body["message"]?.stringValue?.hasPrefix("name: cannot change provisioner name") == true, "\(renamed.body)")
                #expect(try await client.json("GET", "/admin/provisioners/\(name)-renamed").status == 404)
                #expect(try await client.json("DELETE", "/admin/provisioners/\(name)").status == 200)
                #expect(try await client.json("GET", "/admin/provisioners/\(name)").status == 404)
            }
        }
    }

    @Test(arguments: [
        (
            #"{"type":"JWK","name":"bad","details":{"JWK":{"publicKey":"eyJrdHkiOiJFQyIsImtpZCI6ImsifQ"}},"claims":{"x509":{"durations":{"min":"2h","max":"1h"}}}}"#,
            "claims.x509.durations.min"
        ),
        (#"{"type":"JWK","name":"bad","details":{"JWK":{"publicKey":"e30="}}}"#, "details.JWK.publicKey"),
        (
            #"{"type":"JWK","name":"bad","details":{"JWK":{"publicKey":"eyJrdHkiOiJFQyIsImtpZCI6ImsifQ"}},"claims":{"x509":{"durations":{"default":"3h","max":"1h"}}}}"#,
            "claims.x509.durations.default"
        ),
        (
            #"{"type":"JWK","name":"bad","details":{"JWK":{"publicKey":"eyJrdHkiOiJFQyIsImtpZCI6ImsifQ"}},"claims":{"x509":{"durations":{"default":"forever"}}}}"#,
            "claims.x509.durations.default"
        ),
        (#"{"type":"OIDC","name":"bad","details":{"OIDC":{"clientId":"x"}}}"#, "configurationEndpoint"),
        (#"{"type":"AZURE","name":"bad","details":{"Azure":{}}}"#, "tenantId"),
        (#"{"type":"X5C","name":"bad","details":{"X5C":{"roots":[]}}}"#, "roots"),
        (#"{"type":"KERBEROS","name":"bad","details":{"JWK":{}}}"#, "unknown provisioner type"),
        (#"{"type":"JWK","name":"bad","details":{"JWK":{"publicKey":"eyJrdHkiOiJFQyIsImtpZCI6ImsifQ"}},"foo":1}"#, "unknown field"),
        (#"{"type":"JWK","name":"bad","details":{"JWK":{"publicKey":"eyJrdHkiOiJFQyIsImtpZCI6ImsifQ","colour":"red"}}}"#, "colour"),
        (#"{"type":"JWK","name":"bad","details":{"OIDC":{"clientId":"x","configurationEndpoint":"y"}}}"#, "do not match"),
        (#"{"type":"JWK","name":"","details":{"JWK":{"publicKey":"eyJrdHkiOiJFQyIsImtpZCI6ImsifQ"}}}"#, "name"),
        (#"{"type":"JWK","name":"bad","details":{"JWK":{"publicKey":"!!!"}}}"#, "base64"),
        (#"{"type":"AWS","name":"bad","details":{"AWS":{"instanceAge":"soon"}}}"#, "instanceAge"),
        (#"{"type":"ACME","name":"bad","details":{"ACME":{"challenges":["SMOKE_SIGNAL"]}}}"#, "challenges"),
        (
            #"{"type":"JWK","name":"bad","details":{"JWK":{"publicKey":"eyJrdHkiOiJFQyIsImtpZCI6ImsifQ"}},"claims":{"x509":{"enabled":"yes"}}}"#,
            "claims.x509.enabled"
        ),
        (#"[1,2]"#, "object"),
        (#"{"type":"JWK", "name": "#, "error decoding request body"),
    ])
    func invalidProvisionersAreRejectedNamingTheField(_ body: String, _ expected: String) async throws {
        try await RunningCA.with(remoteManagement: true) { ca in
            let fixture = AdminFixture(ca: ca)
            try await fixture.client(try await fixture.identity()) { client in
                let response = try await client.exchange(.POST, "/admin/provisioners", body: Array(body.utf8))
                #expect(response.status == 400)
                let error = JSONValue.parse(String(decoding: response.body, as: UTF8.self))
                #expect(error["type"] == .string("badRequest"))
                #expect(error["detail"] == .string("bad request"))
                #expect(error["message"]?.stringValue?.contains(expected) == true, "\(error)")
            }
            #expect(try await TestDatabase.count("provisioners", in: ca.database) == 1)
        }
    }

    /// `form=linkedca` pages through the same documents the single-provisioner route returns, in creation order.
    @Test func linkedcaListPagesThroughEveryProvisioner() async throws {
        try await RunningCA.with(remoteManagement: true) { ca in
            let fixture = AdminFixture(ca: ca)
            try await fixture.client(try await fixture.identity()) { client in
                for name in ["p1", "p2", "p3"] {
                    let document = JSONValue.parse(#"{"type":"ACME","name":"\#(name)","details":{"ACME":{"forceCn":true}}}"#)
                    #expect(try await client.json("POST", "/admin/provisioners", document).status == 201)
                }
                var seen: [JSONValue] = []
                var cursor = ""
                var pages = 0
                repeat {
                    let page = try await client.json("GET", "/admin/provisioners?form=linkedca&limit=2" + (cursor.isEmpty ? "" : "&cursor=\(cursor)"))
                    #expect(page.status == 200)
                    seen += page.body["provisioners"]?.arrayValue ?? []
                    cursor = page.body["nextCursor"]?.stringValue ?? ""
                    pages += 1
                } while !cursor.isEmpty && pages < 10
                #expect(pages == 2)
                // The bootstrap provisioner first, then the three in creation order, each as GET /{name} has it.
                #expect(seen.compactMap { $0["name"]?.stringValue }.suffix(3) == ["p1", "p2", "p3"])
                #expect(seen.count == 4)
                #expect(seen.last == (try await client.json("GET", "/admin/provisioners/p3")).body)
                let bad = try await client.json("GET", "/admin/provisioners?form=yaml")
                #expect(bad.status == 400)
                #expect(bad.body["message"]?.stringValue?.contains("form") == true)
            }
        }
    }

    @Test func duplicateNamesUnknownNamesAndIdentityChanges() async throws {
        try await RunningCA.with(remoteManagement: true) { ca in
            let fixture = AdminFixture(ca: ca)
            try await fixture.client(try await fixture.identity()) { client in
                #expect(try await client.json("POST", "/admin/provisioners", try Self.jwkProvisioner(name: "a")).status == 201)
                let duplicate = try await client.json("POST", "/admin/provisioners", try Self.jwkProvisioner(name: "a"))
                expectAdminError(duplicate, 400, "badRequest", "provisioner with name a already exists")
                #expect(try await client.json("POST", "/admin/provisioners", try Self.jwkProvisioner(name: "b")).status == 201)
                // Renaming onto an existing name is refused.
                guard case .object(var b) = try await client.json("GET", "/admin/provisioners/b").body else { return }
                b["name"] = .string("a")
                let ontoA = JSONValue.object(b)
                expectAdminError(
                    try await client.json("PUT", "/admin/provisioners/b", ontoA), 400, "badRequest", "name: cannot change provisioner name")
                b["name"] = .string("b")
                b["type"] = .string("OIDC")
                b["details"] = .parse(#"{"OIDC":{"clientId":"x","configurationEndpoint":"y"}}"#)
                let retyped = JSONValue.object(b)
                expectAdminError(
                    try await client.json("PUT", "/admin/provisioners/b", retyped), 400, "badRequest", "type: cannot change provisioner type")
                for (method, path) in [
                    ("GET", "/admin/provisioners/nope"), ("PUT", "/admin/provisioners/nope"), ("DELETE", "/admin/provisioners/nope"),
                    ("GET", "/admin/provisioners/id?id=\(UUID().uuidString)"), ("GET", "/admin/admins/\(UUID().uuidString)"),
                    ("DELETE", "/admin/admins/\(UUID().uuidString)"),
                ] {
                    let body: JSONValue? = method == "PUT" ? try Self.jwkProvisioner(name: "nope") : nil
                    let response = try await client.json(method, path, body)
                    expectAdminError(response, 404, "notFound", path.contains("admins") ? "admin " : "provisioner ")
                    #expect(response.body["message"]?.stringValue?.contains("not found") == true)
                }
                // PATCH of an unknown admin: step-ca crashes; Warden answers 404.
                let patch = try await client.json("PATCH", "/admin/admins/\(UUID().uuidString)", .object(["type": .number(1)]))
                #expect(patch.status == 404)
            }
        }
    }

    @Test func adminManagementAndSuperAdminRules() async throws {
        try await RunningCA.with(remoteManagement: true) { ca in
            let fixture = AdminFixture(ca: ca)
            let step = try await fixture.identity()
            let alice = try await fixture.identity("alice@example.com")
            let created = try await fixture.client(step) { client in
                let list = try await client.json("GET", "/admin/admins")
                #expect(list.body["admins"]?.arrayValue?.count == 1)
                let first = try #require(list.body["admins"]?.arrayValue?.first)
                #expect(first["type"] == .number(2))
                #expect(first["deleted_at"] == .object(["seconds": .number(-62_135_596_800)]))
                #expect(first["provisioner_id"]?.stringValue != nil)
                #expect(list.body["nextCursor"] == .string(""))

                // type must be an integer.
                let stringType = try await client.json(
                    "POST", "/admin/admins", .parse(#"{"subject":"alice@example.com","provisioner":"admin","type":"ADMIN"}"#))
                expectAdminError(stringType, 400, "badRequest", "type must be an integer (1 = ADMIN, 2 = SUPER_ADMIN)")
                expectAdminError(
                    try await client.json("POST", "/admin/admins", .parse(#"{"subject":"","provisioner":"admin","type":1}"#)), 400, "badRequest",
                    "subject cannot be empty")
                expectAdminError(
                    try await client.json("POST", "/admin/admins", .parse(#"{"subject":"x","provisioner":"admin","type":3}"#)), 400, "badRequest",
                    "invalid value for admin type")
                expectAdminError(
                    try await client.json("POST", "/admin/admins", .parse(#"{"subject":"x","provisioner":"nope","type":1}"#)), 404, "notFound",
                    "error loading provisioner nope: provisioner nope not found")
                let created = try await client.json(
                    "POST", "/admin/admins", .parse(#"{"subject":"alice@example.com","provisioner":"admin","type":1}"#))
                #expect(created.status == 201)
                #expect(created.body["type"] == .string("ADMIN"))
                #expect(created.body["authorityId"] == .string("00000000-0000-0000-0000-000000000000"))
                let again = try await client.json("POST", "/admin/admins", .parse(#"{"subject":"alice@example.com","provisioner":"admin","type":1}"#))
                expectAdminError(again, 400, "badRequest", "admin with subject alice@example.com and provisioner admin already exists")
                return try #require(created.body["id"]?.stringValue)
            }
            try await fixture.client(alice) { client in
                #expect(try await client.json("GET", "/admin/provisioners").status == 200)
                #expect(try await client.json("GET", "/admin/admins").status == 200)
                let denied = try await client.json("POST", "/admin/admins", .parse(#"{"subject":"mallory","provisioner":"admin","type":2}"#))
                expectAdminError(denied, 401, "unauthorized", "must have super admin access to make this request")
                expectAdminError(
                    try await client.json("DELETE", "/admin/admins/\(created)"), 401, "unauthorized",
                    "must have super admin access to make this request")
            }
            try await fixture.client(step) { client in
                let promoted = try await client.json("PATCH", "/admin/admins/\(created)", .object(["type": .number(2)]))
                #expect(promoted.body["type"] == .string("SUPER_ADMIN"))
            }
            try await fixture.client(alice) { client in
                // Now a super admin, alice may demote step...
                let stepID = try #require(
                    try await client.json("GET", "/admin/admins").body["admins"]?.arrayValue?.first { $0["subject"] == .string("step") }?["id"]?
                        .stringValue)
                #expect(try await client.json("PATCH", "/admin/admins/\(stepID)", .object(["type": .number(1)])).status == 200)
                // ...but then she is the last super admin: neither demotion nor removal of herself.
                let demote = try await client.json("PATCH", "/admin/admins/\(created)", .object(["type": .number(1)]))
                expectAdminError(demote, 400, "badRequest", "cannot change role of last super admin")
                let remove = try await client.json("DELETE", "/admin/admins/\(created)")
                expectAdminError(remove, 400, "badRequest", "cannot remove the last super admin")
                // And the provisioner holding every super admin cannot be removed.
                let removeProvisioner = try await client.json("DELETE", "/admin/provisioners/admin")
                expectAdminError(removeProvisioner, 400, "badRequest", "cannot remove provisioner admin because no super admins will remain")
            }
        }
    }

    /// Two super admins demote each other at the same moment: the invariant lives in the transaction, so at
    /// most one demotion can win.
    @Test func concurrentDemotionsLeaveOneSuperAdmin() async throws {
        try await RunningCA.with(remoteManagement: true) { ca in
            let fixture = AdminFixture(ca: ca)
            let step = try await fixture.identity()
            let bob = try await fixture.identity("bob")
            let ids = try await fixture.client(step) { client in
                let bobID = try #require(
                    try await client.json("POST", "/admin/admins", .parse(#"{"subject":"bob","provisioner":"admin","type":2}"#)).body["id"]?
                        .stringValue)
                let stepID = try #require(
                    try await client.json("GET", "/admin/admins").body["admins"]?.arrayValue?.first { $0["subject"] == .string("step") }?["id"]?
                        .stringValue)
                return (stepID, bobID)
            }
            for _ in 0..<5 {
                func demote(_ who: ClientIdentity, _ id: String) async throws -> (Int, String) {
                    let response = try await fixture.client(who) { try await $0.json("PATCH", "/admin/admins/\(id)", .object(["type": .number(1)])) }
                    return (response.status, response.body["message"]?.stringValue ?? "")
                }
                async let a = demote(step, ids.1)
                async let b = demote(bob, ids.0)
                let statuses = try await [a, b]
                let superAdmins = try await TestDatabase.count("admins", in: ca.database, where: "deleted_at IS NULL AND role = 'SUPER_ADMIN'")
                #expect(superAdmins == 1, "statuses \(statuses)")
                // Exactly one demotion wins; the other is refused because its author is no longer a super admin —
                // at authentication (401) or, when the requests overlapped, inside the transaction (403).
                #expect(statuses.filter { $0.0 == 200 }.count == 1, "\(statuses)")
                for (status, message) in statuses where status != 200 {
                    #expect(
                        (status == 401 && message == "must have super admin access to make this request")
                            || (status == 403 && message == "only a super admin may change admins"), "\(status) \(message)")
                }
                // Restore both as super admins for the next round, through whoever still is one.
                let restorer = statuses[0].0 == 200 ? step : bob
                try await fixture.client(restorer) { client in
                    _ = try await client.json("PATCH", "/admin/admins/\(ids.0)", .object(["type": .number(2)]))
                    _ = try await client.json("PATCH", "/admin/admins/\(ids.1)", .object(["type": .number(2)]))
                }
                #expect(try await TestDatabase.count("admins", in: ca.database, where: "deleted_at IS NULL AND role = 'SUPER_ADMIN'") == 2)
            }
        }
    }

    @Test func mutationsAreAuditedWithSecretsRedacted() async throws {
        try await RunningCA.with(remoteManagement: true) { ca in
            let fixture = AdminFixture(ca: ca)
            let document = JSONValue.parse(
                #"{"type":"OIDC","name":"idp","details":{"OIDC":{"clientId":"cid","clientSecret":"TOP-SECRET-VALUE","configurationEndpoint":"https://idp/.well-known/openid-configuration"}}}"#
            )
            let status = try await fixture.client(try await fixture.identity()) { client in
                try await client.json("POST", "/admin/provisioners", document).status
            }
            #expect(status == 201)
            let events = try await InventoryRepository(database: ca.database).audit(AuditQuery(), logger: TestDatabase.logger).items
            let create = try #require(events.first { $0.action == "provisioner.create" && $0.actorSubject == "step" })
            #expect(create.authMethod == "mtls")
            #expect(create.outcome == .success)
            #expect(create.actorProvisioner == "admin")
            #expect(create.requestID?.isEmpty == false)
            #expect(create.after?["details"]?["OIDC"]?["clientSecret"] == .string("[REDACTED]"))
            #expect(create.after?["details"]?["OIDC"]?["clientId"] == .string("cid"))
        }
    }
}
