import Foundation
import Logging
import WardenCore
import WardenPKI
import WardenStore

/// What `enableAdmin` does on a database without provisioners (step-compat.md §6): migrate ca.json's
/// provisioners (new ids), pick the first JWK as the admin provisioner or create "Admin JWK" (admin
/// certificates valid 5 minutes, key encrypted with the CA password), and create super admin `step`.
/// One transaction; a no-op when the database already has provisioners.
public enum RemoteManagementBootstrap {
    public static let adminProvisionerName = "Admin JWK"
    public static let defaultSuperAdminSubject = "step"

    /// The first super admin must be able to get an admin certificate: a subject the CA's own name constraints
    /// forbid (on a CA for `example.internal`, "step") is refused, naming the subject and the constraint.
    public static func checkAdminSubject(_ subject: String, against constraints: CANameConstraints) throws(WardenError) {
        do {
            try CertificateNameRules.checkCommonName(subject)
            try constraints.check([SubjectAlternativeName(classifying: subject)])
        } catch {
            throw .badRequest(
                "admin subject \"\(subject)\" cannot get an admin certificate from this CA: \(error.message); choose another with --admin-subject")
        }
    }

    /// - Returns: true when the database was bootstrapped by this call.
    @discardableResult
    public static func run(
        database: Database, configuration: CAConfiguration, password: Secret?, superAdminSubject: String = defaultSuperAdminSubject,
        nameConstraints: CANameConstraints? = nil, configPath: String? = nil, keyIterations: Int = EncryptedJWK.defaultIterations,
        logger: Logger
    ) async throws -> Bool {
        let bootstrap = ManagementBootstrap(database: database)
        if try await bootstrap.hasProvisioners(logger: logger) { return false }
        if let nameConstraints { try checkAdminSubject(superAdminSubject, against: nameConstraints) }
        // Each keeps the id it had while served from ca.json (derived from its type, name and credential), so the
        // certificates it issued before the migration still renew and still identify their admins. Template files
        // are read now (their contents go into the database; the audit row names the file).
        var provisioners: [LinkedProvisioner] = []
        var templateFiles: [UUID: JSONValue] = [:]
        for provisioner in configuration.authority.provisioners {
            let files = LinkedProvisioner.templateFiles(of: provisioner)
            var contents: [String: String] = [:]
            var resolved: [String: JSONValue] = [:]
            for (kind, path) in files {
                let location = resolveTemplatePath(path, configPath: configPath)
                guard let data = FileManager.default.contents(atPath: location) else {
                    throw WardenError.badRequest(
                        "provisioner \(provisioner.name): options.\(kind).templateFile \(path) cannot be read (looked for \(location))")
                }
                contents[kind] = String(decoding: data, as: UTF8.self)
                resolved[kind] = .string(location)
            }
            let migrated = LinkedProvisioner(migrating: provisioner, id: ProvisionerSet.derivedID(of: provisioner), templateFileContents: contents)
            if !resolved.isEmpty { templateFiles[migrated.id] = .object(resolved) }
            provisioners.append(migrated)
        }
        let adminProvisioner: LinkedProvisioner
        if let firstJWK = provisioners.first(where: { $0.type == .jwk }) {
            adminProvisioner = firstJWK
        } else {
            guard let password, !password.isEmpty else {
                throw WardenError.badRequest(
                    "enableAdmin: creating the \"\(adminProvisionerName)\" provisioner needs the CA password (--password-file)")
            }
            let created = try CAInitializer.makeJWKProvisioner(
                name: adminProvisionerName, password: password.bytes, iterations: keyIterations,
                claims: Claims(defaultTLSCertDuration: .minutes(5)))
            adminProvisioner = LinkedProvisioner(migrating: created)
            provisioners.append(adminProvisioner)
        }
        let performed = try await bootstrap.run(
            provisioners: provisioners, superAdminSubject: superAdminSubject, adminProvisionerID: adminProvisioner.id,
            templateFiles: templateFiles, logger: logger)
        if performed {
            let migrated = configuration.authority.provisioners.map(\.name)
            logger.notice(
                "remote management bootstrapped",
                metadata: [
                    "migratedFromCAJSON": "\(migrated)", "adminProvisioner": "\(adminProvisioner.name)",
                    "superAdmin": "\(superAdminSubject)",
                ])
            if !migrated.isEmpty {
                logger.notice("ca.json provisioners are now in the database and ca.json's list is ignored; remove them from ca.json")
            }
        }
        return performed
    }

    /// step's reading of a relative `templateFile`: against `$STEPPATH`, else the directory above `config/`
    /// (step's layout), else ca.json's own directory.
    static func resolveTemplatePath(_ path: String, configPath: String?) -> String {
        if path.hasPrefix("/") { return path }
        var candidates: [String] = []
        if let steppath = ProcessInfo.processInfo.environment["STEPPATH"] { candidates.append(steppath) }
        if let configPath {
            let configDirectory = (configPath as NSString).deletingLastPathComponent
            candidates.append((configDirectory as NSString).deletingLastPathComponent)
            candidates.append(configDirectory)
        }
        for base in candidates {
            let full = (base as NSString).appendingPathComponent(path)
            if FileManager.default.fileExists(atPath: full) { return full }
        }
        return candidates.first.map { ($0 as NSString).appendingPathComponent(path) } ?? path
    }
}
