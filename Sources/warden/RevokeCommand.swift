import ArgumentParser
import Crypto
import Foundation
import WardenClient
import WardenCore
import WardenPKI
import X509

struct RevokeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke",
        abstract: "Revoke a certificate by serial (provisioner token) or with the certificate itself (mTLS).",
        discussion: """
            Examples:
              warden revoke 2849302... --provisioner admin --password-file pw.txt --reason key-compromise
              warden revoke --cert web.crt --key web.key --reason superseded
            """)

    @Argument(help: "Serial number (decimal, or hex with 0x).") var serial: String?
    @Option(help: "JWK provisioner to authorise the revocation.") var provisioner: String?
    @Option(name: .customLong("password-file"), help: "Provisioner password file.") var passwordFile: String?
    @Option(help: "Revoke with this certificate over mTLS.") var cert: String?
    @Option(help: "Key of --cert.") var key: String?
    @Option(help: "Reason: a name (key-compromise, superseded, ...) or an RFC 5280 code.") var reason: String?
    @Option(help: "Free-text reason recorded with the revocation.") var message: String?
    @OptionGroup var connection: ConnectionOptions

    func validate() throws {
        if cert == nil && (serial == nil || provisioner == nil || passwordFile == nil) {
            throw ValidationError("give SERIAL with --provisioner and --password-file, or --cert and --key")
        }
        if cert != nil && key == nil { throw ValidationError("--cert needs --key") }
        if let reason, RevocationReason(parsing: reason) == nil {
            throw ValidationError("unknown reason \"\(reason)\" (e.g. key-compromise, superseded, cessation-of-operation, or 0-10)")
        }
    }

    func run() async throws {
        let reasonCode = reason.flatMap(RevocationReason.init(parsing:)) ?? .unspecified
        if let cert, let key {
            let identity = try ClientIdentity(certificateFile: cert, keyFile: key)
            let target = serial.flatMap(SerialNumber.init(parsing:)) ?? identity.chain[0].wardenSerial
            let configuration = try connection.clientConfiguration(identity: identity)
            _ = try await CAClient.withClient(configuration) { client in
                try await client.revoke(RevokeRequest(serial: target.decimal, ott: nil, reasonCode: reasonCode.rawValue, reason: message))
            }
            print("✔ Revoked serial \(target.decimal) (\(reasonCode.name))")
            return
        }
        guard let serial, let parsed = SerialNumber(parsing: serial) else {
            throw WardenError.badRequest("invalid serial number \"\(serial ?? "")\"")
        }
        let password = try PasswordFile.read(passwordFile!)
        let configuration = try connection.clientConfiguration()
        _ = try await CAClient.withClient(configuration) { client in
            let issuer = try await ProvisionerTokenIssuer.load(client: client, name: provisioner!, password: password)
            let token = try await issuer.token(subject: parsed.decimal, audiencePath: "/1.0/revoke")
            return try await client.revoke(
                RevokeRequest(serial: parsed.decimal, ott: token, reasonCode: reasonCode.rawValue, reason: message))
        }
        print("✔ Revoked serial \(parsed.decimal) (\(reasonCode.name))")
    }
}
