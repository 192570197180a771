import Crypto
import Foundation
import Logging
import WardenCore
import WardenPKI
import WardenStore
import X509

/// Authenticates admin API callers, either way design.md §4 allows:
///
/// 1. an x5c admin token in `Authorization` (the step CLI's way; raw compact JWS, `Bearer ` tolerated), or
/// 2. the TLS client certificate itself (`curl --cert`, `warden`, the console).
///
/// Both paths apply the same certificate checks: chain to the CA's roots, validity, clientAuth EKU and
/// digitalSignature, not revoked (looked up on every request, so revocation bites at once), provisioner
/// from the certificate record or step's extension, and a live admin matching one of the certificate's
/// names for that provisioner.
struct AdminAuthenticator: Sendable {
    let authority: Authority

    static let adminIssuer = "step-admin-client/1.0"

    struct Failure: Error {
        var error: WardenError
        var actor: AuditActor?
    }

    func authenticate(authorization: String?, peer: Certificate?, path: String, logger: Logger, now: Date = Date()) async throws(Failure)
        -> AdminIdentity
    {
        if let authorization, !authorization.isEmpty {
            return try await authenticateToken(authorization, path: path, logger: logger, now: now)
        }
        guard let peer else {
            throw Failure(error: .unauthorized("missing authorization header token"), actor: nil)
        }
        let actor = AuditActor(subject: Self.names(of: peer).first, provisioner: nil, serial: peer.wardenSerial.decimal, method: "mtls")
        do {
            let (admin, provisioner, type) = try await verify(certificate: peer, intermediates: [], logger: logger, now: now)
            return AdminIdentity(admin: admin, provisionerName: provisioner, provisionerType: type, certificate: peer, method: .mtls)
        } catch {
            throw Failure(error: error, actor: actor)
        }
    }

    private func authenticateToken(_ header: String, path: String, logger: Logger, now: Date) async throws(Failure) -> AdminIdentity {
        var raw = header.trimmingCharacters(in: .whitespaces)
        if raw.lowercased().hasPrefix("bearer ") { raw = String(raw.dropFirst(7)).trimmingCharacters(in: .whitespaces) }
        let token: OneTimeToken
        let chain: [Certificate]
        do {
            token = try OneTimeToken(parsing: raw)
            chain = try token.x5cCertificates()
        } catch {
            throw Failure(error: .unauthorized("error parsing x5c token: \(error.message)"), actor: nil)
        }
        guard let leaf = chain.first else {
            throw Failure(error: .unauthorized("error parsing x5c token: token has no x5c certificate chain"), actor: nil)
        }
        var actor = AuditActor(subject: Self.names(of: leaf).first, provisioner: nil, serial: leaf.wardenSerial.decimal, method: "x5c-token")
        do {
            let (admin, provisioner, type) = try await verify(certificate: leaf, intermediates: Array(chain.dropFirst()), logger: logger, now: now)
            actor.provisioner = provisioner
            guard let key = P256.Signing.PublicKey(leaf.publicKey) else {
                throw WardenError.unauthorized("admin certificate key must be EC P-256")
            }
            try await token.verifySignature(with: key)
            let claims = token.claims
            let tokenID = claims.jti.flatMap { $0.isEmpty ? nil : $0 } ?? Fingerprint.sha256Hex(Array(raw.utf8))
            let expiry = claims.exp.map { Date(timeIntervalSince1970: $0 + TokenAuthorizer.leeway) } ?? now.addingTimeInterval(86400)
            // Replay is checked before time and audience, as step-ca does.
            try await authority.tokens.consume(UsedToken(id: "admin:\(tokenID)", expiresAt: expiry), logger: logger)
            let t = now.timeIntervalSince1970
            if let exp = claims.exp, t > exp + TokenAuthorizer.leeway { throw WardenError.unauthorized("invalid x5c claims: token is expired") }
            if let nbf = claims.nbf, t + TokenAuthorizer.leeway < nbf { throw WardenError.unauthorized("invalid x5c claims: token not valid yet") }
            if let iat = claims.iat, t + TokenAuthorizer.leeway < iat { throw WardenError.unauthorized("invalid x5c claims: token issued in the future") }
            let audience = TokenAudience(dnsNames: authority.configuration.dnsNames, paths: [path])
            guard let aud = claims.aud?.values, audience.accepts(aud) else {
                throw WardenError.unauthorized("x5c token has invalid audience claim (aud)")
            }
            guard claims.iss == Self.adminIssuer || claims.iss == provisioner else {
                throw WardenError.unauthorized("x5c token has invalid issuer claim (iss)")
            }
            guard let sub = claims.sub, !sub.isEmpty else { throw WardenError.unauthorized("x5c token subject cannot be empty") }
            return AdminIdentity(admin: admin, provisionerName: provisioner, provisionerType: type, certificate: leaf, method: .token)
        } catch let error as WardenError {
            throw Failure(error: error, actor: actor)
        } catch {
            throw Failure(error: .unauthorized("\(error)"), actor: actor)
        }
    }

    /// The checks both methods share. Returns the admin and the name and type of the provisioner it belongs to.
    private func verify(certificate: Certificate, intermediates: [Certificate], logger: Logger, now: Date) async throws(WardenError)
        -> (Admin, String, ProvisionerType)
    {
        let signer = authority.signer
        do {
            try await ClientCertificateVerifier(roots: signer.roots, intermediates: [signer.intermediate]).verify(
                leaf: certificate, presentedIntermediates: intermediates, now: now)
        } catch {
            throw .unauthorized("error verifying admin certificate: \(error.message)")
        }
        let serial = certificate.wardenSerial
        let standing = try await authority.certificates.standing(serial: serial, logger: logger)
        if standing.revoked {
            throw .unauthorized("admin certificate \(serial.decimal) has been revoked")
        }
        var candidates: [String] = []
        for case let name? in [standing.provisionerName, ProvisionerExtension(certificate: certificate)?.name] where !candidates.contains(name) {
            candidates.append(name)
        }
        guard !candidates.isEmpty else { throw .notFound("unable to load provisioner from certificate") }
        let names = Self.names(of: certificate)
        for provisionerName in candidates {
            if let (admin, type) = try await authority.admins.match(subjects: names, provisionerName: provisionerName, logger: logger) {
                if type == .acme || type == .scep {
                    throw .unauthorized("\(type.enumName) provisioners cannot authenticate admins: token flow is not supported")
                }
                return (admin, provisionerName, type)
            }
        }
        throw .unauthorized(
            "unable to load admin with subject(s) [\(names.joined(separator: " "))] and provisioner '\(candidates[0])'")
    }

    /// step's candidate names: common name, then DNS names, then email addresses.
    static func names(of certificate: Certificate) -> [String] {
        var names: [String] = []
        if let cn = Authority.commonName(certificate) { names.append(cn) }
        if let sans = try? certificate.extensions.subjectAlternativeNames {
            for case .dnsName(let name) in sans { names.append(name) }
            for case .rfc822Name(let email) in sans { names.append(email) }
        }
        return names
    }
}
