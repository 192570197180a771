import ArgumentParser
import Foundation
import WardenCommandLine
import WardenCore

/// `warden`: the CA server and its command-line client.
@main
struct Warden: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "warden",
        abstract: "A private certificate authority with remote management, compatible with step-ca's clients.",
        subcommands: [
            InitCommand.self, ServeCommand.self, RecoverCommand.self, CertificateCommand.self, RenewCommand.self, RevokeCommand.self,
            WhoamiCommand.self,
            ProvisionerCommand.self, AdminCommand.self, CertsCommand.self, RevocationsCommand.self, AuditCommand.self, ApplyCommand.self,
            ExportCommand.self, ContextCommand.self, TemplateCommand.self, PolicyCommand.self,
        ])

    /// Exit codes: 0 success, 1 failure with one line on stderr, 2 usage error.
    static func main() async {
        await CommandMain.run(self)
    }
}
