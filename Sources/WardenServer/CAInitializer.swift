import Crypto
import Foundation
import Logging
import WardenCore
import WardenPKI
import WardenStore
import X509

/// `warden init`: a new PKI in step's directory layout, ready for `warden serve`.
///
/// ```
/// DIR/certs/root_ca.crt  DIR/certs/intermediate_ca.crt
/// DIR/secrets/root_ca_key  DIR/secrets/intermediate_ca_key   (encrypted PKCS#8, 0600)
/// DIR/config/ca.json  DIR/config/defaults.json
/// ```
public struct CAInitializer: Sendable {
    public struct Options: Sendable {
        public var directory: String
        public var name: String
        public var dnsNames: [String]
        public var address: String
        public var password: Secret
        public var databaseURL: String
        /// Name of the first JWK provisioner. Default "admin".
        public var provisionerName: String
        /// PBKDF2 iterations for key encryption (600,000 like step; tests lower it).
        public var keyIterations: Int
        /// `--remote-management`: provisioners and admins live in the database, written now.
        public var remoteManagement: Bool
        /// The first super admin's subject when `remoteManagement` is on. Default "step".
        public var adminSubject: String
        /// Name constraints on the intermediate (DNS domains permitted / excluded); empty for none.
        public var permittedDNSDomains: [String] = []
        public var excludedDNSDomains: [String] = []

        public init(
            directory: String, name: String, dnsNames: [String], address: String, password: Secret, databaseURL: String,
            provisionerName: String = "admin", keyIterations: Int = EncryptedJWK.defaultIterations,
            remoteManagement: Bool = false, adminSubject: String = RemoteManagementBootstrap.defaultSuperAdminSubject
        ) {
            self.remoteManagement = remoteManagement
            self.adminSubject = adminSubject
            self.directory = directory
            self.name = name
            self.dnsNames = dnsNames
            self.address = address
            self.password = password
            self.databaseURL = databaseURL
            self.provisionerName = provisionerName
            self.keyIterations = keyIterations
        }
    }

    public struct Result: Sendable {
        public var configPath: String
        public var rootPath: String
        public var rootFingerprint: String
        public var caURL: String
        public var provisionerName: String
    }

    public let options: Options

    public init(options: Options) {
        self.options = options
    }

    /// Writes the CA. With remote management, also writes the provisioner and the first super admin to the
    /// database (which must be reachable), leaving ca.json's provisioner list empty, as `step ca init
    /// --remote-management` does.
    public func run(logger: Logger) async throws -> Result {
        let (result, provisioner) = try writeFiles()
        if options.remoteManagement {
            let seed = try {
                var configuration = try CAConfiguration.load(path: result.configPath)
                configuration.authority.provisioners = [provisioner]
                return configuration
            }()
            let configuration = try DatabaseConfiguration(url: options.databaseURL)
            let subject = options.adminSubject
            _ = try await Database.withRunning(configuration: configuration, logger: logger) { database in
                try await RemoteManagementBootstrap.run(
                    database: database, configuration: seed, password: nil, superAdminSubject: subject, logger: logger)
            }
        }
        return result
    }

    private func writeFiles() throws -> (Result, Provisioner) {
        let fm = FileManager.default
        let dir = URL(fileURLWithPath: options.directory).standardizedFileURL
        for sub in ["config", "certs", "secrets"] where fm.fileExists(atPath: dir.appendingPathComponent(sub).path) {
            throw WardenError.conflict("\(dir.appendingPathComponent(sub).path) already exists: refusing to overwrite an existing CA")
        }
        guard !options.dnsNames.isEmpty else { throw WardenError.badRequest("at least one --dns name is required") }
        guard !options.password.isEmpty else { throw WardenError.badRequest("the password must not be empty") }
        _ = try ListenAddress.parse(options.address)
        _ = try DatabaseConfiguration(url: options.databaseURL)

        let hierarchy = try CertificateHierarchy.create(
            name: options.name, permittedDNSDomains: options.permittedDNSDomains, excludedDNSDomains: options.excludedDNSDomains)
        // The CA's own names (its TLS certificate) and the first admin must be names its constraints allow.
        let constraints = CANameConstraints(chain: [hierarchy.intermediate, hierarchy.root])
        do {
            try constraints.check(options.dnsNames.map(SubjectAlternativeName.init(classifying:)))
        } catch {
            throw WardenError.badRequest("--dns: \(error.message): the CA could not serve TLS under that name")
        }
        if options.remoteManagement {
            try RemoteManagementBootstrap.checkAdminSubject(options.adminSubject, against: constraints)
        }
        // Modes are set explicitly, not left to the umask: the CA directory, config/ and secrets/ are the owner's
        // alone (0700); keys and ca.json are 0600; certificates 0644 in a 0755 certs/.
        try SecureFile.directory(dir.path, mode: 0o700)
        for (sub, mode) in [("config", 0o700), ("certs", 0o755), ("secrets", 0o700)] {
            try SecureFile.directory(dir.appendingPathComponent(sub).path, mode: mode)
        }
        let rootPath = dir.appendingPathComponent("certs/root_ca.crt").path
        let intermediatePath = dir.appendingPathComponent("certs/intermediate_ca.crt").path
        let rootKeyPath = dir.appendingPathComponent("secrets/root_ca_key").path
        let intermediateKeyPath = dir.appendingPathComponent("secrets/intermediate_ca_key").path
        try SecureFile.write(PEMBundle.pem(hierarchy.root), to: rootPath, mode: 0o644)
        try SecureFile.write(PEMBundle.pem(hierarchy.intermediate), to: intermediatePath, mode: 0o644)
        try SecureFile.write(
            EncryptedPrivateKeyFile.seal(hierarchy.rootKey, password: options.password.bytes, iterations: options.keyIterations) + "\n",
            to: rootKeyPath, mode: 0o600)
        try SecureFile.write(
            EncryptedPrivateKeyFile.seal(hierarchy.intermediateKey, password: options.password.bytes, iterations: options.keyIterations) + "\n",
            to: intermediateKeyPath, mode: 0o600)

        let provisioner = try Self.makeJWKProvisioner(
            name: options.provisionerName, password: options.password.bytes, iterations: options.keyIterations)
        let configuration = CAConfiguration(
            root: [rootPath], crt: intermediatePath, key: intermediateKeyPath, address: options.address,
            dnsNames: options.dnsNames, db: .init(type: "postgresql", dataSource: options.databaseURL),
            authority: .init(
                provisioners: options.remoteManagement ? [] : [provisioner], claims: nil, enableAdmin: options.remoteManagement),
            crl: .init(enabled: true, generateOnRevoke: true, cacheDuration: .hours(24)))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let configPath = dir.appendingPathComponent("config/ca.json").path
        try SecureFile.write(String(decoding: try encoder.encode(configuration), as: UTF8.self) + "\n", to: configPath, mode: 0o600)

        let port = try ListenAddress.parse(options.address).1
        let caURL = "https://\(Self.urlHost(options.dnsNames[0])):\(port)"
        let fingerprint = PEMBundle.fingerprint(hierarchy.root)
        let defaults: [String: String] = ["ca-url": caURL, "fingerprint": fingerprint, "root": rootPath, "ca-config": configPath]
        try SecureFile.write(
            String(decoding: try encoder.encode(defaults), as: UTF8.self) + "\n",
            to: dir.appendingPathComponent("config/defaults.json").path, mode: 0o600)
        let result = Result(
            configPath: configPath, rootPath: rootPath, rootFingerprint: fingerprint, caURL: caURL,
            provisionerName: options.provisionerName)
        return (result, provisioner)
    }

    /// A JWK provisioner with a fresh P-256 key whose private half is a PBES2 JWE, as `step ca init` writes it.
    public static func makeJWKProvisioner(name: String, password: [UInt8], iterations: Int = EncryptedJWK.defaultIterations, claims: Claims? = nil)
        throws -> Provisioner
    {
        let (publicKey, privateKey) = JSONWebKey.generateP256()
        let encrypted = try EncryptedJWK.encryptKey(privateKey, password: password, iterations: iterations)
        return Provisioner(
            type: .jwk, name: name, claims: claims, fields: ["key": publicKey.jsonValue, "encryptedKey": .string(encrypted)])
    }

    static func urlHost(_ name: String) -> String {
        name.contains(":") ? "[\(name)]" : name
    }
}
