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

    /// - Returns: true when the database was bootstrapped by this call.
    @discardableResult
    public static func run(
        database: Database, configuration: CAConfiguration, password: Secret?, superAdminSubject: String = defaultSuperAdminSubject,
        keyIterations: Int = EncryptedJWK.defaultIterations, logger: Logger
    ) async throws -> Bool {
        let bootstrap = ManagementBootstrap(database: database)
        if try await bootstrap.hasProvisioners(logger: logger) { return false }
        // Each keeps the id it had while served from ca.json (derived from its type, name and credential), so the
        // certificates it issued before the migration still renew and still identify their admins.
        var provisioners = configuration.authority.provisioners.map {
            LinkedProvisioner(migrating: $0, id: ProvisionerSet.derivedID(of: $0))
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
            provisioners: provisioners, superAdminSubject: superAdminSubject, adminProvisionerID: adminProvisioner.id, logger: logger)
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
}
