import Crypto
import Foundation
import Testing
import WardenClient
import WardenCore
import WardenPKI
import WardenServer
import WardenStore
import WardenTestSupport
import X509

/// Turning remote management on keeps what ca.json's provisioners configure (templates, template data, template
/// files), and the CA's own name constraints decide who can be its first admin and what it may issue.
@Suite
struct MigrationAndConstraintsTests {
    @Test func migrationKeepsTemplatesAndTemplateFiles() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("warden-ssh-\(UUID().uuidString).tpl").path
        let sshTemplate = #"{"type": {{ toJson .Type }}, "keyId": {{ toJson .KeyID }}}"#
        try sshTemplate.write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let x509Template = #"{"subject": {"commonName": {{ toJson .Subject.CommonName }}, "organization": {{ toJson .Organization }}}}"#
        try await RunningCA.with(configure: { config in
            config.authority.enableAdmin = true
            config.authority.provisioners.append(
                Provisioner(
                    type: .acme, name: "acme",
                    fields: [
                        "challenges": .array([.string("http-01")]),
                        "options": .object([
                            "x509": .object(["template": .string(x509Template), "templateData": .object(["Organization": .string("Example Org")])]),
                            "ssh": .object(["templateFile": .string(file), "templateData": .object(["team": .string("ops")])]),
                        ]),
                    ]))
        }) { ca in
            let stored = try #require(try await ProvisionerRepository(database: ca.database).find(name: "acme", logger: TestDatabase.logger))
            func decoded(_ template: JSONValue?, _ key: String) -> String? {
                template?[key]?.stringValue.flatMap(ProtoBytes.decode).map { String(decoding: $0, as: UTF8.self) }
            }
            #expect(decoded(stored.x509Template, "template") == x509Template)
            #expect(decoded(stored.x509Template, "data").map(JSONValue.parse) == .object(["Organization": .string("Example Org")]))
            // x509 and ssh kept apart; the file's contents read at migration.
            #expect(decoded(stored.sshTemplate, "template") == sshTemplate)
            #expect(decoded(stored.sshTemplate, "data").map(JSONValue.parse) == .object(["team": .string("ops")]))
            // The audit row of the migration names the file.
            let events = try await InventoryRepository(database: ca.database).audit(AuditQuery(), logger: TestDatabase.logger).items
            let created = try #require(events.first { $0.action == "provisioner.create" && $0.after?["name"] == .string("acme") })
            #expect(created.after?["migratedTemplateFiles"] == .object(["ssh": .string(file)]))
            // The admin list (ca.json form) returns the template data too.
            let admin = try await AdminFixture(ca: ca).identity()
            let list = try await AdminFixture(ca: ca).client(admin) { try await $0.json("GET", "/admin/provisioners") }
            let acme = try #require(list.body["provisioners"]?.arrayValue?.first { $0["name"] == .string("acme") })
            #expect(acme["options"]?["x509"]?["templateData"] == .object(["Organization": .string("Example Org")]))
            #expect(acme["options"]?["x509"]?["template"] == .string(x509Template))
            #expect(acme["options"]?["ssh"]?["templateData"] == .object(["team": .string("ops")]))
        }
    }

    @Test func aMissingTemplateFileStopsTheMigrationNamingIt() async throws {
        await #expect {
            try await RunningCA.with(configure: { config in
                config.authority.enableAdmin = true
                config.authority.provisioners.append(
                    Provisioner(
                        type: .acme, name: "acme", fields: ["options": .object(["x509": .object(["templateFile": .string("/nonexistent/leaf.tpl")])])]
                    ))
            }) { _ in }
        } throws: { ($0 as? WardenError)?.message.contains("options.x509.templateFile /nonexistent/leaf.tpl cannot be read") == true }
    }

    /// A CA for example.internal only: its first admin must be a name it can certify, and it issues nothing else.
    @Test func nameConstraintsDecideTheFirstAdminAndWhatIsIssued() async throws {
        await #expect {
            try await RunningCA.with(remoteManagement: true, initialize: { $0.permittedDNSDomains = ["example.internal", "localhost"] }) { _ in }
        } throws: {
            ($0 as? WardenError)?.message
                == "admin subject \"step\" cannot get an admin certificate from this CA: dns name \"step\" is not permitted by the name constraints of CN=Warden Test Intermediate CA,O=Warden Test (permitted: example.internal, localhost); choose another with --admin-subject"
        }
        try await RunningCA.with(
            remoteManagement: true,
            initialize: {
                $0.permittedDNSDomains = ["example.internal", "localhost"]
                $0.adminSubject = "root.example.internal"
            }
        ) { ca in
            let fixture = AdminFixture(ca: ca)
            let admin = try await fixture.identity("root.example.internal")
            #expect(try await fixture.client(admin) { try await $0.json("GET", "/admin/whoami").body["role"] } == .string("SUPER_ADMIN"))
            await #expect {
                _ = try await ca.issue(subject: "svc.other.com")
            } throws: {
                ($0 as? WardenError)?.message.hasPrefix(
                    "dns name \"svc.other.com\" is not permitted by the name constraints of CN=Warden Test Intermediate CA,O=Warden Test") == true
            }
            #expect(try await ca.issue(subject: "svc.example.internal").chain[0].subject.description == "CN=svc.example.internal")
            #expect(try await TestDatabase.count("certificates", in: ca.database, where: "subject = 'svc.other.com'") == 0)
        }
    }

    @Test func initRefusesDNSNamesItsConstraintsForbid() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("warden-nc-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var options = CAInitializer.Options(
            directory: directory, name: "Constrained", dnsNames: ["ca.other.com"], address: "127.0.0.1:0", password: Secret("pw"),
            databaseURL: "postgresql://u@127.0.0.1:1/x", keyIterations: 1000)
        options.permittedDNSDomains = ["example.internal"]
        await #expect {
            _ = try await CAInitializer(options: options).run(logger: TestDatabase.logger)
        } throws: { ($0 as? WardenError)?.message.hasPrefix("--dns: dns name \"ca.other.com\" is not permitted") == true }
        #expect(!FileManager.default.fileExists(atPath: directory + "/config"), "nothing written")
    }
}
