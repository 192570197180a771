import ArgumentParser
import Foundation
import WardenClient
import WardenCore
import WardenPKI

/// Connection and admin credentials for remote commands, like `step ca ... --admin-cert`:
/// flags, then `WARDEN_*` environment variables, then the context file. Without an admin certificate,
/// `--admin-subject/--admin-provisioner/--admin-password-file` mint a short-lived one first.
struct AdminConnectionOptions: ParsableArguments {
    @Option(name: .customLong("ca-url"), help: "CA URL (default: $WARDEN_CA_URL, then the context).") var caURL: String?
    @Option(name: .customLong("root"), help: "Root certificate PEM (default: $WARDEN_ROOT, then the context).") var root: String?
    @Option(name: .customLong("admin-cert"), help: "Admin certificate chain PEM (default: $WARDEN_ADMIN_CERT, then the context).")
    var adminCert: String?
    @Option(name: .customLong("admin-key"), help: "Admin private key PEM (default: $WARDEN_ADMIN_KEY, then the context).")
    var adminKey: String?
    @Option(name: .customLong("admin-subject"), help: "Mint an admin certificate for this subject (instead of --admin-cert).")
    var adminSubject: String?
    @Option(name: .customLong("admin-provisioner"), help: "JWK provisioner to mint the admin certificate with.")
    var adminProvisioner: String?
    @Option(name: .customLong("admin-password-file"), help: "Password of --admin-provisioner.") var adminPasswordFile: String?
    @Option(name: .customLong("context"), help: "Context from the context file (default: the current one).") var context: String?

    var credential: AdminCredential {
        AdminCredential(
            certificateFile: adminCert, keyFile: adminKey, mintSubject: adminSubject, mintProvisioner: adminProvisioner,
            mintPasswordFile: adminPasswordFile)
    }

    func validate() throws {
        do {
            try credential.validate()
        } catch {
            throw ValidationError(error.message)
        }
    }

    /// Runs `body` with an authenticated admin client.
    func withAdmin<T: Sendable>(_ body: @Sendable (AdminClient) async throws -> T) async throws -> T {
        let saved = try ContextFile.load().context(named: context)
        let (url, rootFile) = try ConnectionDefaults.resolve(caURL: caURL, root: root, context: saved)
        var configuration = try CAClientConfiguration(url: url, rootFile: rootFile)
        configuration.identity = try await credential.identity(base: configuration, context: saved).0
        return try await CAClient.withClient(configuration) { client in try await body(AdminClient(client: client)) }
    }
}

/// `--json` for scripts.
struct OutputOptions: ParsableArguments {
    @Flag(name: .customLong("json"), help: "Print JSON (the API's objects) instead of a table.") var json = false
}
