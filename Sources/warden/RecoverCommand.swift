import ArgumentParser
import Foundation
import WardenClient
import WardenCore
import WardenServer
import WardenStore

/// `warden recover`: the way back when every super admin is locked out (lost keys, a broken provisioner),
/// without SQL. Runs on the CA host: the CA password must open the intermediate key.
struct RecoverCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recover",
        abstract: "Break-glass: make SUBJECT a super admin of PROVISIONER, directly in the database (on the CA host).",
        discussion: """
            Proves possession of the CA (the password must open the intermediate key), then, in one transaction, creates
            or promotes the admin, audits it as admin.recover by the local system, and tells every instance.
            Example:
              warden recover --config ./ca/config/ca.json --password-file pw.txt --subject step --provisioner "Admin JWK"
            """)

    @Option(help: "Path of ca.json.") var config: String
    @Option(name: .customLong("password-file"), help: "File holding the CA (intermediate key) password.") var passwordFile: String
    @Option(help: "The admin subject to make a super admin.") var subject: String
    @Option(help: "The live provisioner it belongs to (one that can authenticate admins).") var provisioner: String
    @OptionGroup var output: OutputOptions

    func run() async throws {
        try InputText.checkName(subject, field: "--subject")
        let configuration = try CAConfiguration.load(path: config)
        guard configuration.authority.enableAdmin == true else {
            throw WardenError.badRequest("remote management is not enabled in \(config): there are no admins to recover")
        }
        let password = Secret(try PasswordFile.read(passwordFile))
        _ = try CAMaterial.load(configuration: configuration, configPath: config, password: password)  // proves the password
        guard let db = configuration.db else { throw WardenError.badRequest("db: ca.json has no database") }
        let databaseConfiguration = try DatabaseConfiguration(url: db.dataSource, database: db.database)
        let host = ProcessInfo.processInfo.hostName
        let (subject, provisioner) = (subject, provisioner)
        let admin = try await Database.withRunning(configuration: databaseConfiguration, logger: CLILogger.make()) { database in
            try await AdminRepository(database: database).recover(
                subject: subject, provisionerName: provisioner,
                audit: AuditContext(
                    actor: AuditActor(subject: "warden recover", provisioner: nil, serial: nil, method: "local"), requestID: nil,
                    remoteAddress: host),
                logger: CLILogger.make())
        }
        if output.json { return try TextTable.json(AdminWire.protoJSON(admin)) }
        print(
            "✔ \(admin.subject) is a SUPER_ADMIN of provisioner \(provisioner) (admin \(admin.id.uuidString.lowercased())); every instance has been told."
        )
    }
}
