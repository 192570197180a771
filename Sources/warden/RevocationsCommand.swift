import ArgumentParser
import Foundation
import WardenClient
import WardenCore

struct RevocationsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "revocations", abstract: "List revocations.", subcommands: [List.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revocations, newest first.", discussion: "Example:\n  warden revocations list --reason key-compromise --json")
        @Option(help: "Reason name or code.") var reason: String?
        @Option(help: "Provisioner name.") var provisioner: String?
        @Option(name: .customLong("revoked-after"), help: "RFC 3339 time.") var revokedAfter: String?
        @Option(name: .customLong("revoked-before"), help: "RFC 3339 time.") var revokedBefore: String?
        @OptionGroup var pages: PageOptions
        @OptionGroup var connection: AdminConnectionOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let parameters: [(String, String?)] = [
                ("reason", reason), ("provisioner", provisioner), ("revokedAfter", revokedAfter), ("revokedBefore", revokedBefore),
            ]
            let page = try await pages.collect(parameters, connection: connection) { try await $0.revocations($1) }
            if output.json { return try TextTable.json(page) }
            TextTable.print(
                ["SERIAL", "SUBJECT", "REASON", "REVOKED AT", "BY", "METHOD"],
                page.items.map { [$0.serial, $0.subject ?? "-", $0.reason, TextTable.date($0.revokedAt), $0.revokedBy, $0.method] })
        }
    }
}
