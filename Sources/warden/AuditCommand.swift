import ArgumentParser
import Foundation
import WardenClient
import WardenCore

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "audit", abstract: "Read the audit log.", subcommands: [List.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Audit events, newest first.", discussion: "Example:\n  warden audit list --action admin --actor step --json")
        @Option(help: "Actor subject.") var actor: String?
        @Option(help: "Action (admin.create) or prefix (admin).") var action: String?
        @Option(help: "Target id or serial.") var target: String?
        @Option(help: "success, denied or failed.") var outcome: String?
        @Option(help: "RFC 3339 time.") var after: String?
        @Option(help: "RFC 3339 time.") var before: String?
        @OptionGroup var pages: PageOptions
        @OptionGroup var connection: AdminConnectionOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let parameters: [(String, String?)] = [
                ("actor", actor), ("action", action), ("target", target), ("outcome", outcome), ("after", after), ("before", before),
            ]
            let page = try await pages.collect(parameters, connection: connection) { try await $0.audit($1) }
            if output.json { return try TextTable.json(page) }
            TextTable.print(
                ["AT", "ACTOR", "AUTH", "ACTION", "TARGET", "OUTCOME"],
                page.items.map {
                    [TextTable.date($0.at), $0.actorSubject ?? "-", $0.authMethod ?? "-", $0.action, $0.targetID ?? "-", $0.outcome.rawValue]
                })
        }
    }
}
