import Foundation
import WardenCore
import WardenPKI

/// Where an admin credential comes from, for every remote command and the console, like `step ca ...
/// --admin-cert`: flags, then `WARDEN_ADMIN_CERT`/`WARDEN_ADMIN_KEY`, then the context file; or, without a
/// certificate, `--admin-subject/--admin-provisioner/--admin-password-file` mint a short-lived admin
/// certificate from a JWK provisioner first (as the step CLI does).
public struct AdminCredential: Sendable {
    public var certificateFile: String?
    public var keyFile: String?
    public var mintSubject: String?
    public var mintProvisioner: String?
    public var mintPasswordFile: String?

    public init(
        certificateFile: String?, keyFile: String?, mintSubject: String? = nil, mintProvisioner: String? = nil, mintPasswordFile: String? = nil
    ) {
        self.certificateFile = certificateFile
        self.keyFile = keyFile
        self.mintSubject = mintSubject
        self.mintProvisioner = mintProvisioner
        self.mintPasswordFile = mintPasswordFile
    }

    /// The flag combinations that cannot work, as one sentence each.
    public func validate() throws(WardenError) {
        if (certificateFile == nil) != (keyFile == nil) {
            throw .badRequest("--admin-cert and --admin-key go together")
        }
        if mintSubject != nil && (mintProvisioner == nil || mintPasswordFile == nil) {
            throw .badRequest("--admin-subject needs --admin-provisioner and --admin-password-file")
        }
    }

    /// The identity to present, and where it came from (for messages): minted, or read from files.
    public func identity(base: CAClientConfiguration, context: ContextFile.Context?) async throws -> (ClientIdentity, String) {
        try validate()
        if let subject = mintSubject, let provisioner = mintProvisioner, let passwordFile = mintPasswordFile {
            let password = try PasswordFile.read(passwordFile)
            let minted = try await CAClient.withClient(base) { client in
                let issuer = try await ProvisionerTokenIssuer.load(client: client, name: provisioner, password: password)
                return try await CertificateEnrollment.enroll(client: client, issuer: issuer, subject: subject, sans: [], notAfter: nil)
            }
            return (ClientIdentity(chain: minted.chain, key: minted.key), "minted for \(subject) by \(provisioner)")
        }
        let environment = ProcessInfo.processInfo.environment
        guard let certFile = certificateFile ?? environment["WARDEN_ADMIN_CERT"] ?? context?.adminCert,
            let keyFile = keyFile ?? environment["WARDEN_ADMIN_KEY"] ?? context?.adminKey
        else {
            throw WardenError.badRequest(
                "no admin credential: give --admin-cert/--admin-key (or WARDEN_ADMIN_CERT/WARDEN_ADMIN_KEY), or --admin-subject with --admin-provisioner and --admin-password-file"
            )
        }
        return (try ClientIdentity(certificateFile: certFile, keyFile: keyFile), certFile)
    }
}

/// Reads a password file the way step does: the whole file, trailing newlines removed.
public enum PasswordFile {
    public static func read(_ path: String) throws(WardenError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .badRequest("cannot read password file \(path)")
        }
        var bytes = Array(data)
        while let last = bytes.last, last == 0x0a || last == 0x0d { bytes.removeLast() }
        guard !bytes.isEmpty else { throw .badRequest("password file \(path) is empty") }
        return bytes
    }
}
