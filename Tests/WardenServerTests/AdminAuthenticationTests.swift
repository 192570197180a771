import Crypto
import Foundation
import NIOHTTP1
import Testing
import WardenClient
import WardenCore
import WardenPKI
import WardenServer
import WardenStore
import WardenTestSupport
import X509

/// Both ways in (x5c token, TLS client certificate) and every way to be refused, each audited.
@Suite
struct AdminAuthenticationTests {
    static let path = "/admin/provisioners"

    /// Sends a token-authenticated GET without a client certificate.
    static func withToken(_ fixture: AdminFixture, _ token: String) async throws -> (Int, JSONValue) {
        try await fixture.client(nil) { client in
            let response = try await client.json("GET", path, headers: [("Authorization", token)])
            return (response.status, response.body)
        }
    }

    /// A refusal with its status, type and message — and exactly one more `denied` audit row than before it
    /// (`denials` counts them), so a refusal path that skips the audit fails here.
    static func expectDenied(
        _ result: (Int, JSONValue), status: Int = 401, contains text: String, ca: RunningCA, denials: inout Int,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        #expect(result.0 == status, "\(result.1)", sourceLocation: sourceLocation)
        let expectedType = status == 404 ? "notFound" : "unauthorized"
        #expect(result.1["type"] == .string(expectedType), "\(result.1)", sourceLocation: sourceLocation)
        #expect(result.1["message"]?.stringValue?.contains(text) == true, "\(result.1)", sourceLocation: sourceLocation)
        denials += 1
        let audited = try await TestDatabase.count(
            "audit_events", in: ca.database, where: "outcome = 'denied' AND action = 'admin.authenticate'")
        #expect(audited == denials, "refusal not audited: \(text)", sourceLocation: sourceLocation)
    }

    /// A flood of refused requests from one address is answered in full but audited only up to the limit
    /// (30 a minute per address), so bad credentials cannot grow the audit log without bound.
    @Test func deniedRequestsAreAuditedWithinALimit() async throws {
        try await RunningCA.with(remoteManagement: true) { ca in
            let fixture = AdminFixture(ca: ca)
            try await fixture.client(nil) { client in
                for _ in 0..<40 {
                    let status = try await client.json("GET", Self.path, headers: [("Authorization", "not-a-token")]).status
                    #expect(status == 401)
                }
            }
            let audited = try await TestDatabase.count("audit_events", in: ca.database, where: "outcome = 'denied'")
            #expect(audited == 30)
        }
    }

    @Test func validTokenWorksOnceAndBearerPrefixIsAccepted() async throws {
        try await RunningCA.with(remoteManagement: true) { ca in
            let fixture = AdminFixture(ca: ca)
            let step = try await fixture.identity()
            let token = try await fixture.token(step, path: Self.path)
            var denials = 0
            #expect(try await Self.withToken(fixture, token).0 == 200)
            try await Self.expectDenied(try await Self.withToken(fixture, token), contains: "token already used", ca: ca, denials: &denials)
            // "Bearer " is tolerated (step-ca itself would refuse it; documented in the README).
            #expect(try await Self.withToken(fixture, "Bearer " + (try await fixture.token(step, path: Self.path))).0 == 200)
            // The provisioner name is accepted as issuer, as step-ca accepts it for older clients.
            #expect(try await Self.withToken(fixture, try await fixture.token(step, path: Self.path, issuer: "admin")).0 == 200)
            // The bare path is an accepted audience, a foreign host is not.
            #expect(try await Self.withToken(fixture, try await fixture.token(step, path: Self.path, audience: Self.path)).0 == 200)
        }
    }

    @Test func noCredentialIs401WithStepsMessage() async throws {
        try await RunningCA.with(remoteManagement: true) { ca in
            let fixture = AdminFixture(ca: ca)
            let result = try await fixture.client(nil) { try await $0.json("GET", "/admin/admins") }
            var denials = 0
            try await Self.expectDenied((result.status, result.body), contains: "missing authorization header token", ca: ca, denials: &denials)
        }
    }

    @Test func tokenFailures() async throws {
        try await RunningCA.with(remoteManagement: true) { ca in
            let fixture = AdminFixture(ca: ca)
            let step = try await fixture.identity()
            var denials = 0
            try await Self.expectDenied(try await Self.withToken(fixture, "garbage"), contains: "error parsing x5c token", ca: ca, denials: &denials)
            try await Self.expectDenied(
                try await Self.withToken(fixture, try await fixture.token(step, path: Self.path, audience: "https://evil.example" + Self.path)),
                contains: "x5c token has invalid audience claim (aud): received \"https://evil.example/admin/provisioners\"; "
                    + "accepted: https://<host>[:port]/admin/provisioners for host 127.0.0.1, localhost, or the bare path", ca: ca, denials: &denials)
            try await Self.expectDenied(
                try await Self.withToken(fixture, try await fixture.token(step, path: "/admin/admins")),
                contains: "x5c token has invalid audience claim (aud): received \"\(ca.url.absoluteString)/admin/admins\"", ca: ca, denials: &denials)
            try await Self.expectDenied(
                try await Self.withToken(fixture, try await fixture.token(step, path: Self.path, issuedAt: Date().addingTimeInterval(-900))),
                contains: "invalid x5c claims: token is expired", ca: ca, denials: &denials)
            try await Self.expectDenied(
                try await Self.withToken(fixture, try await fixture.token(step, path: Self.path, issuedAt: Date().addingTimeInterval(300))),
                contains: "invalid x5c claims: token not valid yet", ca: ca, denials: &denials)
            try await Self.expectDenied(
                try await Self.withToken(fixture, try await fixture.token(step, path: Self.path, issuer: "someone-else")),
                contains: "x5c token has invalid issuer claim (iss)", ca: ca, denials: &denials)
            // A token signed by a key that is not the certificate's.
            var stolen = step
            stolen.key = P256.Signing.PrivateKey()
            try await Self.expectDenied(
                try await Self.withToken(fixture, try await fixture.token(stolen, path: Self.path)),
                contains: "error verifying token: invalid signature",
                ca: ca, denials: &denials)
            #expect(denials == 7)
        }
    }

    /// The same certificate checks apply whether the certificate arrives in the handshake or in x5c.
    @Test(arguments: ["mtls", "token"])
    func certificateFailures(method: String) async throws {
        try await RunningCA.with(remoteManagement: true) { ca in
            let fixture = AdminFixture(ca: ca)
            func attempt(_ identity: ClientIdentity) async throws -> (Int, JSONValue) {
                if method == "mtls" {
                    let response = try await fixture.client(identity) { try await $0.json("GET", Self.path) }
                    return (response.status, response.body)
                }
                return try await Self.withToken(fixture, try await fixture.token(identity, path: Self.path))
            }
            var denials = 0
            // Foreign CA.
            let foreign = try CertificateHierarchy.create(name: "Foreign")
            let foreignSigner = try SigningAuthority(roots: [foreign.root], intermediate: foreign.intermediate, key: foreign.intermediateKey)
            try await Self.expectDenied(
                try await attempt(try fixture.craft(subject: "step", signer: foreignSigner)),
                contains: "error verifying admin certificate: certificate is not issued by this CA", ca: ca, denials: &denials)
            // Expired.
            let expired = try fixture.craft(subject: "step", notBefore: Date().addingTimeInterval(-7200), notAfter: Date().addingTimeInterval(-3600))
            try await Self.expectDenied(
                try await attempt(expired), contains: "error verifying admin certificate: certificate has expired", ca: ca, denials: &denials)
            // Subject that is not an admin.
            try await Self.expectDenied(
                try await attempt(try await fixture.identity("nobody")),
                contains: "unable to load admin with subject(s) [nobody nobody] and provisioner 'admin'",
                ca: ca, denials: &denials)
            // No provisioner can be identified (no record, no extension).
            let signer = try fixture.signer()
            let key = P256.Signing.PrivateKey()
            let anonymous = try signer.issue(
                .init(
                    commonName: "step", sans: [.dns("step")], publicKey: .init(key.publicKey), notBefore: Date().addingTimeInterval(-60),
                    notAfter: Date().addingTimeInterval(600), provisioner: nil))
            try await Self.expectDenied(
                try await attempt(ClientIdentity(chain: [anonymous, signer.intermediate], key: key)), status: 404,
                contains: "unable to load provisioner from certificate", ca: ca, denials: &denials)
            // Admin of provisioner A presenting a certificate from provisioner B.
            let other = try await fixture.client(try await fixture.identity()) { client in
                try await client.json("POST", "/admin/provisioners", try AdminAPITests.jwkProvisioner(name: "other"))
            }
            #expect(other.status == 201)
            let otherKid = try await fixture.keyID(of: "other")
            try await Self.expectDenied(
                try await attempt(try fixture.craft(subject: "step", provisioner: "other", credentialID: otherKid)),
                contains: "unable to load admin with subject(s) [step step] and provisioner 'other'", ca: ca, denials: &denials)
            // Revoked admin certificate: works, then is revoked, then fails on the very next request.
            let doomed = try await fixture.identity()
            #expect(try await attempt(doomed).0 == 200)
            try await fixture.client(doomed) { client in
                _ = try await client.revoke(RevokeRequest(serial: doomed.chain[0].wardenSerial.decimal, ott: nil, reasonCode: 1, reason: "lost"))
            }
            try await Self.expectDenied(
                try await attempt(doomed), contains: "admin certificate \(doomed.chain[0].wardenSerial.decimal) has been revoked", ca: ca,
                denials: &denials)
            // Removed admin.
            let carol = try await fixture.identity("carol")
            let carolID = try await fixture.client(try await fixture.identity()) { client in
                try #require(
                    try await client.json("POST", "/admin/admins", .parse(#"{"subject":"carol","provisioner":"admin","type":1}"#)).body["id"]?
                        .stringValue)
            }
            #expect(try await attempt(carol).0 == 200)
            let removed = try await fixture.client(try await fixture.identity()) { client in
                try await client.json("DELETE", "/admin/admins/\(carolID)").status
            }
            #expect(removed == 200)
            try await Self.expectDenied(
                try await attempt(carol), contains: "unable to load admin with subject(s) [carol carol] and provisioner 'admin'", ca: ca,
                denials: &denials)
            #expect(denials == 7)
        }
    }
}

/// Starting a ca.json CA with `enableAdmin: true` on an empty database migrates its provisioners.
@Suite
struct RemoteManagementBootstrapTests {
    @Test func migratesCAJSONProvisionersOnceAndKeepsIssuing() async throws {
        try await RunningCA.with(configure: { config in
            config.authority.enableAdmin = true
            config.authority.provisioners.append(Provisioner(type: .acme, name: "acme", fields: ["challenges": .array([.string("http-01")])]))
        }) { ca in
            let provisioners = try await ProvisionerRepository(database: ca.database).live(logger: TestDatabase.logger)
            #expect(Set(provisioners.map(\.name)) == ["admin", "acme"])
            #expect(provisioners.first { $0.name == "acme" }?.details["challenges"] == .array([.string("HTTP_01")]))
            let admins = try await AdminRepository(database: ca.database).live(logger: TestDatabase.logger)
            #expect(admins.map(\.subject) == ["step"])
            #expect(admins.first?.role == .superAdmin)
            #expect(admins.first?.provisionerID == provisioners.first { $0.name == "admin" }?.id)
            // The migrated JWK provisioner still issues with its old key and password.
            let issued = try await ca.issue(subject: "svc.internal")
            #expect(ProvisionerExtension(certificate: issued.chain[0])?.name == "admin")
            // Running the bootstrap again changes nothing.
            let configuration = try CAConfiguration.load(path: ca.configPath)
            let again = try await RemoteManagementBootstrap.run(
                database: ca.database, configuration: configuration, password: Secret(ca.password), logger: TestDatabase.logger)
            #expect(!again)
            #expect(try await TestDatabase.count("provisioners", in: ca.database) == 2)
        }
    }

    @Test func createsAdminJWKWhenCAJSONHasNoJWK() async throws {
        try await RunningCA.with(configure: { config in
            config.authority.enableAdmin = true
            config.authority.provisioners = []
        }) { ca in
            let provisioners = try await ProvisionerRepository(database: ca.database).live(logger: TestDatabase.logger)
            #expect(provisioners.map(\.name) == ["Admin JWK"])
            #expect(provisioners.first?.claims?["x509"]?["durations"]?["default"] == .string("5m0s"))
            // Its key is encrypted with the CA password: an admin certificate for "step" can be had with it.
            let admin = try await CAClient.withClient(try ca.clientConfiguration()) { client in
                let issuer = try await ProvisionerTokenIssuer.load(client: client, name: "Admin JWK", password: ca.password)
                return try await CertificateEnrollment.enroll(client: client, issuer: issuer, subject: "step", sans: [], notAfter: nil)
            }
            let lifetime = admin.chain[0].notValidAfter.timeIntervalSince(admin.chain[0].notValidBefore)
            #expect(lifetime > 5 * 60 && lifetime < 7 * 60)
            let whoami = try await AdminFixture(ca: ca).client(ClientIdentity(chain: admin.chain, key: admin.key)) {
                try await $0.json("GET", "/admin/whoami")
            }
            #expect(whoami.body["role"] == .string("SUPER_ADMIN"))
        }
    }
}
