import ArgumentParser
import Foundation
import WardenCore

/// `warden`: the CA server and its command-line client.
@main
struct Warden: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "warden",
        abstract: "A private certificate authority with remote management, compatible with step-ca's clients.",
        subcommands: [
            InitCommand.self, ServeCommand.self, CertificateCommand.self, RenewCommand.self, RevokeCommand.self, WhoamiCommand.self,
            ProvisionerCommand.self, AdminCommand.self, CertsCommand.self, RevocationsCommand.self, AuditCommand.self, ApplyCommand.self, ExportCommand.self, ContextCommand.self,
        ])

    /// Exit codes: 0 success, 1 failure with one line on stderr, 2 usage error.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as WardenError {
            FileHandle.standardError.write(Data("error: \(error.message)\n".utf8))
            Foundation.exit(1)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            if code == .validationFailure || error is ValidationError {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            let message = fullMessage(for: error)
            FileHandle.standardError.write(Data("error: \(message.isEmpty ? "\(error)" : message)\n".utf8))
            Foundation.exit(code.rawValue == 0 ? 1 : code.rawValue)
        }
    }
}
