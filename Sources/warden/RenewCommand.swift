import ArgumentParser
import Crypto
import Foundation
import WardenClient
import WardenCore
import WardenPKI
import WardenServer
import X509

struct RenewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "renew",
        abstract: "Renew a certificate, authenticating with the certificate itself (mTLS).",
        discussion: """
            Example:
              warden renew web.crt web.key --ca-url https://localhost:9443 --root root_ca.crt
            """)

    @Argument(help: "Certificate chain to renew.") var crt: String
    @Argument(help: "Its private key.") var key: String
    @Option(help: "Write the renewed chain here instead of overwriting CRT.") var out: String?
    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        let identity = try ClientIdentity(certificateFile: crt, keyFile: key)
        let configuration = try connection.clientConfiguration(identity: identity)
        let response = try await CAClient.withClient(configuration) { client in try await client.renew() }
        let chain = try response.certChain.flatMap { try PEMBundle.certificates(fromPEM: $0) }
        try SecureFile.write(PEMBundle.pem(chain), to: out ?? crt, mode: 0o644)
        print("✔ Renewed: \(out ?? crt)  (serial \(chain[0].wardenSerial.decimal), valid until \(chain[0].notValidAfter))")
    }
}
