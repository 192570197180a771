import ArgumentParser
import Foundation
import WardenClient
import WardenCore

struct ApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Make the CA's provisioners and admins match a YAML file (plan, then apply).",
        discussion: """
            The file lists provisioners (linkedca details and claims) and admins, as `warden export` writes it.
            Applying the same file twice changes nothing. Plans that would leave no super admin, or remove or demote
            the admin you are authenticated as, are refused before anything is sent.
            Example:
              warden export > ca.yaml && $EDITOR ca.yaml && warden apply -f ca.yaml --dry-run && warden apply -f ca.yaml
            """)

    @Option(name: .shortAndLong, help: "YAML file (- for standard input).") var file: String
    @Flag(name: .customLong("dry-run"), help: "Print the plan and change nothing.") var dryRun = false
    @Flag(help: "Also remove provisioners and admins that are not in the file.") var prune = false
    @OptionGroup var connection: AdminConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let text: String
        if file == "-" {
            text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        } else {
            guard let data = FileManager.default.contents(atPath: file) else { throw WardenError.badRequest("cannot read \(file)") }
            text = String(decoding: data, as: UTF8.self)
        }
        let desired = try DesiredState(document: try YAMLConversion.parse(text, source: file == "-" ? "standard input" : file))
        let (prune, dryRun, json) = (prune, dryRun, output.json)
        try await connection.withAdmin { admin in
            let me = try await admin.whoami()
            let plan = try ApplyPlan(
                desired: desired, current: try await admin.provisioners(), admins: try await admin.admins(), prune: prune,
                caller: UUID(uuidString: me.adminID))
            if json {
                try TextTable.json(JSONValue.object(["dryRun": .bool(dryRun), "changes": .array(plan.changes.map { .string($0.description) })]))
            } else if plan.changes.isEmpty {
                print("No changes: the CA already matches \(file).")
            } else {
                print("Plan (\(plan.changes.count) change\(plan.changes.count == 1 ? "" : "s")):")
                for change in plan.changes { print("  \(change)") }
            }
            guard !dryRun, !plan.changes.isEmpty else { return }
            try await plan.execute(with: admin) { change in
                if !json { print("✔ \(change)") }
            }
        }
    }
}

struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Print the CA's provisioners and admins as YAML for `warden apply`.",
        discussion: """
            The output contains encrypted provisioner keys and client secrets: store it like a secret.
            Example:
              warden export > ca.yaml
            """)

    @OptionGroup var connection: AdminConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let state = try await connection.withAdmin { admin in
            DesiredState(provisioners: try await admin.provisioners(), admins: try await admin.admins())
        }
        if output.json { return try TextTable.json(state.document) }
        print(try YAMLConversion.dump(state.document), terminator: "")
    }
}
