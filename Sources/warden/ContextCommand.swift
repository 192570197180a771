import ArgumentParser
import Foundation
import WardenClient
import WardenCore

struct ContextCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "context", abstract: "List, select and edit saved CA connections ($WARDEN_HOME/contexts.json).",
        subcommands: [List.self, Use.self, Set.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List contexts (* marks the current one).", discussion: "Example:\n  warden context list")
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let file = try ContextFile.load()
            if output.json { return try TextTable.json(file) }
            TextTable.print(
                ["", "NAME", "CA URL", "ROOT", "ADMIN CERT"],
                file.contexts.keys.sorted().map { name in
                    let context = file.contexts[name]!
                    return [file.current == name ? "*" : "", name, context.caURL, context.root, context.adminCert ?? "-"]
                })
        }
    }

    struct Use: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Make a context current.", discussion: "Example:\n  warden context use prod")
        @Argument(help: "Context name.") var name: String

        func run() async throws {
            var file = try ContextFile.load()
            guard file.contexts[name] != nil else { throw WardenError.notFound("context \"\(name)\" not found") }
            file.current = name
            try file.save()
        }
    }

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create or change a context.",
            discussion: "Example:\n  warden context set prod --ca-url https://ca.internal:9443 --root root.crt --admin-cert a.crt --admin-key a.key")
        @Argument(help: "Context name.") var name: String
        @Option(name: .customLong("ca-url")) var caURL: String?
        @Option var root: String?
        @Option(name: .customLong("admin-cert")) var adminCert: String?
        @Option(name: .customLong("admin-key")) var adminKey: String?
        @Flag(help: "Also make it current.") var use = false

        func run() async throws {
            var file = try ContextFile.load()
            var context = file.contexts[name]
            if context == nil {
                guard let caURL, let root else { throw WardenError.badRequest("a new context needs --ca-url and --root") }
                context = .init(caURL: caURL, root: root)
            }
            if let caURL { context?.caURL = caURL }
            if let root { context?.root = Self.absolute(root) }
            if let adminCert { context?.adminCert = Self.absolute(adminCert) }
            if let adminKey { context?.adminKey = Self.absolute(adminKey) }
            file.contexts[name] = context
            if use || file.current == nil { file.current = name }
            try file.save()
        }

        static func absolute(_ path: String) -> String {
            URL(fileURLWithPath: path).standardizedFileURL.path
        }
    }
}
