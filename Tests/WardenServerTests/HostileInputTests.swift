import Crypto
import Foundation
import NIOHTTP1
import Testing
import WardenClient
import WardenCore
import WardenPKI
import WardenTestSupport
import X509

/// Input a client should never send, on the admin and public APIs: each is a 4xx naming the field (never a 500,
/// never a crash), changes nothing, and the server answers `/health` afterwards.
@Suite
struct HostileInputTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let method: String
        let path: String
        let body: String?
        let status: Int
        let message: String
        var testDescription: String { name }
    }

    static let hugeSubject = String(repeating: "s", count: 500_000)
    static let forgedCursor: String = {
        // A cursor whose time is not a date (February 30th), shaped like the ones the server makes.
        let json = #"{"field":"issuedAt","order":"desc","value":"2026-02-30 10:00:00.000000+00","key":"1"}"#
        return Data(json.utf8).base64EncodedString().replacingOccurrences(of: "=", with: "")
    }()

    static let cases: [Case] = [
        Case(
            name: "1e300 as a provisioner type", method: "POST", path: "/admin/provisioners",
            body: #"{"type":1e300,"name":"x","details":{"JWK":{"publicKey":"eyJrdHkiOiJFQyIsImtpZCI6ImsifQ"}}}"#, status: 400,
            message: "type: unknown provisioner type 1e+300"),
        Case(
            name: "1e300 as an admin type", method: "POST", path: "/admin/admins",
            body: #"{"subject":"x","provisioner":"admin","type":1e300}"#, status: 400, message: "invalid value for admin type"),
        Case(
            name: "1.5 as an admin type", method: "POST", path: "/admin/admins",
            body: #"{"subject":"x","provisioner":"admin","type":1.5}"#, status: 400, message: "invalid value for admin type"),
        Case(
            name: "1e300 as a revocation reason code", method: "POST", path: "/admin/certificates/__SERIAL__/revoke",
            body: #"{"reasonCode":1e300}"#, status: 400, message: "reasonCode: must be an integer from 0 to 10"),
        Case(
            name: "an array as an admin revocation body", method: "POST", path: "/admin/certificates/__SERIAL__/revoke",
            body: "[1]", status: 400, message: "body: expected a JSON object"),
        Case(
            name: "a string as an admin creation body", method: "POST", path: "/admin/admins", body: #""step""#, status: 400,
            message: "body: expected a JSON object"),
        Case(
            name: "NUL in a query parameter", method: "GET", path: "/admin/certificates?q=a%00b", body: nil, status: 400,
            message: "q: contains the control character U+0000"),
        Case(
            name: "over-long query parameter", method: "GET", path: "/admin/audit?actor=" + String(repeating: "x", count: 2000), body: nil,
            status: 400, message: "actor: longer than 1024 characters"),
        Case(
            name: "NUL in a provisioner name", method: "POST", path: "/admin/provisioners",
            body: #"{"type":"ACME","name":"a\u0000b","details":{"ACME":{}}}"#, status: 400, message: "body.name: contains a NUL character"),
        Case(
            name: "NUL deep in provisioner details", method: "POST", path: "/admin/provisioners",
            body: #"{"type":"ACME","name":"a","details":{"ACME":{"website":"x\u0000"}}}"#, status: 400,
            message: "body.details.ACME.website: contains a NUL character"),
        Case(
            name: "control character in an admin subject", method: "POST", path: "/admin/admins",
            body: #"{"subject":"a\u0007b","provisioner":"admin","type":1}"#, status: 400, message: "subject: contains the control character U+0007"),
        Case(
            name: "a 500 KB admin subject", method: "POST", path: "/admin/admins",
            body: #"{"subject":"\#(hugeSubject)","provisioner":"admin","type":1}"#, status: 400, message: "subject: longer than 255 characters"),
        Case(
            name: "a provisioner name with surrounding white space", method: "POST", path: "/admin/provisioners",
            body: #"{"type":"ACME","name":" acme ","details":{"ACME":{}}}"#, status: 400, message: "name: must not begin or end with white space"),
        Case(
            name: "an encryptedPrivateKey that is not a JWE", method: "POST", path: "/admin/provisioners",
            body: #"{"type":"JWK","name":"k","details":{"JWK":{"publicKey":"eyJrdHkiOiJFQyIsImtpZCI6ImsifQ","encryptedPrivateKey":"bm90LWEtandl"}}}"#,
            status: 400, message: "details.JWK.encryptedPrivateKey: not a JWE"),
        Case(
            name: "a cursor with an impossible date", method: "GET", path: "/admin/certificates?cursor=\(forgedCursor)", body: nil,
            status: 400, message: "cursor: malformed cursor"),
        Case(
            name: "a revocations cursor that is not base64", method: "GET", path: "/admin/revocations?cursor=%25%25%25", body: nil,
            status: 400, message: "cursor: malformed cursor"),
        Case(
            name: "a serial of 100 digits", method: "GET", path: "/admin/certificates/" + String(repeating: "9", count: 100), body: nil,
            status: 400, message: "serial:"),
        Case(
            name: "a provisioner name needing percent-decoding that does not exist", method: "GET",
            path: "/admin/provisioners/No%20Such%2FThing", body: nil, status: 404, message: "provisioner No Such/Thing not found"),
    ]

    @Test(arguments: cases)
    func refusedNamingTheFieldAndNothingChanges(_ testCase: Case) async throws {
        try await RunningCA.with(remoteManagement: true) { ca in
            let fixture = AdminFixture(ca: ca)
            let step = try await fixture.identity()
            let serial = step.chain[0].wardenSerial.decimal
            let counts = try await Self.counts(ca)
            try await fixture.client(step) { client in
                let response = try await client.exchange(
                    .init(rawValue: testCase.method), testCase.path.replacingOccurrences(of: "__SERIAL__", with: serial),
                    body: testCase.body.map { Array($0.utf8) })
                let body = JSONValue.parse(String(decoding: response.body, as: UTF8.self))
                #expect(response.status == testCase.status, "\(body)")
                #expect(body["message"]?.stringValue?.contains(testCase.message) == true, "\(body)")
                #expect(body["type"] != nil, "admin errors keep their {type,detail,message} shape: \(body)")
                #expect(try await client.health().status == "ok")
            }
            #expect(try await Self.counts(ca) == counts)
        }
    }

    static func counts(_ ca: RunningCA) async throws -> [Int] {
        var out: [Int] = []
        for table in ["provisioners", "admins", "revocations", "certificates"] {
            out.append(try await TestDatabase.count(table, in: ca.database))
        }
        return out
    }

    /// No certificate outlives its issuer: with claims that would allow it, a requested notAfter past the
    /// intermediate's is refused naming the bound; the default lifetime is cut to it instead.
    @Test func noCertificateOutlivesItsIssuer() async throws {
        try await RunningCA.with(configure: { config in
            config.authority.claims = Claims(
                minTLSCertDuration: .minutes(5), maxTLSCertDuration: .hours(200_000), defaultTLSCertDuration: .hours(100_000))
        }) { ca in
            let intermediate = try PEMBundle.certificates(fromFile: ca.directory.appendingPathComponent("certs/intermediate_ca.crt").path)[0]
            let tokens = try TestTokens(ca: ca)
            try await CAClient.withClient(try ca.clientConfiguration()) { client in
                let refused = try await client.exchange("POST", "/1.0/sign", json: try await BadInputTests.sign(tokens, notAfter: "150000h"))
                #expect(refused.status == 400)
                #expect(
                    refused.body.contains("is after the issuing CA's notAfter \(ProtoTimestamp.format(intermediate.notValidAfter))"),
                    "\(refused.body)")
                let capped = try await client.exchange("POST", "/1.0/sign", json: try await BadInputTests.sign(tokens))
                #expect(capped.status == 201, "\(capped.body)")
                let response = try JSONDecoder().decode(SignResponse.self, from: Data(capped.body.utf8))
                let leaf = try PEMBundle.certificates(fromPEM: response.crt)[0]
                #expect(leaf.notValidAfter == intermediate.notValidAfter)
                #expect(leaf.notValidBefore >= intermediate.notValidBefore)
            }
        }
    }
}
