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

/// A real CA on a loopback port, real TLS, real PostgreSQL: issue, renew, revoke, CRL.
@Suite
struct IssuanceEndToEndTests {
    @Test func issueRenewRevokeAndCRL() async throws {
        try await RunningCA.with { ca in
            let issued = try await ca.issue(subject: "web.internal", sans: ["web.internal", "10.9.8.7"], notAfter: "2h")
            let leaf = issued.chain[0]
            #expect(issued.chain.count == 2)
            // The requested notAfter is honoured (not the 24 h default): 2 h from now, plus step's minute of back-dating.
            let lifetime = leaf.notValidAfter.timeIntervalSince(leaf.notValidBefore)
            #expect((2 * 3600 + 58)...(2 * 3600 + 62) ~= lifetime, "\(lifetime)")
            let certificates = CertificateRepository(database: ca.database)
            let stored = try #require(try await certificates.find(serial: leaf.wardenSerial, logger: TestDatabase.logger))
            #expect(stored.subject == "web.internal")
            #expect(stored.sans == ["web.internal", "10.9.8.7"])
            #expect(stored.provisionerName == "admin")
            #expect(stored.der == PEMBundle.der(leaf))
            #expect(ProvisionerExtension(certificate: leaf)?.name == "admin")

            // Renew with the certificate itself (mTLS).
            let identity = ClientIdentity(chain: issued.chain, key: issued.key)
            let renewed = try await CAClient.withClient(try ca.clientConfiguration(identity: identity)) { try await $0.renew() }
            let renewedLeaf = try PEMBundle.certificates(fromPEM: renewed.crt)[0]
            #expect(renewedLeaf.serialNumber != leaf.serialNumber)
            #expect(renewedLeaf.subject == leaf.subject)
            #expect(renewedLeaf.publicKey == leaf.publicKey)
            #expect(renewedLeaf.extensions == leaf.extensions)
            // A renewed certificate keeps its lifetime.
            #expect(abs(renewedLeaf.notValidAfter.timeIntervalSince(renewedLeaf.notValidBefore) - lifetime) <= 1)
            let renewedRecord = try #require(try await certificates.find(serial: renewedLeaf.wardenSerial, logger: TestDatabase.logger))
            #expect(renewedRecord.renewedFrom == leaf.wardenSerial)

            // Revoke the renewed certificate with itself, then it can no longer renew.
            let renewedIdentity = ClientIdentity(chain: [renewedLeaf] + Array(issued.chain.dropFirst()), key: issued.key)
            try await CAClient.withClient(try ca.clientConfiguration(identity: renewedIdentity)) { client in
                _ = try await client.revoke(RevokeRequest(serial: renewedLeaf.wardenSerial.decimal, ott: nil, reasonCode: 4, reason: "rotated"))
                let again = try await client.exchange("POST", "/1.0/renew", json: nil)
                #expect(again.status == 401)
                #expect(again.body.contains("revoked"))
            }
            let revocation = try await RevocationRepository(database: ca.database).find(serial: renewedLeaf.wardenSerial, logger: TestDatabase.logger)
            #expect(revocation?.reasonCode == .superseded)
            #expect(revocation?.method == .mtls)

            // The CRL lists it with its reason, and is signed by the intermediate.
            let der = try await CAClient.withClient(try ca.clientConfiguration()) { try await $0.crlDER() }
            let crl = try CertificateRevocationList.Parsed(der: der)
            #expect(crl.entries.map(\.serial) == [renewedLeaf.wardenSerial])
            #expect(crl.entries.first?.reason == .superseded)
            #expect(crl.isSigned(by: issued.chain[1]))
        }
    }

    @Test func revokeByProvisionerTokenWithHexSerial() async throws {
        try await RunningCA.with { ca in
            let issued = try await ca.issue(subject: "db.internal")
            let serial = issued.chain[0].wardenSerial
            try await CAClient.withClient(try ca.clientConfiguration()) { client in
                let issuer = try await ca.tokenIssuer(client: client)
                let token = try await issuer.token(subject: serial.decimal, audiencePath: "/1.0/revoke")
                _ = try await client.revoke(RevokeRequest(serial: "0x" + serial.hex, ott: token, reasonCode: 1, reason: "key leaked"))
                // Same serial again: step answers 400 "already revoked".
                let token2 = try await issuer.token(subject: serial.decimal, audiencePath: "/1.0/revoke")
                let body = #"{"serial":"\#(serial.decimal)","ott":"\#(token2)","reasonCode":1,"passive":true}"#
                let again = try await client.exchange("POST", "/revoke", json: body)
                #expect(again.status == 400)
                #expect(again.body.contains("already revoked"))
            }
            let revocation = try await RevocationRepository(database: ca.database).find(serial: serial, logger: TestDatabase.logger)
            #expect(revocation?.reasonCode == .keyCompromise)
            #expect(revocation?.revokedBy == "provisioner:admin")
        }
    }

    @Test func publicReadEndpoints() async throws {
        try await RunningCA.with { ca in
            try await CAClient.withClient(try ca.clientConfiguration()) { client in
                #expect(try await client.health().status == "ok")
                let root = try PEMBundle.certificates(fromFile: ca.rootPath)[0]
                let fingerprint = PEMBundle.fingerprint(root)
                let rootPEM = PEMBundle.pem(root)
                for prefix in ["", "/1.0"] {
                    // /roots (201, as step-ca) and /federation carry exactly the CA's root — not the intermediate.
                    let roots = try await client.exchange("GET", "\(prefix)/roots", json: nil)
                    #expect(roots.status == 201)
                    #expect(try JSONDecoder().decode(RootsResponse.self, from: Data(roots.body.utf8)).crts == [rootPEM])
                    let federation = try await client.exchange("GET", "\(prefix)/federation", json: nil)
                    #expect(federation.status == 201)
                    #expect(try JSONDecoder().decode(RootsResponse.self, from: Data(federation.body.utf8)).crts == [rootPEM])
                    let byFingerprint = try await client.exchange("GET", "\(prefix)/root/\(fingerprint)", json: nil)
                    #expect(byFingerprint.status == 200)
                    #expect(JSONValue.parse(byFingerprint.body)["ca"] == .string(rootPEM))
                    // The fingerprint may come with dashes and in upper case, as step accepts it.
                    let dashed = stride(from: 0, to: 64, by: 8).map { String(Array(fingerprint.uppercased())[$0..<$0 + 8]) }.joined(separator: "-")
                    #expect(JSONValue.parse(try await client.exchange("GET", "\(prefix)/root/\(dashed)", json: nil).body)["ca"] == .string(rootPEM))
                    #expect(
                        JSONValue.parse(try await client.exchange("GET", "\(prefix)/version", json: nil).body)["version"] == .string(CAServer.version)
                    )
                }
                let missing = try await client.exchange("GET", "/root/\(String(repeating: "0", count: 64))", json: nil)
                #expect(missing.status == 404)
                let error = try JSONDecoder().decode(PublicErrorBody.self, from: Data(missing.body.utf8))
                #expect(error.status == 404)
                #expect(error.message.contains("was not found"))

                let provisioners = try await client.provisioners()
                #expect(provisioners.map(\.name) == ["admin"])
                let kid = try #require(provisioners[0].keyID)
                #expect(try await client.encryptedKey(keyID: kid) == provisioners[0].encryptedKey)
                #expect(try await client.exchange("GET", "/provisioners/nope/encrypted-key", json: nil).status == 404)
                #expect(try await client.exchange("GET", "/provisioners?limit=abc", json: nil).status == 400)
                #expect(try await client.exchange("GET", "/provisioners?cursor=-3", json: nil).status == 400)
                let pem = try await client.exchange("GET", "/roots.pem", json: nil)
                #expect(pem.body == rootPEM)
                #expect(try await client.exchange("GET", "/crl?pem", json: nil).body.hasPrefix("-----BEGIN X509 CRL-----"))
                let unknown = try await client.exchange("GET", "/no/such/route", json: nil)
                #expect(unknown.status == 404)
                #expect((try? JSONDecoder().decode(PublicErrorBody.self, from: Data(unknown.body.utf8))) != nil)
            }
        }
    }

    /// An X5C provisioner: the token carries a certificate chain that must lead to the provisioner's roots.
    @Test func x5cProvisionerIssuesForItsChainOnly() async throws {
        let trusted = try CertificateHierarchy.create(name: "Workload")
        let trustedSigner = try SigningAuthority(roots: [trusted.root], intermediate: trusted.intermediate, key: trusted.intermediateKey)
        let workloadKey = P256.Signing.PrivateKey()
        let workloadLeaf = try trustedSigner.issue(
            .init(
                commonName: "node-1", sans: [.dns("node-1")], publicKey: .init(workloadKey.publicKey), notBefore: Date().addingTimeInterval(-60),
                notAfter: Date().addingTimeInterval(3600), provisioner: nil))
        let rootsPEM = Data(PEMBundle.pem(trusted.root).utf8).base64EncodedString()
        try await RunningCA.with(configure: { config in
            config.authority.provisioners.append(Provisioner(type: .x5c, name: "workloads", fields: ["roots": .string(rootsPEM)]))
        }) { ca in
            try await CAClient.withClient(try ca.clientConfiguration()) { client in
                func token(chain: [Certificate], key: P256.Signing.PrivateKey) async throws -> String {
                    let now = Date()
                    let claims = TokenClaims(
                        iss: "workloads", sub: "node-1.internal", aud: ca.url.absoluteString + "/1.0/sign", exp: now.addingTimeInterval(300),
                        nbf: now, iat: now, jti: OneTimeToken.newTokenID(), sans: ["node-1.internal"])
                    return try await OneTimeToken.sign(claims, key: key, keyID: nil, x5c: chain)
                }
                let csr = try TestTokens.csr(subject: "node-1.internal", sans: ["node-1.internal"])
                let good = try await token(chain: [workloadLeaf, trusted.intermediate], key: workloadKey)
                let signed = try await client.sign(SignRequest(csr: csr, ott: good))
                let leaf = try PEMBundle.certificates(fromPEM: signed.crt)[0]
                #expect(ProvisionerExtension(certificate: leaf)?.name == "workloads")
                #expect(ProvisionerExtension(certificate: leaf)?.type == ProvisionerType.x5c.rawValue)

                let foreign = try CertificateHierarchy.create(name: "Foreign")
                let foreignSigner = try SigningAuthority(roots: [foreign.root], intermediate: foreign.intermediate, key: foreign.intermediateKey)
                let foreignLeaf = try foreignSigner.issue(
                    .init(
                        commonName: "node-1", sans: [.dns("node-1")], publicKey: .init(workloadKey.publicKey),
                        notBefore: Date().addingTimeInterval(-60), notAfter: Date().addingTimeInterval(3600), provisioner: nil))
                func refused(_ ott: String) async throws -> (Int, String) {
                    let body = try String(decoding: JSONEncoder().encode(SignRequest(csr: csr, ott: ott)), as: UTF8.self)
                    let response = try await client.exchange("POST", "/1.0/sign", json: body)
                    return (response.status, JSONValue.parse(response.body)["message"]?.stringValue ?? response.body)
                }
                // A chain from another CA.
                let foreignRefusal = try await refused(try await token(chain: [foreignLeaf, foreign.intermediate], key: workloadKey))
                #expect(foreignRefusal.0 == 401)
                #expect(foreignRefusal.1.hasPrefix("error verifying x5c certificate chain in token"), "\(foreignRefusal.1)")
                // The trusted chain, but the token signed by another key than the leaf's.
                let forged = try await refused(try await token(chain: [workloadLeaf, trusted.intermediate], key: P256.Signing.PrivateKey()))
                #expect(forged == (401, "error verifying token: invalid signature"))
                // An expired leaf under the trusted root.
                let expiredKey = P256.Signing.PrivateKey()
                let expiredLeaf = try trustedSigner.issue(
                    .init(
                        commonName: "node-1", sans: [.dns("node-1")], publicKey: .init(expiredKey.publicKey),
                        notBefore: Date().addingTimeInterval(-7200), notAfter: Date().addingTimeInterval(-3600), provisioner: nil))
                let expired = try await refused(try await token(chain: [expiredLeaf, trusted.intermediate], key: expiredKey))
                #expect(expired.0 == 401)
                #expect(expired.1.contains("certificate has expired"), "\(expired.1)")
            }
            #expect(try await TestDatabase.count("certificates", in: ca.database) == 1)
            #expect(try await TestDatabase.count("used_tokens", in: ca.database) == 1)
        }
    }

    /// Renewal follows the issuing provisioner's claims: `disableRenewal` refuses it, an expired certificate is
    /// refused unless `allowRenewalAfterExpiry`, and then the new certificate starts now with the old lifetime.
    @Test func renewalFollowsTheProvisionersRules() async throws {
        let norenew = try CAInitializer.makeJWKProvisioner(
            name: "norenew", password: Array("pw-norenew".utf8), iterations: 1000, claims: Claims(disableRenewal: true))
        let lenient = try CAInitializer.makeJWKProvisioner(
            name: "lenient", password: Array("pw-lenient".utf8), iterations: 1000, claims: Claims(allowRenewalAfterExpiry: true))
        try await RunningCA.with(configure: { $0.authority.provisioners += [norenew, lenient] }) { ca in
            let fixture = AdminFixture(ca: ca)
            func renew(_ identity: ClientIdentity) async throws -> (status: Int, body: String) {
                try await CAClient.withClient(try ca.clientConfiguration(identity: identity)) {
                    try await $0.exchange("POST", "/1.0/renew", json: nil)
                }
            }
            let blocked = try await renew(try await fixture.identity("a.internal", provisioner: "norenew", password: "pw-norenew"))
            #expect(blocked.status == 401)
            #expect(JSONValue.parse(blocked.body)["message"] == .string("renew is disabled for provisioner \"norenew\""))
            #expect(try await renew(try await fixture.identity("a.internal", provisioner: "lenient", password: "pw-lenient")).status == 201)

            // Certificates that expired an hour ago (made with the CA's key, as if issued earlier).
            let past = (notBefore: Date().addingTimeInterval(-7200), notAfter: Date().addingTimeInterval(-3600))
            let expired = try fixture.craft(
                subject: "old.internal", provisioner: "admin", credentialID: try await fixture.keyID(of: "admin"), notBefore: past.notBefore,
                notAfter: past.notAfter)
            let refused = try await renew(expired)
            #expect(refused.status == 401)
            #expect(JSONValue.parse(refused.body)["message"]?.stringValue?.hasPrefix("certificate expired at") == true, "\(refused.body)")
            let expiredLenient = try fixture.craft(
                subject: "old.internal", provisioner: "lenient", credentialID: try await fixture.keyID(of: "lenient"), notBefore: past.notBefore,
                notAfter: past.notAfter)
            let allowed = try await renew(expiredLenient)
            #expect(allowed.status == 201, "\(allowed.body)")
            let renewed = try PEMBundle.certificates(fromPEM: try JSONDecoder().decode(SignResponse.self, from: Data(allowed.body.utf8)).crt)[0]
            #expect(renewed.notValidAfter > Date())
            #expect(abs(renewed.notValidAfter.timeIntervalSince(renewed.notValidBefore) - 3600) <= 1)
            #expect(ProvisionerExtension(certificate: renewed)?.name == "lenient")
        }
    }

    /// step's one minute of leeway on `nbf` and `iat`, on both sides of the minute; a successful revocation
    /// spends its token.
    @Test func timeLeewayAndRevokeTokensAreSpent() async throws {
        try await RunningCA.with { ca in
            let tokens = try TestTokens(ca: ca)
            try await CAClient.withClient(try ca.clientConfiguration()) { client in
                let soon = Date().addingTimeInterval(30).timeIntervalSince1970.rounded(.down)
                let withinLeeway = try await BadInputTests.sign(tokens) {
                    $0.nbf = soon
                    $0.iat = soon
                }
                #expect(try await client.exchange("POST", "/1.0/sign", json: withinLeeway).status == 201)
                // (iat stays now: a token issued before the CA started is refused on its own, as step-ca does.)
                let late = Date().addingTimeInterval(-330).timeIntervalSince1970.rounded(.down)
                let expiredWithinLeeway = try await BadInputTests.sign(tokens) {
                    $0.nbf = late
                    $0.exp = late + 300
                }
                #expect(try await client.exchange("POST", "/1.0/sign", json: expiredWithinLeeway).status == 201)
                let tooLate = Date().addingTimeInterval(-400).timeIntervalSince1970.rounded(.down)
                let expired = try await BadInputTests.sign(tokens) {
                    $0.nbf = tooLate
                    $0.exp = tooLate + 300
                }
                let refused = try await client.exchange("POST", "/1.0/sign", json: expired)
                #expect(refused.status == 401)
                #expect(JSONValue.parse(refused.body)["message"] == .string("token is expired"))

                let issued = try await ca.issue(subject: "spent.internal")
                let serial = issued.chain[0].wardenSerial.decimal
                let token = try await tokens.make(subject: serial, audience: ca.url.absoluteString + "/1.0/revoke")
                let body = #"{"serial":"\#(serial)","ott":"\#(token)","reasonCode":1,"passive":true}"#
                #expect(try await client.exchange("POST", "/1.0/revoke", json: body).status == 200)
                let replay = try await client.exchange("POST", "/revoke", json: body)
                #expect(replay.status == 401)
                #expect(JSONValue.parse(replay.body)["message"] == .string("token already used"))
            }
        }
    }

    /// Renewal by token (`step ca renew --mtls=false`, for clients behind layer-7 proxies): the chain in
    /// `x5cInsecure`, signed with the certificate's key, `aud` the renew URL. Single use, audience named when
    /// wrong, and the same revocation and expiry rules as mTLS renewal.
    @Test func renewalByToken() async throws {
        try await RunningCA.with { ca in
            let issued = try await ca.issue(subject: "proxied.internal", notAfter: "3h")
            func token(
                _ chain: [Certificate], key: P256.Signing.PrivateKey, audience: String? = nil, issuer: String = "step-ca-client/1.0"
            ) async throws -> String {
                let now = Date()
                let claims = TokenClaims(
                    iss: issuer, sub: "proxied.internal", aud: audience ?? ca.url.absoluteString + "/1.0/renew", exp: now.addingTimeInterval(300),
                    nbf: now, iat: now, jti: OneTimeToken.newTokenID())
                return try await OneTimeToken.sign(claims, key: key, keyID: nil, x5cInsecure: chain)
            }
            try await CAClient.withClient(try ca.clientConfiguration()) { client in
                func renew(_ token: String) async throws -> (status: Int, body: JSONValue) {
                    let response = try await client.exchange(.POST, "/1.0/renew", body: nil, headers: [("Authorization", "Bearer " + token)])
                    return (response.status, JSONValue.parse(String(decoding: response.body, as: UTF8.self)))
                }
                let good = try await token(issued.chain, key: issued.key)
                let renewed = try await renew(good)
                #expect(renewed.status == 201, "\(renewed.body)")
                let leaf = try PEMBundle.certificates(fromPEM: renewed.body["crt"]?.stringValue ?? "")[0]
                #expect(leaf.subject == issued.chain[0].subject)
                #expect(leaf.wardenSerial != issued.chain[0].wardenSerial)
                #expect(abs(leaf.notValidAfter.timeIntervalSince(leaf.notValidBefore) - (3 * 3600 + 60)) <= 2)
                let record = try await CertificateRepository(database: ca.database).find(serial: leaf.wardenSerial, logger: TestDatabase.logger)
                #expect(record?.renewedFrom == issued.chain[0].wardenSerial)
                // Replay.
                let replay = try await renew(good)
                #expect(replay.status == 401)
                #expect(replay.body["message"] == .string("token already used"))
                // Wrong audience: named, with what is accepted.
                let elsewhere = try await renew(try await token(issued.chain, key: issued.key, audience: "https://lb.example.com/1.0/renew"))
                #expect(elsewhere.status == 401)
                #expect(
                    elsewhere.body["message"]?.stringValue?.contains("received \"https://lb.example.com/1.0/renew\"") == true, "\(elsewhere.body)")
                #expect(elsewhere.body["message"]?.stringValue?.contains("for host 127.0.0.1, localhost") == true)
                // Signed by another key than the certificate's.
                let forged = try await renew(try await token(issued.chain, key: P256.Signing.PrivateKey()))
                #expect(forged.status == 401)
                #expect(forged.body["message"] == .string("error verifying token: invalid signature"))
                // A wrong issuer.
                let stranger = try await renew(try await token(issued.chain, key: issued.key, issuer: "someone"))
                #expect(stranger.status == 401)
                #expect(stranger.body["message"]?.stringValue?.hasPrefix("invalid renew token issuer claim (iss)") == true)
                // Revoked: refused like mTLS renewal.
                let serial = issued.chain[0].wardenSerial.decimal
                let revokeToken = try await TestTokens(ca: ca).make(subject: serial, audience: ca.url.absoluteString + "/1.0/revoke")
                #expect(
                    try await client.exchange("POST", "/1.0/revoke", json: #"{"serial":"\#(serial)","ott":"\#(revokeToken)","passive":true}"#).status
                        == 200)
                let revoked = try await renew(try await token(issued.chain, key: issued.key))
                #expect(revoked.status == 401)
                #expect(revoked.body["message"] == .string("certificate has been revoked"))
            }
            #expect(try await TestDatabase.count("certificates", in: ca.database, where: "renewed_from IS NOT NULL") == 1)
        }
    }
}
