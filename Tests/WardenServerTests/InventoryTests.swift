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
                for key in [
                    "serial", "serialHex", "subject", "sans", "notBefore", "notAfter", "status", "provisioner", "keyAlgorithm", "fingerprint",
                ] {
                    #expect(item[key] != nil, "missing \(key)")
                }
                #expect(item["status"] == .string("active"))

                // Page through 3 at a time while more certificates are issued: every original item is seen once.
                var seen: [String] = []
                var cursor = ""
                var pages = 0
                repeat {
                    let page = try await client.json(
                        "GET", "/admin/certificates?q=example&limit=3&sort=issuedAt&order=desc" + (cursor.isEmpty ? "" : "&cursor=\(cursor)"))
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
                #expect(subjects.count == 10)  // 7 web, db, the late one and step's admin certificate
                #expect(subjects == subjects.sorted())
                // Provisioner and expiry filters.
                #expect(try await client.json("GET", "/admin/certificates?provisioner=nope").body["items"]?.arrayValue?.isEmpty == true)
                let soon = ProtoTimestamp.format(Date().addingTimeInterval(3600))
                #expect(try await client.json("GET", "/admin/certificates?expiresBefore=\(soon)").body["items"]?.arrayValue?.isEmpty == true)
                #expect(try await client.json("GET", "/admin/certificates?status=expired").body["items"]?.arrayValue?.isEmpty == true)
            }
        }
    }

    /// Each filter returns exactly the certificates, revocations or audit rows it names — checked on a known set,
    /// so a filter that returned nothing, or everything, would fail.
    /// `q` finds serial numbers (decimal prefix, hex as openssl prints it) and IP SANs by prefix or block.
    @Test func searchFindsSerialNumbersAndAddresses() async throws {
        try await RunningCA.with(remoteManagement: true) { ca in
            let fixture = AdminFixture(ca: ca)
            let a = try await ca.issue(subject: "ip-a.internal", sans: ["ip-a.internal", "10.3.7.5"])
            _ = try await ca.issue(subject: "ip-b.internal", sans: ["ip-b.internal", "10.3.70.1"])
            _ = try await ca.issue(subject: "ip-c.internal", sans: ["ip-c.internal", "10.30.7.1"])
            _ = try await ca.issue(subject: "ip-d.internal", sans: ["ip-d.internal", "fd00::5"])
            _ = try await ca.issue(subject: "host-10.3.7.internal")
            try await fixture.client(try await fixture.identity()) { client in
                func subjects(_ q: String) async throws -> Set<String> {
                    let encoded = q.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? q
                    let page = try await client.json("GET", "/admin/certificates?limit=500&q=" + encoded)
                    #expect(page.status == 200, "\(q): \(page.body)")
                    return Set(page.body["items"]?.arrayValue?.compactMap { $0["subject"]?.stringValue } ?? [])
                }
                #expect(try await subjects("10.3.7") == ["ip-a.internal", "ip-b.internal"])
                #expect(try await subjects("10.3.7.") == ["ip-a.internal"])
                #expect(try await subjects("10.3.7.5") == ["ip-a.internal"])
                #expect(try await subjects("10.3.0.0/16") == ["ip-a.internal", "ip-b.internal"])
                #expect(try await subjects("10.0.0.0/8") == ["ip-a.internal", "ip-b.internal", "ip-c.internal"])
                #expect(try await subjects("fd00::/16") == ["ip-d.internal"])
                #expect(try await subjects("FD00::5") == ["ip-d.internal"])
                #expect(try await subjects("10.3.7.internal") == ["host-10.3.7.internal"])
                // Address matches page by the sort column and the cursor like any other search, in either order.
                for (sort, order) in [("issuedAt", "desc"), ("notAfter", "asc"), ("notAfter", "desc"), ("subject", "asc")] {
                    var seen: [JSONValue] = []
                    var cursor = ""
                    repeat {
                        let page = try await client.json(
                            "GET",
                            "/admin/certificates?q=10.0.0.0%2F8&limit=1&sort=\(sort)&order=\(order)" + (cursor.isEmpty ? "" : "&cursor=\(cursor)"))
                        #expect(page.status == 200, "\(page.body)")
                        seen += page.body["items"]?.arrayValue ?? []
                        cursor = page.body["nextCursor"]?.stringValue ?? ""
                    } while !cursor.isEmpty && seen.count < 10
                    #expect(Set(seen.compactMap { $0["subject"]?.stringValue }) == ["ip-a.internal", "ip-b.internal", "ip-c.internal"])
                    #expect(seen.count == 3, "\(sort) \(order): each once")
                    // In the requested order, ties (notAfter has whole seconds) broken by serial as numbers.
                    func key(_ item: JSONValue) -> (String, SerialNumber) {
                        let value = sort == "subject" ? item["subject"] : item["notAfter"]
                        return (value?.stringValue ?? "", SerialNumber(decimal: item["serial"]?.stringValue ?? "") ?? SerialNumber(bytes: [0]))
                    }
                    if sort == "issuedAt" {
                        // Issued one after the other (the API prints whole seconds; the database keeps microseconds).
                        #expect(seen.compactMap { $0["subject"]?.stringValue } == ["ip-c.internal", "ip-b.internal", "ip-a.internal"])
                    } else {
                        let keys = seen.map(key)
                        let ordered = zip(keys, keys.dropFirst()).allSatisfy { order == "asc" ? $0 < $1 : $1 < $0 }
                        #expect(ordered, "\(sort) \(order): \(keys.map { "\($0.0) \($0.1.decimal)" })")
                    }
                }

                let serial = a.chain[0].wardenSerial
                let hex = serial.hex
                let colonHex = stride(from: 0, to: 10, by: 2).map { String(Array(hex)[$0..<$0 + 2]) }.joined(separator: ":")
                let queries: [String] = [
                    String(serial.decimal.prefix(12)), serial.decimal, String(hex.prefix(8)), "0x" + String(hex.prefix(9)).uppercased(), colonHex,
                ]
                for query in queries {
                    // Exactly that certificate (another with the same 12-digit or 8-hex-digit prefix is out of reach).
                    let page = try await client.json("GET", "/admin/certificates?limit=500&q=" + query)
                    #expect(page.body["items"]?.arrayValue?.map { $0["serial"] } == [.string(serial.decimal)], "\(query)")
                }
            }
        }
    }

    @Test func filtersReturnExactlyWhatTheyName() async throws {
        try await RunningCA.with(remoteManagement: true) { ca in
            let fixture = AdminFixture(ca: ca)
            let step = try await fixture.identity()
            let opsID = try await fixture.client(step) { client in
                try #require(
                    try await client.json("POST", "/admin/provisioners", try AdminAPITests.jwkProvisioner(name: "ops")).body["id"]?.stringValue)
            }
            func issue(_ subject: String, _ provisioner: String, _ notAfter: String?) async throws -> String {
                try await CAClient.withClient(try ca.clientConfiguration()) { client in
                    let password = provisioner == "admin" ? ca.password : Array("pw-ops".utf8)
                    let issuer = try await ProvisionerTokenIssuer.load(client: client, name: provisioner, password: password)
                    let issued = try await CertificateEnrollment.enroll(
                        client: client, issuer: issuer, subject: subject, sans: [], notAfter: notAfter)
                    return issued.chain[0].wardenSerial.decimal
                }
            }
            let a1 = try await issue("a1.internal", "admin", "2h")
            _ = try await issue("a2.internal", "admin", nil)
            let a3 = try await issue("a3.internal", "admin", "12h")
            try await Task.sleep(for: .milliseconds(20))
            let secondBatch = Date()
            try await Task.sleep(for: .milliseconds(20))
            _ = try await issue("o1.internal", "ops", "1h")
            let o2 = try await issue("o2.internal", "ops", "1h")
            // A certificate that expired an hour ago (as recorded when it was issued long ago).
            let adminID = try #require(
                try await fixture.client(step) { try await $0.json("GET", "/admin/provisioners/admin").body["id"]?.stringValue })
            try await TestDatabase.execute(
                """
                INSERT INTO certificates (serial, subject, sans, not_before, not_after, provisioner_id, provisioner_name, key_algorithm,
                    fingerprint_sha256, der, issued_at, search_text)
                VALUES (4242, 'old.internal', '{old.internal}', now() - interval '3 hours', now() - interval '1 hour', '\(adminID)', 'admin',
                    'ECDSA P-256', 'ff', '\\x30'::bytea, now() - interval '3 hours', 'old.internal old.internal')
                """, in: ca.database)
            let beforeRevocations = Date()
            try await Task.sleep(for: .milliseconds(20))
            let betweenRevocations = try await fixture.client(step) { client throws in
                #expect(try await client.json("POST", "/admin/certificates/\(a3)/revoke", .parse(#"{"reasonCode":1}"#)).status == 200)
                try await Task.sleep(for: .milliseconds(20))
                let between = Date()
                try await Task.sleep(for: .milliseconds(20))
                #expect(try await client.json("POST", "/admin/certificates/\(o2)/revoke", .parse(#"{"reasonCode":4}"#)).status == 200)
                return between
            }
            try await fixture.client(step) { client in
                func subjects(_ query: String) async throws -> [String] {
                    let page = try await client.json("GET", "/admin/certificates?limit=500&" + query)
                    #expect(page.status == 200, "\(query): \(page.body)")
                    return page.body["items"]?.arrayValue?.compactMap { $0["subject"]?.stringValue } ?? []
                }
                let everything: Set = ["step", "a1.internal", "a2.internal", "a3.internal", "o1.internal", "o2.internal", "old.internal"]
                #expect(Set(try await subjects("")) == everything)
                #expect(Set(try await subjects("provisioner=ops")) == ["o1.internal", "o2.internal"])
                #expect(Set(try await subjects("provisioner=\(opsID)")) == ["o1.internal", "o2.internal"])
                #expect(Set(try await subjects("provisioner=admin")) == everything.subtracting(["o1.internal", "o2.internal"]))
                #expect(try await subjects("provisioner=nope").isEmpty)
                #expect(Set(try await subjects("status=revoked")) == ["a3.internal", "o2.internal"])
                #expect(try await subjects("status=expired") == ["old.internal"])
                #expect(Set(try await subjects("status=active")) == ["step", "a1.internal", "a2.internal", "o1.internal"])
                let in3h = ProtoTimestamp.format(Date().addingTimeInterval(3 * 3600))
                #expect(Set(try await subjects("expiresBefore=\(in3h)")) == ["a1.internal", "o1.internal", "o2.internal", "old.internal"])
                let in13h = ProtoTimestamp.format(Date().addingTimeInterval(13 * 3600))
                #expect(Set(try await subjects("expiresAfter=\(in13h)")) == ["step", "a2.internal"])
                let second = ISO8601DateFormatter.string(
                    from: secondBatch, timeZone: .gmt, formatOptions: [.withInternetDateTime, .withFractionalSeconds])
                #expect(Set(try await subjects("issuedAfter=\(second)")) == ["o1.internal", "o2.internal"])
                // notAfter ascending: old, then the 1 h ones, a1 (2 h), a3 (12 h), then the 24 h ones.
                let byExpiry = try await subjects("sort=notAfter&order=asc")
                #expect(byExpiry.first == "old.internal")
                #expect(Set(byExpiry[1...2]) == ["o1.internal", "o2.internal"])
                #expect(Array(byExpiry[3...4]) == ["a1.internal", "a3.internal"])
                #expect(Set(byExpiry[5...6]) == ["step", "a2.internal"])
                #expect(try await subjects("sort=issuedAt&order=asc").first == "old.internal")
                #expect(try await subjects("sort=issuedAt&order=asc").last == "o2.internal")

                func revoked(_ query: String) async throws -> [String] {
                    let page = try await client.json("GET", "/admin/revocations?" + query)
                    #expect(page.status == 200, "\(query): \(page.body)")
                    return page.body["items"]?.arrayValue?.compactMap { $0["serial"]?.stringValue } ?? []
                }
                #expect(try await revoked("provisioner=ops") == [o2])
                #expect(try await revoked("provisioner=admin") == [a3])
                #expect(try await revoked("reason=superseded") == [o2])
                #expect(try await revoked("") == [o2, a3])
                let start = ISO8601DateFormatter.string(
                    from: beforeRevocations, timeZone: .gmt, formatOptions: [.withInternetDateTime, .withFractionalSeconds])
                let middle = ISO8601DateFormatter.string(
                    from: betweenRevocations, timeZone: .gmt, formatOptions: [.withInternetDateTime, .withFractionalSeconds])
                #expect(try await revoked("revokedAfter=\(start)") == [o2, a3])
                #expect(try await revoked("revokedBefore=\(middle)") == [a3])
                #expect(try await revoked("revokedAfter=\(start)&revokedBefore=\(middle)") == [a3])

                let audit = try await client.json("GET", "/admin/audit?target=\(a1)").body["items"]?.arrayValue ?? []
                #expect(audit.compactMap { $0["action"]?.stringValue } == ["certificate.issue"])
                let revokeTarget = try await client.json("GET", "/admin/audit?target=\(a3)").body["items"]?.arrayValue ?? []
                #expect(revokeTarget.compactMap { $0["action"]?.stringValue } == ["certificate.revoke", "certificate.issue"])
                let windowed = try await client.json("GET", "/admin/audit?after=\(start)&action=certificate.revoke").body["items"]?.arrayValue ?? []
                #expect(windowed.compactMap { $0["targetID"]?.stringValue } == [o2, a3])
                let none = try await client.json("GET", "/admin/audit?before=\(start)&action=certificate.revoke").body["items"]?.arrayValue
                #expect(none?.isEmpty == true)
            }
            _ = a1
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

                #expect(
                    try await client.json("POST", "/admin/certificates/\(serial.decimal)/revoke", .object(["reasonCode": .number(7)])).status == 400)
                #expect(
                    try await client.json("POST", "/admin/certificates/\(serial.decimal)/revoke", .object(["reasonCode": .string("x")])).status == 400
                )
                #expect(try await client.json("POST", "/admin/certificates/424242/revoke", .object(["reasonCode": .number(1)])).status == 404)
                #expect(try await client.json("POST", "/admin/certificates/xyz/revoke", .object(["reasonCode": .number(1)])).status == 400)
                let revoked = try await client.json(
                    "POST", "/admin/certificates/\(serial.decimal)/revoke", .parse(#"{"reasonCode":1,"reason":"key on a laptop"}"#))
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
                let denied = try await client.json("GET", "/admin/audit?outcome=denied").body["items"]?.arrayValue ?? []
                #expect(denied.count == 1)
                #expect(denied.allSatisfy { $0["outcome"] == .string("denied") && $0["action"] == .string("admin.authenticate") })
                #expect(try await client.json("GET", "/admin/audit?actor=step&action=admin").body["items"]?.arrayValue?.count == 1)
                // Paging two at a time covers everything exactly once.
                var ids: [Double] = []
                var cursor = ""
                var pages = 0
                repeat {
                    let page = try await client.json("GET", "/admin/audit?limit=2" + (cursor.isEmpty ? "" : "&cursor=\(cursor)"))
                    ids += page.body["items"]?.arrayValue?.compactMap { if case .number(let n)? = $0["id"] { return n } else { return nil } } ?? []
                    cursor = page.body["nextCursor"]?.stringValue ?? ""
                    pages += 1
                } while !cursor.isEmpty && pages <= items.count
                #expect(cursor.isEmpty, "the cursor never ran out")
                // Exactly the rows of the one-page listing, newest first, each once (the listing came first, and
                // reading the audit log writes nothing to it).
                let expected = items.compactMap { item -> Double? in if case .number(let n)? = item["id"] { return n } else { return nil } }
                #expect(!expected.isEmpty)
                #expect(ids == expected)
            }
        }
    }

    @Test(arguments: [
        "/admin/certificates?limit=-1", "/admin/certificates?limit=abc", "/admin/certificates?status=foo", "/admin/certificates?cursor=%%%",
        "/admin/certificates?cursor=eyJmaWVsZCI6Imlzc3VlZEF0Iiwib3JkZXIiOiJkZXNjIiwidmFsdWUiOiJEUk9QIFRBQkxFIiwia2V5IjoiMSJ9",
        "/admin/certificates?unknown=1", "/admin/certificates?expiresBefore=tomorrow", "/admin/certificates?order=sideways",
        "/admin/certificates/0xZZ", "/admin/revocations?reason=because", "/admin/revocations?limit=0", "/admin/audit?outcome=maybe",
        "/admin/audit?cursor=abc", "/admin/audit?after=yesterday", "/admin/certificates?limit=501", "/admin/revocations?revokedBefore=soon",
        "/admin/audit?before=2026-02-30T00:00:00Z",
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
