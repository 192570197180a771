import ArgumentParser
import Foundation
import WardenClient
import WardenCore

struct WhoamiCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "whoami", abstract: "Show which admin the CA sees you as.",
        discussion: "Example:\n  warden whoami --admin-cert admin.crt --admin-key admin.key")

    @OptionGroup var connection: AdminConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let me = try await connection.withAdmin { try await $0.whoami() }
        if output.json { return try TextTable.json(me) }
        TextTable.print(
            ["SUBJECT", "ROLE", "PROVISIONER", "AUTH", "CERTIFICATE", "EXPIRES"],
            [[me.subject, me.role, me.provisioner, me.method, me.certificateSerial, TextTable.date(me.certificateNotAfter)]])
    }
}
