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
        @Option(help: "Rows per page (1-500).") var limit: Int = 100
        @Flag(help: "Follow every page.") var all = false
        @OptionGroup var connection: AdminConnectionOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let parameters: [(String, String?)] = [
                ("actor", actor), ("action", action), ("target", target), ("outcome", outcome), ("after", after), ("before", before),
                ("limit", String(limit)),
            ]
            let all = all
            let (items, next) = try await connection.withAdmin { admin in
                try await Pagination.collect(all: all) { cursor in try await admin.audit(parameters + [("cursor", cursor)]) }
            }
            if output.json { return try TextTable.json(Page(items: items, nextCursor: next)) }
            TextTable.print(
                ["AT", "ACTOR", "AUTH", "ACTION", "TARGET", "OUTCOME"],
                items.map { [TextTable.date($0.at), $0.actorSubject ?? "-", $0.authMethod ?? "-", $0.action, $0.targetID ?? "-", $0.outcome.rawValue] })
        }
    }
}
