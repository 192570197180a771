import Crypto
import Foundation
import SwiftASN1
import Testing
import WardenClient
import WardenCore
import WardenPKI
import WardenStore
import WardenTestSupport
import X509

/// Every kind of bad request gets a 4xx in the `{status,message}` shape, stores nothing, and the server keeps
/// serving.
@Suite
struct BadInputTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let status: Int
        let messageContains: String
        let body: @Sendable (TestTokens, RunningCA) async throws -> String

        var testDescription: String { name }
    }

    static func signBody(csr: String, ott: String, notBefore: String? = nil, notAfter: String? = nil) throws -> String {
        try String(decoding: JSONEncoder().encode(SignRequest(csr: csr, ott: ott, notBefore: notBefore, notAfter: notAfter)), as: UTF8.self)
    }

    /// A good CSR and token for `subject` (SANs `[subject]`), with the token and request fields adjustable.
    static func sign(
        _ tokens: TestTokens, subject: String = "a", sans: [String]? = nil, notBefore: String? = nil, notAfter: String? = nil,
        signingKey: P256.Signing.PrivateKey? = nil, edit: (inout TokenClaims) -> Void = { _ in }
    ) async throws -> String {
        let names = sans ?? [subject]
        // A CSR cannot even hold a non-ASCII SAN; the server refuses the token's names before it reads the CSR's.
        let encodable = names.filter { $0.allSatisfy(\.isASCII) && !$0.contains("\u{0}") }
        return try signBody(
            csr: try TestTokens.csr(subject: encodable.first ?? "a", sans: encodable),
            ott: try await tokens.make(subject: subject, sans: names, signingKey: signingKey, edit: edit), notBefore: notBefore,
            notAfter: notAfter)
    }

    static let cases: [Case] = [
        Case(name: "malformed JSON", status: 400, messageContains: "error decoding request body") { _, _ in #"{"csr": "# },
        Case(name: "wrong field type", status: 400, messageContains: "csr") { _, _ in #"{"csr": 5, "ott": "x"}"# },
        Case(name: "missing field", status: 400, messageContains: "ott") { _, _ in #"{"csr": "x"}"# },
        Case(name: "not a CSR", status: 400, messageContains: "not a PEM CSR") { tokens, _ in
            try signBody(
                csr: "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n", ott: try await tokens.make(subject: "a"))
        },
        Case(name: "CSR with a bad signature", status: 400, messageContains: "signature") { tokens, _ in
            let good = try TestTokens.csr(subject: "a", sans: ["a"])
            let document = try PEMDocument(pemString: good)
            var der = document.derBytes
            der[der.count - 5] ^= 0xff  // flip a bit inside the signature
            let tampered = PEMDocument(type: "CERTIFICATE REQUEST", derBytes: der).pemString
            return try signBody(csr: tampered, ott: try await tokens.make(subject: "a"))
        },
        Case(
            name: "token for another audience", status: 401,
            messageContains: "invalid token audience claim (aud): received \"https://other-ca.example/1.0/sign\""
        ) { tokens, _ in
            try signBody(
                csr: try TestTokens.csr(subject: "a", sans: ["a"]),
                ott: try await tokens.make(subject: "a", audience: "https://other-ca.example/1.0/sign"))
        },
        Case(name: "token for another endpoint", status: 401, messageContains: "for host 127.0.0.1, localhost, or the bare path") { tokens, ca in
            try signBody(
                csr: try TestTokens.csr(subject: "a", sans: ["a"]),
                ott: try await tokens.make(subject: "a", audience: ca.url.absoluteString + "/1.0/revoke"))
        },
        Case(name: "expired token", status: 401, messageContains: "expired") { tokens, _ in
            try signBody(
                csr: try TestTokens.csr(subject: "a", sans: ["a"]),
                ott: try await tokens.make(subject: "a", issuedAt: Date().addingTimeInterval(-3600)))
        },
        Case(name: "token from an unknown key", status: 401, messageContains: "provisioner \"admin\" with key id \"unknown-kid\" not found") {
            tokens, _ in
            try signBody(csr: try TestTokens.csr(subject: "a", sans: ["a"]), ott: try await tokens.make(subject: "a", keyID: "unknown-kid"))
        },
        Case(name: "garbage token", status: 401, messageContains: "error parsing token: token is not a compact JWS") { _, _ in
            try signBody(csr: try TestTokens.csr(subject: "a", sans: ["a"]), ott: "not-a-token")
        },
        Case(name: "CSR names not in the token", status: 403, messageContains: "not authorized") { tokens, _ in
            try signBody(csr: try TestTokens.csr(subject: "a", sans: ["a", "evil.example"]), ott: try await tokens.make(subject: "a"))
        },
        Case(name: "CSR common name not in the token", status: 403, messageContains: "common name") { tokens, _ in
            try signBody(csr: try TestTokens.csr(subject: "root", sans: ["a"]), ott: try await tokens.make(subject: "a"))
        },
        Case(name: "duration above the maximum", status: 403, messageContains: "maximum") { tokens, _ in
            try signBody(csr: try TestTokens.csr(subject: "a", sans: ["a"]), ott: try await tokens.make(subject: "a"), notAfter: "1000h")
        },
        Case(name: "duration below the minimum", status: 403, messageContains: "minimum") { tokens, _ in
            try signBody(csr: try TestTokens.csr(subject: "a", sans: ["a"]), ott: try await tokens.make(subject: "a"), notAfter: "30s")
        },
        Case(name: "unparseable notAfter", status: 400, messageContains: "notAfter: \"tomorrow\" is neither an RFC 3339 time nor a duration") {
            tokens, _ in
            try await sign(tokens, notAfter: "tomorrow")
        },
        // Signature, time and claim rules, through the server (a forgery carries the provisioner's kid).
        Case(name: "token signed by another key with the provisioner's kid", status: 401, messageContains: "error verifying token: invalid signature")
        {
            tokens, _ in try await sign(tokens, signingKey: P256.Signing.PrivateKey())
        },
        Case(name: "token not valid before a minute from now", status: 401, messageContains: "token is not yet valid") { tokens, _ in
            try await sign(tokens) { $0.nbf = Date().addingTimeInterval(120).timeIntervalSince1970.rounded(.down) }
        },
        Case(name: "token issued in the future", status: 401, messageContains: "token was issued in the future") { tokens, _ in
            try await sign(tokens) { $0.iat = Date().addingTimeInterval(120).timeIntervalSince1970.rounded(.down) }
        },
        Case(name: "token without exp", status: 401, messageContains: "token has no expiration claim (exp)") { tokens, _ in
            try await sign(tokens) { $0.exp = nil }
        },
        Case(name: "token with an empty subject", status: 401, messageContains: "token subject cannot be empty") { tokens, _ in
            try await sign(tokens, subject: "") { $0.sans = ["a"] }
        },
        Case(name: "token from another issuer name", status: 401, messageContains: "provisioner \"someone-else\" with key id") { tokens, _ in
            try await sign(tokens) { $0.iss = "someone-else" }
        },
        // Hostile times (each once killed the process or issued a useless certificate).
        Case(
            name: "notBefore at year 1 and notAfter at year 9999", status: 400,
            messageContains: "notBefore: 0001-01-01T00:00:00Z is before the issuing CA's notBefore"
        ) {
            tokens, _ in try await sign(tokens, notBefore: "0001-01-01T00:00:00Z", notAfter: "9999-12-31T23:59:59Z")
        },
        Case(name: "notAfter at year 9999", status: 403, messageContains: "more than the authorized maximum certificate duration of 24h0m0s") {
            tokens, _ in
            try await sign(tokens, notAfter: "9999-12-31T23:59:59Z")
        },
        Case(name: "Go durations at the ends of int64", status: 400, messageContains: "is before the issuing CA's notBefore") { tokens, _ in
            try await sign(tokens, notBefore: "-2562047h", notAfter: "2562047h")
        },
        Case(name: "notAfter of 2562047h", status: 403, messageContains: "more than the authorized maximum") { tokens, _ in
            try await sign(tokens, notAfter: "2562047h")
        },
        Case(
            name: "a certificate valid only in 1990", status: 400,
            messageContains: "notBefore: 1990-01-01T00:00:00Z is before the issuing CA's notBefore"
        ) {
            tokens, _ in try await sign(tokens, notBefore: "1990-01-01T00:00:00Z", notAfter: "1990-01-02T00:00:00Z")
        },
        Case(name: "notAfter in the past", status: 400, messageContains: "must be after notBefore") { tokens, _ in
            try await sign(tokens, notAfter: "1990-01-02T00:00:00Z")
        },
        Case(name: "notAfter before notBefore", status: 400, messageContains: "must be after notBefore") { tokens, _ in
            try await sign(tokens, notBefore: "2h", notAfter: "1h")
        },
        // Names that cannot be encoded in a certificate.
        Case(name: "internationalised DNS name", status: 400, messageContains: "dns name \"bücher.example\" is not ASCII") { tokens, _ in
            try await sign(tokens, subject: "bücher.example")
        },
        Case(name: "look-alike DNS name (Cyrillic a)", status: 400, messageContains: "is not ASCII (U+0430)") { tokens, _ in
            try await sign(tokens, subject: "ex\u{430}mple.com")
        },
        Case(name: "email with a non-ASCII local part", status: 400, messageContains: "email address") { tokens, _ in
            try await sign(tokens, subject: "a", sans: ["jürgen@example.com"])
        },
        Case(
            name: "control character in the subject", status: 400,
            messageContains: "common name \"a\\u{0007}b\" contains the control character U+0007"
        ) {
            tokens, _ in try await sign(tokens, subject: "a\u{7}b", sans: ["a.example"])
        },
        Case(name: "NUL in the token's subject", status: 400, messageContains: "U+0000") { tokens, _ in
            try await sign(tokens, subject: "a\u{0}b", sans: ["a.example"])
        },
        Case(name: "common name over 255 characters", status: 400, messageContains: "is longer than 255 characters") { tokens, _ in
            try await sign(tokens, subject: String(repeating: "a", count: 300), sans: ["a.example"])
        },
        Case(name: "DNS label over 63 characters", status: 400, messageContains: "has a label longer than 63 characters") { tokens, _ in
            try await sign(tokens, subject: String(repeating: "b", count: 64) + ".example")
        },
        Case(name: "NUL in a JSON string of the body", status: 400, messageContains: "body.ott: contains a NUL character") { _, _ in
            #"{"csr":"x","ott":"a\u0000b"}"#
        },
        Case(name: "a body that is not an object", status: 400, messageContains: "error decoding request body") { _, _ in "[1]" },
    ]

    @Test(arguments: cases)
    func rejectedSignRequestsStoreNothing(_ testCase: Case) async throws {
        try await RunningCA.with { ca in
            let tokens = try TestTokens(ca: ca)
            let body = try await testCase.body(tokens, ca)
            try await CAClient.withClient(try ca.clientConfiguration()) { client in
                let response = try await client.exchange("POST", "/1.0/sign", json: body)
                #expect(response.status == testCase.status, "\(response.body)")
                let error = try JSONDecoder().decode(PublicErrorBody.self, from: Data(response.body.utf8))
                #expect(error.status == testCase.status)
                #expect(error.message.localizedCaseInsensitiveContains(testCase.messageContains), "\(error.message)")
                #expect(try await client.health().status == "ok")
            }
            #expect(try await TestDatabase.count("certificates", in: ca.database) == 0)
            #expect(try await TestDatabase.count("used_tokens", in: ca.database) == 0)
        }
    }

    @Test func replayedTokenIsRejectedAndMintsNothing() async throws {
        try await RunningCA.with { ca in
            let tokens = try TestTokens(ca: ca)
            let token = try await tokens.make(subject: "a")
            try await CAClient.withClient(try ca.clientConfiguration()) { client in
                let first = try await client.exchange(
                    "POST", "/1.0/sign", json: try Self.signBody(csr: try TestTokens.csr(subject: "a", sans: ["a"]), ott: token))
                #expect(first.status == 201)
                let second = try await client.exchange(
                    "POST", "/sign", json: try Self.signBody(csr: try TestTokens.csr(subject: "a", sans: ["a"]), ott: token))
                #expect(second.status == 401)
                #expect(second.body.contains("token already used"))
            }
            #expect(try await TestDatabase.count("certificates", in: ca.database) == 1)
        }
    }

    @Test func wrongProvisionerPasswordFailsClientSide() async throws {
        _ = try await RunningCA.with { ca in
            try await CAClient.withClient(try ca.clientConfiguration()) { client in
                await #expect(throws: WardenError.unauthorized("")) {
                    _ = try await ProvisionerTokenIssuer.load(client: client, name: "admin", password: Array("wrong".utf8))
                }
            }
        }
    }

    @Test func oversizedBodyIs413() async throws {
        try await RunningCA.with { ca in
            try await CAClient.withClient(try ca.clientConfiguration()) { client in
                let huge = #"{"csr":""# + String(repeating: "A", count: 2 << 20) + #"","ott":"x"}"#
                let response = try await client.exchange("POST", "/1.0/sign", json: huge)
                #expect(response.status == 413)
                #expect(try await client.health().status == "ok")
            }
        }
    }

    @Test func revokeErrors() async throws {
        try await RunningCA.with { ca in
            let tokens = try TestTokens(ca: ca)
            let issued = try await ca.issue(subject: "r.internal")
            let serial = issued.chain[0].wardenSerial.decimal
            try await CAClient.withClient(try ca.clientConfiguration()) { client in
                func revoke(_ json: String) async throws -> (Int, String) {
                    let r = try await client.exchange("POST", "/1.0/revoke", json: json)
                    return (r.status, r.body)
                }
                let revokeAudience = ca.url.absoluteString + "/1.0/revoke"
                func expect(_ result: (Int, String), _ status: Int, _ message: String, sourceLocation: SourceLocation = #_sourceLocation) {
                    #expect(result.0 == status, "\(result.1)", sourceLocation: sourceLocation)
                    #expect(
                        JSONValue.parse(result.1)["message"]?.stringValue?.contains(message) == true, "\(result.1)", sourceLocation: sourceLocation)
                }
                // Unknown serial.
                let unknownToken = try await tokens.make(subject: "12345", audience: revokeAudience)
                expect(
                    try await revoke(#"{"serial":"12345","ott":"\#(unknownToken)","reasonCode":1,"passive":true}"#), 404,
                    "certificate with serial number 12345 was not issued by this CA")
                // Token subject is not the serial.
                let mismatched = try await tokens.make(subject: "999", audience: revokeAudience)
                expect(
                    try await revoke(#"{"serial":"\#(serial)","ott":"\#(mismatched)","passive":true}"#), 403,
                    "token subject \"999\" does not match serial \(serial)")
                // Bad reason code and malformed serial.
                let good = try await tokens.make(subject: serial, audience: revokeAudience)
                expect(
                    try await revoke(#"{"serial":"\#(serial)","ott":"\#(good)","reasonCode":7,"passive":true}"#), 400,
                    "reasonCode must be one of 0-6 or 8-10, got 7")
                expect(try await revoke(#"{"serial":"12ab","ott":"\#(good)","passive":true}"#), 400, "invalid serial number \"12ab\"")
                // A reason with a control character.
                expect(
                    try await revoke(#"{"serial":"\#(serial)","ott":"\#(good)","reason":"a\u0007b","passive":true}"#), 400,
                    "reason: contains the control character U+0007")
                // No credential at all.
                expect(
                    try await revoke(#"{"serial":"\#(serial)","passive":true}"#), 401,
                    "revoke requires a one-time token (ott) or a client certificate")
                // Renew without a client certificate or token.
                let renew = try await client.exchange("POST", "/1.0/renew", json: nil)
                expect((renew.status, renew.body), 400, "missing client certificate")
            }
            #expect(try await TestDatabase.count("revocations", in: ca.database) == 0)
        }
    }

    /// Active revocation (`"passive": false`; step-ca answers 501) is accepted, recorded as active, and in the
    /// next CRL.
    @Test func activeRevocationIsRecordedAndPublished() async throws {
        try await RunningCA.with { ca in
            let tokens = try TestTokens(ca: ca)
            let issued = try await ca.issue(subject: "active.internal")
            let serial = issued.chain[0].wardenSerial
            try await CAClient.withClient(try ca.clientConfiguration()) { client in
                let token = try await tokens.make(subject: serial.decimal, audience: ca.url.absoluteString + "/1.0/revoke")
                let response = try await client.exchange(
                    "POST", "/1.0/revoke", json: #"{"serial":"\#(serial.decimal)","ott":"\#(token)","reasonCode":1,"passive":false}"#)
                #expect(response.status == 200, "\(response.body)")
                let crl = try CertificateRevocationList.Parsed(der: try await client.crlDER())
                #expect(crl.entries.map(\.serial) == [serial])
            }
            let revocation = try await RevocationRepository(database: ca.database).find(serial: serial, logger: TestDatabase.logger)
            #expect(revocation?.passive == false)
        }
    }

    /// mTLS revocation must be by the certificate's own serial.
    @Test func mtlsRevokeOfAnotherSerialIsForbidden() async throws {
        try await RunningCA.with { ca in
            let mine = try await ca.issue(subject: "mine.internal")
            let theirs = try await ca.issue(subject: "theirs.internal")
            let identity = ClientIdentity(chain: mine.chain, key: mine.key)
            try await CAClient.withClient(try ca.clientConfiguration(identity: identity)) { client in
                let response = try await client.exchange(
                    "POST", "/1.0/revoke", json: #"{"serial":"\#(theirs.chain[0].wardenSerial.decimal)","passive":true}"#)
                #expect(response.status == 403)
            }
            #expect(try await TestDatabase.count("revocations", in: ca.database) == 0)
        }
    }
}
