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

@Suite
struct InventoryTests {
    @Test func searchFiltersAndPagesWithoutGapsUnderConcurrentIssuance() async throws {
        try await RunningCA.with(remoteManagement: true) { ca in
            let fixture = AdminFixture(ca: ca)
            for index in 0..<7 { _ = try await ca.issue(subject: "web-\(index).Example.internal") }
            _ = try await ca.issue(subject: "db.internal", sans: ["db.internal", "10.0.0.9"])
            try await fixture.client(try await fixture.identity()) { client in
                // Case-insensitive substring of subject or SAN.
                let web = try await client.json("GET", "/admin/certificates?q=EXAMPLE&limit=500")
                #expect(web.body["items"]?.arrayValue?.count == 7)
                let bySAN = try await client.json("GET", "/admin/certificates?q=10.0.0.9")
                #expect(bySAN.body["items"]?.arrayValue?.map { $0["subject"] } == [.string("db.internal")])
                let item = try #require(bySAN.body["items"]?.arrayValue?.first)
                for key in ["serial", "serialHex", "subject", "sans", "notBefore", "notAfter", "status", "provisioner", "keyAlgorithm", "fingerprint"] {
                    #expect(item[key] != nil, "missing \(key)")
                }
                #expect(item["status"] == .string("active"))

                // Page through 3 at a time while more certificates are issued: every original item is seen once.
                var seen: [String] = []
                var cursor = ""
                var pages = 0
                repeat {
                    let page = try await client.json("GET", "/admin/certificates?q=example&limit=3&sort=issuedAt&order=desc" + (cursor.isEmpty ? "" : "&cursor=\(cursor)"))
                    #expect(page.status == 200)
                    seen += page.body["items"]?.arrayValue?.compactMap { $0["subject"]?.stringValue } ?? []
                    cursor = page.body["nextCursor"]?.stringValue ?? ""
                    pages += 1
                    if pages == 1 { _ = try await ca.issue(subject: "web-late.example.internal") }
                } while !cursor.isEmpty && pages < 10
                #expect(Set(seen).count == seen.count, "duplicates: \(seen)")
                #expect(Set(seen).isSuperset(of: (0..<7).map { "web-\($0).Example.internal" }))

                // Sorting by subject ascending.
                let sorted = try await client.json("GET", "/admin/certificates?sort=subject&order=asc&limit=500")
                let subjects = sorted.body["items"]?.arrayValue?.compactMap { $0["subject"]?.stringValue } ?? []
                #expect(subjects == subjects.sorted())
                // Provisioner and expiry filters.
                #expect(try await client.json("GET", "/admin/certificates?provisioner=nope").body["items"]?.arrayValue?.isEmpty == true)
                let soon = ProtoTimestamp.format(Date().addingTimeInterval(3600))
                #expect(try await client.json("GET", "/admin/certificates?expiresBefore=\(soon)").body["items"]?.arrayValue?.isEmpty == true)
                #expect(try await client.json("GET", "/admin/certificates?status=expired").body["items"]?.arrayValue?.isEmpty == true)
            }
        }
    }

    @Test func detailRevokeAndRevocationsList() async throws {
        try await RunningCA.with(remoteManagement: true) { ca in
            let fixture = AdminFixture(ca: ca)
            let target = try await ca.issue(subject: "victim.internal")
            let serial = target.chain[0].wardenSerial
            try await fixture.client(try await fixture.identity()) { client in
                let detail = try await client.json("GET", "/admin/certificates/0x\(serial.hex)")
                #expect(detail.status == 200)
                #expect(detail.body["serial"] == .string(serial.decimal))
                #expect(detail.body["pem"]?.stringValue?.hasPrefix("-----BEGIN CERTIFICATE-----") == true)
                #expect(detail.body["issuer"]?.stringValue?.contains("Intermediate") == true)
                #expect(detail.body["extensions"]?.arrayValue?.contains { $0["name"] == .string("stepProvisioner") } == true)
                #expect(detail.body["revocation"] == nil)

                #expect(try await client.json("POST", "/admin/certificates/\(serial.decimal)/revoke", .object(["reasonCode": .number(7)])).status == 400)
                #expect(try await client.json("POST", "/admin/certificates/\(serial.decimal)/revoke", .object(["reasonCode": .string("x")])).status == 400)
                #expect(try await client.json("POST", "/admin/certificates/424242/revoke", .object(["reasonCode": .number(1)])).status == 404)
                #expect(try await client.json("POST", "/admin/certificates/xyz/revoke", .object(["reasonCode": .number(1)])).status == 400)
                let revoked = try await client.json("POST", "/admin/certificates/\(serial.decimal)/revoke", .parse(#"{"reasonCode":1,"reason":"key on a laptop"}"#))
                #expect(revoked.status == 200)
                #expect(revoked.body["reason"] == .string("keyCompromise"))
                let again = try await client.json("POST", "/admin/certificates/\(serial.decimal)/revoke", .object(["reasonCode": .number(1)]))
                #expect(again.status == 409)
                #expect(again.body["type"] == .string("conflict"))

                let after = try await client.json("GET", "/admin/certificates/\(serial.decimal)")
                #expect(after.body["status"] == .string("revoked"))
                #expect(after.body["revocation"]?["reasonText"] == .string("key on a laptop"))
                let revokedList = try await client.json("GET", "/admin/certificates?status=revoked")
                #expect(revokedList.body["items"]?.arrayValue?.map { $0["serial"] } == [.string(serial.decimal)])

                let revocations = try await client.json("GET", "/admin/revocations?reason=keyCompromise")
                #expect(revocations.body["items"]?.arrayValue?.first?["subject"] == .string("victim.internal"))
                #expect(revocations.body["items"]?.arrayValue?.first?["method"] == .string("admin"))
                #expect(try await client.json("GET", "/admin/revocations?reason=superseded").body["items"]?.arrayValue?.isEmpty == true)

                // The CRL now lists it.
                let crl = try await client.crlDER()
                #expect(crl.indices.dropLast(serial.bytes.count).contains { Array(crl[$0..<($0 + serial.bytes.count)]) == serial.bytes })
                // And the audit log has the revocation by "step".
                let audit = try await client.json("GET", "/admin/audit?action=certificate.revoke")
                #expect(audit.body["items"]?.arrayValue?.first?["actorSubject"] == .string("step"))
                #expect(audit.body["items"]?.arrayValue?.first?["targetID"] == .string(serial.decimal))
            }
        }
    }

    @Test func auditListsIssuanceMutationsAndFailuresNewestFirst() async throws {
        try await RunningCA.with(remoteManagement: true) { ca in
            let fixture = AdminFixture(ca: ca)
            _ = try await ca.issue(subject: "audited.internal")
            _ = try await fixture.client(nil) { try await $0.json("GET", "/admin/admins") }  // denied
            try await fixture.client(try await fixture.identity()) { client in
                _ = try await client.json("POST", "/admin/admins", .parse(#"{"subject":"zed","provisioner":"admin","type":1}"#))
                let all = try await client.json("GET", "/admin/audit?limit=500")
                let items = all.body["items"]?.arrayValue ?? []
                let actions = Set(items.compactMap { $0["action"]?.stringValue })
                #expect(actions.isSuperset(of: ["certificate.issue", "admin.create", "admin.authenticate", "provisioner.create"]))
                let times = items.compactMap { $0["at"]?.stringValue }
                #expect(times == times.sorted(by: >))
                #expect(try await client.json("GET", "/admin/audit?outcome=denied").body["items"]?.arrayValue?.allSatisfy { $0["outcome"] == .string("denied") } == true)
                #expect(try await client.json("GET", "/admin/audit?actor=step&action=admin").body["items"]?.arrayValue?.count == 1)
                // Paging two at a time covers everything exactly once.
                var ids: [Double] = []
                var cursor = ""
                repeat {
                    let page = try await client.json("GET", "/admin/audit?limit=2" + (cursor.isEmpty ? "" : "&cursor=\(cursor)"))
                    ids += page.body["items"]?.arrayValue?.compactMap { if case .number(let n)? = $0["id"] { return n } else { return nil } } ?? []
                    cursor = page.body["nextCursor"]?.stringValue ?? ""
                } while !cursor.isEmpty
                #expect(ids.count >= items.count)
                #expect(Set(ids).count == ids.count)
            }
        }
    }

    @Test(arguments: [
        "/admin/certificates?limit=-1", "/admin/certificates?limit=abc", "/admin/certificates?status=foo", "/admin/certificates?cursor=%%%",
        "/admin/certificates?cursor=eyJmaWVsZCI6Imlzc3VlZEF0Iiwib3JkZXIiOiJkZXNjIiwidmFsdWUiOiJEUk9QIFRBQkxFIiwia2V5IjoiMSJ9",
        "/admin/certificates?unknown=1", "/admin/certificates?expiresBefore=tomorrow", "/admin/certificates?order=sideways",
        "/admin/certificates/0xZZ", "/admin/revocations?reason=because", "/admin/revocations?limit=0", "/admin/audit?outcome=maybe",
        "/admin/audit?cursor=abc", "/admin/audit?after=yesterday",
    ])
    func badParametersAre400NamingTheParameter(_ path: String) async throws {
        try await RunningCA.with(remoteManagement: true) { ca in
            let fixture = AdminFixture(ca: ca)
            let response = try await fixture.client(try await fixture.identity()) { try await $0.json("GET", path) }
            #expect(response.status == 400, "\(response.body)")
            #expect(response.body["type"] == .string("badRequest"))
            let name = String(path.split(separator: "?").last?.split(separator: "=").first ?? "serial")
            let expectedName = path.contains("/0xZZ") ? "serial" : name
            #expect(response.body["message"]?.stringValue?.hasPrefix(expectedName) == true, "\(response.body)")
        }
    }

    @Test func eventsStreamDeliversChanges() async throws {
        try await RunningCA.with(remoteManagement: true) { ca in
            let fixture = AdminFixture(ca: ca)
            let identity = try await fixture.identity()
            let lines = try await fixture.client(identity) { client in
                try await client.streamLines("/admin/events", until: { $0.contains("event: provisioner") }, timeout: .seconds(10)) {
                    // Once connected, make a change through the API.
                    _ = try await fixture.client(identity) {
                        try await $0.json("POST", "/admin/provisioners", try AdminAPITests.jwkProvisioner(name: "live"))
                    }
                }
            }
            #expect(lines.contains { $0.hasPrefix(": connected") })
            #expect(lines.contains { $0.contains("event: provisioner") })
        }
    }
}
