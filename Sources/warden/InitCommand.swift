import ArgumentParser
import Foundation
import WardenClient
import WardenCore
import WardenServer

struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a new CA: root and intermediate (P-256), encrypted keys, ca.json and a JWK provisioner.",
        discussion: """
            Example:
              warden init --dir ./ca --name Acme --dns localhost --dns 127.0.0.1 \\
                --address 127.0.0.1:9443 --password-file pw.txt \\
                --database-url postgresql://warden@127.0.0.1:5432/warden?sslmode=disable
            """)

    @Option(help: "Directory to create the CA in (must not hold a CA already).") var dir: String
    @Option(help: "Organisation name for the root and intermediate.") var name: String
    @Option(name: .customLong("dns"), help: "DNS name or IP the CA is reached at (repeatable).") var dnsNames: [String] = []
    @Option(help: "Listen address host:port.") var address: String = "127.0.0.1:9443"
    @Option(name: .customLong("password-file"), help: "File holding the password for the CA keys and the provisioner.")
    var passwordFile: String
    @Option(name: .customLong("database-url"), help: "PostgreSQL URL for certificates, revocations and tokens.")
    var databaseURL: String = "postgresql://postgres@127.0.0.1:5432/warden?sslmode=disable"
    @Option(help: "Name of the first JWK provisioner.") var provisioner: String = "admin"
    @Flag(name: .customLong("remote-management"), help: "Keep provisioners and admins in the database (admin API enabled).")
    var remoteManagement = false
    @Option(name: .customLong("admin-subject"), help: "Subject of the first super admin (with --remote-management).")
    var adminSubject: String = "step"
    @Option(name: .customLong("permit-dns"), help: "Name constraint on the intermediate: only this DNS domain and below (repeatable).")
    var permittedDNS: [String] = []
    @Option(name: .customLong("exclude-dns"), help: "Name constraint on the intermediate: never this DNS domain or below (repeatable).")
    var excludedDNS: [String] = []
    @Option(name: .customLong("context"), help: "Name of the context saved for this CA (default: from --name).")
    var contextName: String?
    @Flag(name: .customLong("no-context"), help: "Do not save a context in $WARDEN_HOME/contexts.json.") var noContext = false

    func validate() throws {
        if dnsNames.isEmpty { throw ValidationError("at least one --dns is required") }
    }

    func run() async throws {
        let password = try PasswordFile.read(passwordFile)
        var options = CAInitializer.Options(
            directory: dir, name: name, dnsNames: dnsNames, address: address, password: Secret(password),
            databaseURL: databaseURL, provisionerName: provisioner, remoteManagement: remoteManagement,
            adminSubject: adminSubject)
        options.permittedDNSDomains = permittedDNS
        options.excludedDNSDomains = excludedDNS
        let result = try await CAInitializer(
            options: options
        ).run(logger: CLILogger.make())
        var savedContext = ""
        if !noContext {
            let name = contextName ?? self.name.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).joined(separator: "-")
            var file = try ContextFile.load()
            file.contexts[name] = .init(caURL: result.caURL, root: result.rootPath)
            file.current = name
            try file.save()
            savedContext = "\n✔ Context:          \(name) (current; \(ContextFile.defaultPath))"
        }
        print(
            """
            ✔ Root certificate: \(result.rootPath)
            ✔ Configuration:    \(result.configPath)
            ✔ Provisioner:      \(result.provisionerName) (JWK, password from \(passwordFile))
            ✔ CA URL:           \(result.caURL)\(savedContext)\(remoteManagement ? "\n✔ Remote management: provisioners and admins are in the database; super admin \"\(adminSubject)\" (provisioner \(provisioner))" : "")
            Root fingerprint: \(result.rootFingerprint)
            Start it with: warden serve --config \(result.configPath) --password-file \(passwordFile)
            """)
    }
}
