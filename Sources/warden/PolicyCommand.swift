import ArgumentParser
import Foundation
import WardenClient
import WardenCore

/// `warden policy`: the authority's certificate issuance policy (`/admin/policy`), as `step ca policy authority`.
struct PolicyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy", abstract: "Show or change the authority's certificate issuance policy (super admins change it).",
        subcommands: [Get.self, Set.self, Remove.self])

    /// One row per rule: SIDE (allow/deny), KIND, RULE.
    static func rows(_ policy: JSONValue) -> [[String]] {
        var rows: [[String]] = []
        for side in ["allow", "deny"] {
            for kind in ["dns", "ips", "emails", "uris", "commonNames"] {
                for rule in policy["x509"]?[side]?[kind]?.arrayValue ?? [] { rows.append(["x509", side, kind, rule.stringValue ?? ""]) }
            }
        }
        if policy["x509"]?["allowWildcardNames"] == .bool(true) { rows.append(["x509", "allow", "wildcardNames", "true"]) }
        return rows
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the policy.", discussion: "Example:\n  warden policy get --json")
        @OptionGroup var connection: AdminConnectionOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            guard let policy = try await connection.withAdmin({ try await $0.policy() }) else {
                throw WardenError.notFound("the authority has no certificate issuance policy")
            }
            if output.json { return try TextTable.json(policy) }
            TextTable.print(["CERTIFICATES", "SIDE", "KIND", "RULE"], PolicyCommand.rows(policy))
        }
    }

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create or replace the policy from a JSON file (linkedca's or ca.json's spelling).",
            discussion: """
                The CA refuses a policy that would deny a live admin's own certificate, and lists those admins.
                Example (policy.json: {"x509": {"allow": {"dns": ["*.internal", "step"]}, "deny": {"dns": ["db.internal"]}}}):
                  warden policy set policy.json
                """)
        @Argument(help: "Policy file (JSON).") var file: String
        @OptionGroup var connection: AdminConnectionOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: file) else { throw WardenError.badRequest("cannot read \(file)") }
            guard let policy = try? JSONDecoder().decode(JSONValue.self, from: data) else { throw WardenError.badRequest("\(file): not JSON") }
            let stored = try await connection.withAdmin { admin in
                try await admin.setPolicy(policy, replacing: try await admin.policy() != nil)
            }
            if output.json { return try TextTable.json(stored) }
            TextTable.print(["CERTIFICATES", "SIDE", "KIND", "RULE"], PolicyCommand.rows(stored))
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove the policy.", discussion: "Example:\n  warden policy remove")
        @OptionGroup var connection: AdminConnectionOptions

        func run() async throws {
            try await connection.withAdmin { try await $0.removePolicy() }
            print("policy removed")
        }
    }
}
