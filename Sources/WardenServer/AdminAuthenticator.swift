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
            let key = VerifiedChainCache.key([PEMBundle.der(peer)])
            if authority.verifiedAdminChains.verifiedChain(key, at: now) == nil {
                try await verifyChain([peer], key: key, now: now)
            }
            let (binding, _) = try await lookUp(certificate: peer, consuming: nil, logger: logger)
            return AdminIdentity(binding: binding, certificate: peer, method: .mtls)
        } catch {
            throw Failure(error: error, actor: actor)
        }
    }

    private func authenticateToken(_ header: String, path: String, logger: Logger, now: Date) async throws(Failure) -> AdminIdentity {
        let raw = BearerToken.value(of: header) ?? ASCIIWhitespace.trimmed(header)
        let token: OneTimeToken
        let chain: [Certificate]
        let key: SHA256Digest
        let verified: Bool
        do {
            token = try OneTimeToken(parsing: raw)
            key = VerifiedChainCache.key(token.x5c)
            if let known = authority.verifiedAdminChains.verifiedChain(key, at: now) {
                (chain, verified) = (known, true)
            } else {
                (chain, verified) = (try token.x5cCertificates(), false)
            }
        } catch {
            throw Failure(error: .unauthorized("error parsing x5c token: \(error.message)"), actor: nil)
        }
        guard let leaf = chain.first else {
            throw Failure(error: .unauthorized("error parsing x5c token: token has no x5c certificate chain"), actor: nil)
        }
        var actor = AuditActor(subject: Self.names(of: leaf).first, provisioner: nil, serial: leaf.wardenSerial.decimal, method: "x5c-token")
        do {
            if !verified { try await verifyChain(chain, key: key, now: now) }
            guard let publicKey = P256.Signing.PublicKey(leaf.publicKey) else {
                throw WardenError.unauthorized("admin certificate key must be EC P-256")
            }
            // The signature is checked before the token's id is recorded, so nobody can spend another's token id.
            try token.verifySignature(with: publicKey)
            let claims = token.claims
            // A token without an expiry would be valid forever and its id would have to be remembered forever.
            guard let exp = claims.exp else { throw WardenError.unauthorized("invalid x5c claims: token has no expiration claim (exp)") }
            let (binding, fresh) = try await lookUp(
                certificate: leaf,
                consuming: UsedToken(id: "admin:\(token.replayID)", expiresAt: TokenAuthorizer.replayMemory(exp: exp, now: now)),
                logger: logger)
            let provisioner = binding.provisionerName
            actor.provisioner = provisioner
            // Replay is checked before time and audience, as step-ca does.
            guard fresh else { throw WardenError.unauthorized("token already used") }
            let t = now.timeIntervalSince1970
            if t > exp + TokenAuthorizer.leeway { throw WardenError.unauthorized("invalid x5c claims: token is expired") }
            if let nbf = claims.nbf, t + TokenAuthorizer.leeway < nbf { throw WardenError.unauthorized("invalid x5c claims: token not valid yet") }
            if let iat = claims.iat, t + TokenAuthorizer.leeway < iat {
                throw WardenError.unauthorized("invalid x5c claims: token issued in the future")
            }
            let audience = TokenAudience(dnsNames: authority.configuration.dnsNames, paths: [path])
            guard let aud = claims.aud?.values, audience.accepts(aud) else {
                throw WardenError.unauthorized("x5c token has invalid audience claim (aud): \(audience.refusal(received: claims.aud?.values))")
            }
            guard claims.iss == Self.adminIssuer || claims.iss == provisioner else {
                throw WardenError.unauthorized("x5c token has invalid issuer claim (iss)")
            }
            guard let sub = claims.sub, !sub.isEmpty else { throw WardenError.unauthorized("x5c token subject cannot be empty") }
            return AdminIdentity(binding: binding, certificate: leaf, method: .token)
        } catch let error as WardenError {
            throw Failure(error: error, actor: actor)
        } catch {
            throw Failure(error: .unauthorized("\(error)"), actor: actor)
        }
    }

    /// Chain to the CA's roots, validity, clientAuth and digitalSignature; a chain that passes is remembered
    /// (callers skip this when ``VerifiedChainCache`` already has it).
    private func verifyChain(_ presented: [Certificate], key: SHA256Digest, now: Date) async throws(WardenError) {
        guard let leaf = presented.first else { throw .unauthorized("no certificate presented") }
        let intermediates = Array(presented.dropFirst())
        let signer = authority.signer
        do {
            try await ClientCertificateVerifier(roots: signer.roots, intermediates: [signer.intermediate]).verify(
                leaf: leaf, presentedIntermediates: intermediates, now: now)
        } catch {
            throw .unauthorized("error verifying admin certificate: \(error.message)")
        }
        let chain = [leaf, signer.intermediate] + intermediates + signer.roots
        authority.verifiedAdminChains.remember(
            key, chain: presented, validFrom: leaf.notValidBefore.addingTimeInterval(-60),
            validUntil: chain.map(\.notValidAfter).min() ?? leaf.notValidAfter)
    }

    /// The database's view of the credential, in one statement: recording `token`, revocation, the provisioner
    /// it belongs to (by id) and the matching live admin. Returns whether the token was fresh.
    private func lookUp(certificate: Certificate, consuming token: UsedToken?, logger: Logger) async throws(WardenError)
        -> (AdminIdentity.Binding, Bool)
    {
        let serial = certificate.wardenSerial
        let names = Self.names(of: certificate)
        let provisioners = authority.provisioners
        let fallback = provisioners.issuer(of: certificate, recordedID: nil)?.id
        let standing = try await authority.admins.standing(
            of: serial, subjects: names, fallbackProvisionerID: fallback, consuming: token, logger: logger)
        if standing.revoked {
            throw .unauthorized("admin certificate \(serial.decimal) has been revoked")
        }
        guard let issuerID = standing.issuerID else { throw .notFound("unable to load provisioner from certificate") }
        guard let match = standing.match(subjects: names) else {
            let provisionerName = provisioners.provisioner(id: issuerID)?.name ?? issuerID.uuidString.lowercased()
            throw .unauthorized(
                "unable to load admin with subject(s) [\(names.joined(separator: " "))] and provisioner '\(provisionerName)'")
        }
        if !match.provisionerType.canAuthenticateAdmins {
            throw .unauthorized("\(match.provisionerType.enumName) provisioners cannot authenticate admins: token flow is not supported")
        }
        let binding = AdminIdentity.Binding(
            admin: match.admin, provisionerID: issuerID, provisionerName: match.provisionerName, provisionerType: match.provisionerType)
        return (binding, standing.tokenWasFresh)
    }

    /// Whether the credential behind `identity` still stands (certificate not revoked, admin live with at least
    /// `role`): long-lived requests (event streams) ask again whenever admins, provisioners or revocations change.
    func stillStands(_ identity: AdminIdentity, role: AdminRole, logger: Logger, now: Date = Date()) async -> Bool {
        guard now <= identity.certificate.notValidAfter else { return false }
        guard let (binding, _) = try? await lookUp(certificate: identity.certificate, consuming: nil, logger: logger) else { return false }
        return binding.admin.id == identity.admin.id && (role == .admin || binding.admin.role == .superAdmin)
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
