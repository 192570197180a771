import ArgumentParser
import Crypto
import Foundation
import WardenClient
import WardenCore
import WardenPKI
import WardenServer
import X509

struct CertificateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "certificate",
        abstract: "Get a certificate from a JWK provisioner (fetch key, decrypt, token, CSR, sign).",
        discussion: """
            Writes the chain (leaf, intermediate) to CRT and the new private key to KEY (mode 0600).
            Example:
              warden certificate web.internal web.crt web.key --provisioner admin --password-file pw.txt \\
                --san web.internal --san 10.0.0.5 --not-after 24h --ca-url https://localhost:9443 --root root_ca.crt
            """)

    @Argument(help: "Subject (the certificate's common name).") var subject: String
    @Argument(help: "Where to write the certificate chain.") var crt: String
    @Argument(help: "Where to write the private key.") var key: String
    @Option(help: "JWK provisioner name.") var provisioner: String
    @Option(name: .customLong("password-file"), help: "Provisioner password file.") var passwordFile: String
    @Option(name: .customLong("san"), help: "Subject alternative name (repeatable; default: the subject).") var sans: [String] = []
    @Option(name: .customLong("not-after"), help: "Lifetime (e.g. 24h) or RFC 3339 end time.") var notAfter: String?
    @Flag(help: "Overwrite existing files.") var force = false
    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        let fm = FileManager.default
        if !force {
            for path in [crt, key] where fm.fileExists(atPath: path) {
                throw WardenError.conflict("\(path) already exists (use --force to overwrite)")
            }
        }
        let password = try PasswordFile.read(passwordFile)
        let configuration = try connection.clientConfiguration()
        let result = try await CAClient.withClient(configuration) { client in
            let issuer = try await ProvisionerTokenIssuer.load(client: client, name: provisioner, password: password)
            return try await CertificateEnrollment.enroll(client: client, issuer: issuer, subject: subject, sans: sans, notAfter: notAfter)
        }
        try SecureFile.write(PEMBundle.pem(result.chain), to: crt, mode: 0o644)
        try SecureFile.write(result.key.pemRepresentation + "\n", to: key, mode: 0o600)
        let leaf = result.chain[0]
        print("✔ Certificate: \(crt)  (serial \(leaf.wardenSerial.decimal), valid until \(leaf.notValidAfter))")
        print("✔ Private key: \(key)")
    }
}
