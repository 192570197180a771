import Crypto
import Foundation
import Testing
import WardenClient
import WardenCore
import WardenPKI
import WardenStore
import WardenTestSupport
import X509

/// A real CA on a loopback port, real TLS, real PostgreSQL: issue, renew, revoke, CRL.
@Suite(.enabled(if: TestDatabase.isAvailable, "set WARDEN_TEST_DATABASE_URL to a PostgreSQL cluster"))
struct IssuanceEndToEndTests {
    @Test func issueRenewRevokeAndCRL() async throws {
        try await RunningCA.with { ca in
            let issued = try await ca.issue(subject: "web.internal", sans: ["web.internal", "10.9.8.7"], notAfter: "2h")
            let leaf = issued.chain[0]
            #expect(issued.chain.count == 2)
            #expect(leaf.notValidAfter.timeIntervalSince(leaf.notValidBefore) > 2 * 3600 - 1)
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

            // The CRL lists it, and is signed by the intermediate.
            let crl = try await CAClient.withClient(try ca.clientConfiguration()) { try await $0.crlDER() }
            let serialBytes = renewedLeaf.wardenSerial.bytes
            #expect(crl.indices.dropLast(serialBytes.count).contains { Array(crl[$0..<($0 + serialBytes.count)]) == serialBytes })
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
                for prefix in ["", "/1.0"] {
                    let roots = try await client.exchange("GET", "\(prefix)/roots", json: nil)
                    #expect(roots.status == 201)
                    #expect(roots.body.contains("BEGIN CERTIFICATE"))
                    let byFingerprint = try await client.exchange("GET", "\(prefix)/root/\(fingerprint)", json: nil)
                    #expect(byFingerprint.status == 200)
                    #expect(try await client.exchange("GET", "\(prefix)/version", json: nil).body.contains("\"version\""))
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
                #expect(pem.body.hasPrefix("-----BEGIN CERTIFICATE-----"))
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
                let bad = try await token(chain: [foreignLeaf, foreign.intermediate], key: workloadKey)
                let body = try String(decoding: JSONEncoder().encode(SignRequest(csr: csr, ott: bad)), as: UTF8.self)
                let rejected = try await client.exchange("POST", "/1.0/sign", json: body)
                #expect(rejected.status == 401)
                #expect(rejected.body.contains("x5c"))
            }
            #expect(try await TestDatabase.count("certificates", in: ca.database) == 1)
        }
    }
}
