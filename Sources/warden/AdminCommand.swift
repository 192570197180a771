import ArgumentParser
import Foundation
import WardenClient
import WardenCore

struct AdminCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admin", abstract: "Manage administrators (super admins only for changes).",
        subcommands: [List.self, Get.self, Add.self, Update.self, Remove.self])

    static let headers = ["ID", "SUBJECT", "PROVISIONER", "ROLE", "CREATED"]

    static func rows(_ admins: [Admin], provisioners: [UUID: String]) -> [[String]] {
        admins.map {
            [
                $0.id.uuidString.lowercased(), $0.subject, provisioners[$0.provisionerID] ?? $0.provisionerID.uuidString.lowercased(), $0.role.name,
                ProtoTimestamp.format($0.createdAt),
            ]
        }
    }

    static func provisionerNames(_ admin: AdminClient) async throws -> [UUID: String] {
        Dictionary(uniqueKeysWithValues: try await admin.provisioners().map { ($0.id, $0.name) })
    }

    /// An admin id, or a subject that names exactly one admin (optionally of one provisioner).
    static func resolve(_ reference: String, provisioner: String?, in admin: AdminClient) async throws -> Admin {
        if let id = UUID(uuidString: reference) { return try await admin.admin(id: id) }
        let names = try await provisionerNames(admin)
        let matches = try await admin.admins().filter {
            $0.subject == reference && (provisioner == nil || names[$0.provisionerID] == provisioner)
        }
        guard matches.count == 1 else {
            throw matches.isEmpty
                ? WardenError.notFound("admin \"\(reference)\" not found")
                : WardenError.badRequest("admin \"\(reference)\" exists for several provisioners: add --provisioner")
        }
        return matches[0]
    }

    static func json(_ admin: Admin, provisioner: String?) -> JSONValue {
        guard case .object(var object) = AdminWire.protoJSON(admin) else { return .null }
        if let provisioner { object["provisioner"] = .string(provisioner) }
        return .object(object)
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List admins.", discussion: "Example:\n  warden admin list --super")
        @Flag(name: .customLong("super"), help: "Only super admins.") var superOnly = false
        @Option(help: "Only admins of this provisioner.") var provisioner: String?
        @OptionGroup var connection: AdminConnectionOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let (admins, names) = try await connection.withAdmin { admin in (try await admin.admins(), try await AdminCommand.provisionerNames(admin))
            }
            let selected = admins.filter { (!superOnly || $0.role == .superAdmin) && (provisioner == nil || names[$0.provisionerID] == provisioner) }
            if output.json {
                return try TextTable.json(JSONValue.array(selected.map { AdminCommand.json($0, provisioner: names[$0.provisionerID]) }))
            }
            TextTable.print(AdminCommand.headers, AdminCommand.rows(selected, provisioners: names))
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show one admin by id or subject.", discussion: "Example:\n  warden admin get alice@example.com")
        @Argument(help: "Admin id or subject.") var admin: String
        @Option(help: "Provisioner, when the subject is ambiguous.") var provisioner: String?
        @OptionGroup var connection: AdminConnectionOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let (reference, provisioner) = (admin, provisioner)
            let (found, names) = try await connection.withAdmin { client in
                (try await AdminCommand.resolve(reference, provisioner: provisioner, in: client), try await AdminCommand.provisionerNames(client))
            }
            if output.json { return try TextTable.json(AdminCommand.json(found, provisioner: names[found.provisionerID])) }
            TextTable.print(AdminCommand.headers, AdminCommand.rows([found], provisioners: names))
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add an admin.", discussion: "Example:\n  warden admin add alice@example.com \"Admin JWK\" --super")
        @Argument(help: "Subject (certificate CN, DNS name or email).") var subject: String
        @Argument(help: "Provisioner whose certificates authenticate this admin.") var provisioner: String
        @Flag(name: .customLong("super"), help: "Make a super admin.") var superAdmin = false
        @OptionGroup var connection: AdminConnectionOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let (subject, provisioner, role) = (subject, provisioner, superAdmin ? AdminRole.superAdmin : .admin)
            let created = try await connection.withAdmin { try await $0.createAdmin(subject: subject, provisioner: provisioner, role: role) }
            if output.json { return try TextTable.json(AdminCommand.json(created, provisioner: provisioner)) }
            TextTable.print(AdminCommand.headers, AdminCommand.rows([created], provisioners: [created.provisionerID: provisioner]))
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Promote or demote an admin.", discussion: "Example:\n  warden admin update alice@example.com --super=false")
        @Argument(help: "Admin id or subject.") var admin: String
        @Option(name: .customLong("super"), help: "true to promote, false to demote.") var superAdmin: Bool
        @Option(help: "Provisioner, when the subject is ambiguous.") var provisioner: String?
        @OptionGroup var connection: AdminConnectionOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let (reference, provisioner, role) = (admin, provisioner, superAdmin ? AdminRole.superAdmin : .admin)
            let (updated, names) = try await connection.withAdmin { client in
                let found = try await AdminCommand.resolve(reference, provisioner: provisioner, in: client)
                return (try await client.updateAdmin(id: found.id, role: role), try await AdminCommand.provisionerNames(client))
            }
            if output.json { return try TextTable.json(AdminCommand.json(updated, provisioner: names[updated.provisionerID])) }
            TextTable.print(AdminCommand.headers, AdminCommand.rows([updated], provisioners: names))
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove an admin.", discussion: "Example:\n  warden admin remove alice@example.com")
        @Argument(help: "Admin id or subject.") var admin: String
        @Option(help: "Provisioner, when the subject is ambiguous.") var provisioner: String?
        @OptionGroup var connection: AdminConnectionOptions

        func run() async throws {
            let (reference, provisioner) = (admin, provisioner)
            try await connection.withAdmin { client in
                let found = try await AdminCommand.resolve(reference, provisioner: provisioner, in: client)
                try await client.removeAdmin(id: found.id)
            }
        }
    }
}
