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

    func validate() throws {
        if (adminCert == nil) != (adminKey == nil) && (adminCert != nil || adminKey != nil) {
            throw ValidationError("--admin-cert and --admin-key go together")
        }
        if adminSubject != nil && (adminProvisioner == nil || adminPasswordFile == nil) {
            throw ValidationError("--admin-subject needs --admin-provisioner and --admin-password-file")
        }
    }

    /// Runs `body` with an authenticated admin client.
    func withAdmin<T: Sendable>(_ body: @Sendable (AdminClient) async throws -> T) async throws -> T {
        let environment = ProcessInfo.processInfo.environment
        let saved = try ContextFile.load().context(named: context)
        let (url, rootFile) = try ConnectionDefaults.resolve(caURL: caURL, root: root, context: saved)
        let base = try CAClientConfiguration(url: url, rootFile: rootFile)
        let identity: ClientIdentity
        if let subject = adminSubject, let provisioner = adminProvisioner, let passwordFile = adminPasswordFile {
            let password = try PasswordFile.read(passwordFile)
            let minted = try await CAClient.withClient(base) { client in
                let issuer = try await ProvisionerTokenIssuer.load(client: client, name: provisioner, password: password)
                return try await CertificateEnrollment.enroll(client: client, issuer: issuer, subject: subject, sans: [], notAfter: nil)
            }
            identity = ClientIdentity(chain: minted.chain, key: minted.key)
        } else {
            guard let certFile = adminCert ?? environment["WARDEN_ADMIN_CERT"] ?? saved?.adminCert,
                let keyFile = adminKey ?? environment["WARDEN_ADMIN_KEY"] ?? saved?.adminKey
            else {
                throw WardenError.badRequest(
                    "no admin credential: give --admin-cert/--admin-key (or WARDEN_ADMIN_CERT/WARDEN_ADMIN_KEY), or --admin-subject with --admin-provisioner and --admin-password-file")
            }
            identity = try ClientIdentity(certificateFile: certFile, keyFile: keyFile)
        }
        var configuration = base
        configuration.identity = identity
        return try await CAClient.withClient(configuration) { client in try await body(AdminClient(client: client)) }
    }
}

/// `--json` for scripts.
struct OutputOptions: ParsableArguments {
    @Flag(name: .customLong("json"), help: "Print JSON (the API's objects) instead of a table.") var json = false
}
