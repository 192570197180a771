import Crypto
import Foundation
import Logging
import SwiftASN1
import Synchronization
import WardenCore
import WardenPKI
import WardenStore
import WardenTemplate
import X509

/// The certificate authority's behaviour behind the public API: sign, renew, revoke, CRL.
///
/// Configuration that SIGHUP can change (ca.json, provisioners, the signing key) lives in one snapshot swapped
/// atomically; records live in PostgreSQL and are written before any certificate is returned.
public final class Authority: Sendable {
    struct Snapshot: Sendable {
        var configuration: CAConfiguration
        var signer: SigningAuthority
        var provisioners: ProvisionerSet
        var federatedRoots: [Certificate]
        /// The authority's certificate issuance policy: ca.json's `authority.policy`, or with remote management the
        /// database's (refreshed on `policy` notices).
        var policy: IssuancePolicy?
    }

    private let snapshot: Mutex<Snapshot>
    public let database: Database
    let certificates: CertificateRepository
    let revocations: RevocationRepository
    let crls: CRLRepository
    let admins: AdminRepository
    let managedProvisioners: ProvisionerRepository
    let audit: AuditRepository
    let inventory: InventoryRepository
    let policies: PolicyRepository
    /// Admin certificate chains already verified (admin authentication reads it; the signer never changes).
    let verifiedAdminChains = VerifiedChainCache()
    /// Bounds the audit rows refused admin authentications may write.
    let denialAudits = DenialAuditLimiter()
    /// Bounds the audit rows refused issuances (template failures) may write.
    let issuanceFailureAudits = DenialAuditLimiter()
    public let startedAt: Date

    /// With `authority.enableAdmin`, the database is the only source of provisioners and admins.
    public var isRemotelyManaged: Bool { current.configuration.authority.enableAdmin == true }

    public init(
        configuration: CAConfiguration, signer: SigningAuthority, federatedRoots: [Certificate] = [], database: Database,
        startedAt: Date = Date()
    ) {
        // With remote management the provisioners are loaded from the database at start-up (refreshProvisioners).
        let initial = configuration.authority.enableAdmin == true ? [] : configuration.authority.provisioners
        self.snapshot = Mutex(
            Snapshot(
                configuration: configuration, signer: signer, provisioners: ProvisionerSet(initial), federatedRoots: federatedRoots,
                policy: Self.configuredPolicy(configuration)))
        self.database = database
        self.certificates = CertificateRepository(database: database)
        self.revocations = RevocationRepository(database: database)
        self.crls = CRLRepository(database: database)
        self.admins = AdminRepository(database: database)
        self.managedProvisioners = ProvisionerRepository(database: database)
        self.audit = AuditRepository(database: database)
        self.inventory = InventoryRepository(database: database)
        self.policies = PolicyRepository(database: database)
        self.startedAt = startedAt
    }

    /// Re-reads provisioners from the database (remote management) and swaps them in: the next request sees
    /// a provisioner created, changed or removed a moment ago. Without remote management ca.json is the source.
    public func refreshProvisioners(logger: Logger) async throws(WardenError) {
        guard isRemotelyManaged else { return }
        let live = try await managedProvisioners.live(logger: logger)
        let set = ProvisionerSet(live.map(\.configForm))
        snapshot.withLock { $0.provisioners = set }
    }

    /// Re-reads the authority policy from the database (remote management) and swaps it in.
    public func refreshPolicy(logger: Logger) async throws(WardenError) {
        guard isRemotelyManaged else { return }
        let policy = try await policies.authorityPolicy(logger: logger)
        snapshot.withLock { $0.policy = policy }
    }

    /// ca.json's `authority.policy` when remote management is off (validated when ca.json was loaded).
    static func configuredPolicy(_ configuration: CAConfiguration) -> IssuancePolicy? {
        guard configuration.authority.enableAdmin != true, let json = configuration.authority.policy, json != .null else { return nil }
        return try? IssuancePolicy(json: json)
    }

    public var authorityPolicy: IssuancePolicy? { current.policy }

    var current: Snapshot { snapshot.withLock { $0 } }

    public var configuration: CAConfiguration { current.configuration }
    public var signer: SigningAuthority { current.signer }
    public var provisioners: ProvisionerSet { current.provisioners }

    /// Installs a reloaded configuration (SIGHUP). In-flight requests finish with the snapshot they started with.
    /// `authority.enableAdmin` keeps the value the server started with: the admin routes are mounted at start.
    public func reload(configuration reloaded: CAConfiguration, signer: SigningAuthority, federatedRoots: [Certificate]) {
        snapshot.withLock {
            var configuration = reloaded
            configuration.authority.enableAdmin = $0.configuration.authority.enableAdmin
            let provisioners =
                configuration.authority.enableAdmin == true
                ? $0.provisioners : ProvisionerSet(configuration.authority.provisioners)
            let policy = configuration.authority.enableAdmin == true ? $0.policy : Self.configuredPolicy(configuration)
            $0 = Snapshot(
                configuration: configuration, signer: signer, provisioners: provisioners, federatedRoots: federatedRoots, policy: policy)
        }
    }

    public var roots: [Certificate] { current.signer.roots }
    public var federatedRoots: [Certificate] { current.federatedRoots }

    // MARK: Sign

    static let signAudiences = ["/1.0/sign", "/sign", "/1.0/ssh/sign", "/ssh/sign"]
    static let revokeAudiences = ["/1.0/revoke", "/revoke"]

    /// Verifies the token and CSR, issues, records (consuming the token in the same transaction), returns
    /// leaf + intermediate.
    public func sign(_ request: SignRequest, origin: AuditContext? = nil, logger: Logger, now: Date = Date()) async throws(WardenError)
        -> [Certificate]
    {
        let state = current
        guard !request.ott.isEmpty else { throw .unauthorized("missing one-time token (ott)") }
        let csr = try CertificateRequestNames.parse(pem: request.csr)
        let authorizer = TokenAuthorizer(provisioners: state.provisioners, dnsNames: state.configuration.dnsNames, startedAt: startedAt)
        let authorization = try await authorizer.authorize(request.ott, paths: Self.signAudiences, now: now)
        let provisioner = authorization.provisioner
        let subject = authorization.claims.sub ?? ""
        let sanTexts = authorization.claims.sans.flatMap { $0.isEmpty ? nil : $0 } ?? [subject]
        let tokenSANs = sanTexts.map(SubjectAlternativeName.init(classifying:))
        try CertificateNameRules.checkCommonName(subject)
        for san in tokenSANs { try CertificateNameRules.check(san) }
        try CertificateRequestNames.check(csr, subject: subject, tokenSANs: tokenSANs)

        let policy = ClaimsPolicy(layering: [state.configuration.authority.claims, provisioner.claims])
        let validity = try RequestedValidity(notBefore: request.notBefore, notAfter: request.notAfter).resolve(
            policy: policy, issuerValidity: state.signer.intermediate.notValidBefore...state.signer.intermediate.notValidAfter, now: now)
        let (notBefore, notAfter) = (validity.lowerBound, validity.upperBound)

        // Webhooks (their answers enrich the template's data), then the template — the provisioner's own or step's
        // default leaf template —, then ca.json's subject defaults.
        let description: CertificateDescription
        do {
            let template = try state.provisioners.x509Template(of: provisioner)
            let hooks = try state.provisioners.webhooks(of: provisioner)
            // step's default leaf template reads only the subject, the SANs and the CSR's key type: the token's
            // claims are decoded for templates of the provisioner's own and for webhook URLs.
            var data = X509TemplateData(
                subject: subject, sans: sanTexts, tokenPayload: template.isCustom || !hooks.isEmpty ? authorization.token.payload : nil, csr: csr,
                userData: request.templateData, authorizationChain: authorization.chain)
            if !hooks.isEmpty {
                data.provisionerData = template.data
                data.webhooks = try await WebhookCaller(roots: state.signer.roots).callX509(
                    hooks, data: data.value, request: .object(X509TemplateData.certificateRequest(csr)), provisioner: provisioner.name,
                    logger: logger)
            }
            var rendered = try template.render(data)
            rendered.subject.applyDefaults(state.configuration.authority.template)
            try Self.checkNames(of: rendered, signer: state.signer)
            try Self.checkPolicies(
                commonName: rendered.subject.commonName, names: rendered.allSANs, provisioner: provisioner, state: state)
            description = rendered
        } catch {
            await auditIssuanceFailure(error, subject: subject, provisioner: provisioner, origin: origin, logger: logger)
            throw error
        }

        let certificate: Certificate
        do {
            certificate = try state.signer.issue(
                description, publicKey: csr.publicKey,
                notBefore: max(notBefore.addingTimeInterval(-60), state.signer.intermediate.notValidBefore), notAfter: notAfter,
                provisioner: policy.disableSmallstepExtensions ? nil : ProvisionerExtension(provisioner: provisioner))
        } catch {
            throw .internalError("signing failed: \(error)")
        }
        let actor = AuditActor(
            subject: subject, provisioner: provisioner.name, serial: nil, method: provisioner.type == .x5c ? "x5c-token" : "jwk-token")
        try await store(
            certificate, provisioner: provisioner, renewedFrom: nil, token: authorization.usedToken, action: "certificate.issue",
            actor: actor, origin: origin, logger: logger)
        logger.info(
            "certificate issued",
            metadata: ["serial": "\(certificate.wardenSerial)", "subject": "\(subject)", "provisioner": "\(provisioner.name)"])
        return [certificate, state.signer.intermediate]
    }

    /// What a template may not produce: names that cannot be encoded, names the CA's own name constraints forbid,
    /// and a certificate that names nothing (no subject and no subject alternative name).
    static func checkNames(of description: CertificateDescription, signer: SigningAuthority) throws(WardenError) {
        let names = description.allSANs
        if description.subject.isEmpty && names.isEmpty {
            throw .badRequest("the certificate template produced a certificate with neither a subject nor subject alternative names")
        }
        for name in names { try CertificateNameRules.check(name) }
        try signer.nameConstraints.check(names)
    }

    /// The authority's and the provisioner's certificate issuance policies, both of which must allow every name
    /// (403 naming the name, the policy and the rule).
    static func checkPolicies(commonName: String, names: [SubjectAlternativeName], provisioner: Provisioner, state: Snapshot)
        throws(WardenError)
    {
        let typed: [(X509NamePolicy.NameKind, String)] = names.map { name in
            switch name {
            case .dns(let value): (.dns, value)
            case .ip(let value): (.ip, value)
            case .email(let value): (.email, value)
            case .uri(let value): (.uri, value)
            }
        }
        try state.policy?.x509?.check(commonName: commonName, names: typed, scope: "the authority policy")
        try state.provisioners.policy(of: provisioner)?.x509?.check(
            commonName: commonName, names: typed, scope: "the policy of provisioner \(provisioner.name)")
    }

    /// Records a refused issuance that got past authorization (a template failure, a name the template produced),
    /// bounded per address like refused admin logins so that a replayed token cannot flood the audit table.
    private func auditIssuanceFailure(_ error: WardenError, subject: String, provisioner: Provisioner, origin: AuditContext?, logger: Logger)
        async
    {
        let decision = issuanceFailureAudits.decide(address: origin?.remoteAddress)
        guard decision.record else { return }
        var after: [String: JSONValue] = [
            "error": .string(error.message), "subject": .string(subject), "provisioner": .string(provisioner.name),
        ]
        if decision.suppressedBefore > 0 { after["unrecordedFailuresBefore"] = .number(Double(decision.suppressedBefore)) }
        let event = AuditEvent(
            actor: AuditActor(
                subject: subject, provisioner: provisioner.name, serial: nil, method: provisioner.type == .x5c ? "x5c-token" : "jwk-token"),
            action: "certificate.issue", targetKind: "certificate", targetID: nil, after: .object(after), requestID: origin?.requestID,
            remoteAddress: origin?.remoteAddress, outcome: .failed)
        do {
            try await audit.append(event, logger: logger)
        } catch {
            logger.error("could not audit a refused issuance", metadata: ["error": "\(error.message)"])
        }
    }

    // MARK: Renew

    static let renewAudiences = ["/1.0/renew", "/renew"]
    static let renewIssuer = "step-ca-client/1.0"

    /// Renews the certificate the client authenticated with over mTLS: same subject, SANs, extensions and
    /// lifetime, new serial. Without a client certificate this is step-ca's 400 "missing client certificate".
    public func renew(peer: Certificate?, origin: AuditContext? = nil, logger: Logger, now: Date = Date()) async throws(WardenError)
        -> [Certificate]
    {
        guard let peer else { throw .badRequest("missing client certificate") }
        return try await renew(peer, method: "mtls", token: nil, origin: origin, logger: logger, now: now)
    }

    /// Renewal by token, for clients behind layer-7 proxies where mTLS cannot reach the CA (`step ca renew
    /// --mtls=false`): `Authorization: Bearer <JWS>` whose `x5cInsecure` chain is the certificate to renew,
    /// signed with that certificate's key; `aud` the renew URL; `iss` step's client ("step-ca-client/1.0") or the
    /// provisioner's name; `exp`/`nbf`/`iat` with a minute of leeway; single use (its id is spent in the same
    /// transaction as the renewed certificate). Then the same rules as mTLS renewal.
    public func renew(token raw: String, origin: AuditContext? = nil, logger: Logger, now: Date = Date()) async throws(WardenError)
        -> [Certificate]
    {
        let state = current
        let token = try OneTimeToken(parsing: raw)
        let chain = try token.renewalChain()
        guard let leaf = chain.first else { throw .unauthorized("error parsing token: empty x5cInsecure chain") }
        guard let key = P256.Signing.PublicKey(leaf.publicKey) else {
            throw .unauthorized("error verifying token: only EC P-256 (ES256) certificates can renew by token")
        }
        try token.verifySignature(with: key)
        let claims = token.claims
        guard let exp = claims.exp else { throw .unauthorized("invalid renew token: token has no expiration claim (exp)") }
        let t = now.timeIntervalSince1970
        if t > exp + TokenAuthorizer.leeway { throw .unauthorized("invalid renew token: token is expired") }
        if let nbf = claims.nbf, t + TokenAuthorizer.leeway < nbf { throw .unauthorized("invalid renew token: token is not yet valid") }
        if let iat = claims.iat, t + TokenAuthorizer.leeway < iat { throw .unauthorized("invalid renew token: token was issued in the future") }
        let audience = TokenAudience(dnsNames: state.configuration.dnsNames, paths: Self.renewAudiences)
        guard let aud = claims.aud?.values, audience.accepts(aud) else {
            throw .unauthorized("invalid renew token audience claim (aud): \(audience.refusal(received: claims.aud?.values))")
        }
        let record = try await certificates.find(serial: leaf.wardenSerial, logger: logger)
        let issuer = state.provisioners.issuer(of: leaf, recordedID: record?.provisionerID)
        guard claims.iss == Self.renewIssuer || (issuer != nil && claims.iss == issuer?.name) else {
            throw .unauthorized("invalid renew token issuer claim (iss): expected \"\(Self.renewIssuer)\"")
        }
        let spent = UsedToken(
            id: "renew:\(leaf.wardenSerial.decimal):\(token.replayID)", expiresAt: TokenAuthorizer.replayMemory(exp: exp, now: now))
        return try await renew(leaf, method: "x5c-token", token: spent, origin: origin, logger: logger, now: now)
    }

    private func renew(
        _ peer: Certificate, method: String, token: UsedToken?, origin: AuditContext?, logger: Logger, now: Date
    ) async throws(WardenError) -> [Certificate] {
        let state = current
        let serial = peer.wardenSerial
        let record = try await certificates.find(serial: serial, logger: logger)
        guard let provisioner = state.provisioners.issuer(of: peer, recordedID: record?.provisionerID) else {
            throw .unauthorized("the provisioner that issued this certificate no longer exists")
        }
        let policy = ClaimsPolicy(layering: [state.configuration.authority.claims, provisioner.claims])
        let verifier = ClientCertificateVerifier(roots: state.signer.roots, intermediates: [state.signer.intermediate])
        if now > peer.notValidAfter && !policy.allowRenewalAfterExpiry {
            throw .unauthorized("certificate expired at \(Self.rfc3339(peer.notValidAfter)); renewal after expiry is not allowed")
        }
        try await verifier.verify(leaf: peer, expiry: policy.allowRenewalAfterExpiry ? .ignore : .enforce, now: now)
        if policy.disableRenewal {
            throw .unauthorized("renew is disabled for provisioner \"\(provisioner.name)\"")
        }
        if try await revocations.isRevoked(serial: serial, logger: logger) {
            throw .unauthorized("certificate has been revoked")
        }
        // The names it carries must still be allowed: a policy tightened since issuance also stops renewals.
        let names = (try? peer.extensions.subjectAlternativeNames)??.compactMap(SubjectAlternativeName.init) ?? []
        try Self.checkPolicies(commonName: Self.commonName(peer) ?? "", names: names, provisioner: provisioner, state: state)
        let lifetime = peer.notValidAfter.timeIntervalSince(peer.notValidBefore)
        let renewed: Certificate
        do {
            renewed = try state.signer.renew(
                peer, notBefore: max(now.addingTimeInterval(-60), state.signer.intermediate.notValidBefore),
                notAfter: now.addingTimeInterval(lifetime - 60))
        } catch {
            throw .internalError("signing failed: \(error)")
        }
        let actor = AuditActor(subject: Self.commonName(peer), provisioner: provisioner.name, serial: serial.decimal, method: method)
        try await store(
            renewed, provisioner: provisioner, renewedFrom: serial, token: token, action: "certificate.renew", actor: actor, origin: origin,
            logger: logger)
        logger.info("certificate renewed", metadata: ["serial": "\(renewed.wardenSerial)", "from": "\(serial)", "method": "\(method)"])
        return [renewed, state.signer.intermediate]
    }

    // MARK: Revoke

    /// Passive revocation authorised by a provisioner token whose subject is the serial, or by the certificate
    /// itself over mTLS.
    public func revoke(_ request: RevokeRequest, peer: Certificate?, origin: AuditContext? = nil, logger: Logger, now: Date = Date())
        async throws(WardenError)
    {
        let state = current
        guard let serial = SerialNumber(parsing: request.serial) else {
            throw .badRequest("invalid serial number \"\(request.serial)\"")
        }
        let code = request.reasonCode ?? 0
        guard let reason = RevocationReason(rawValue: code) else {
            throw .badRequest("reasonCode must be one of 0-6 or 8-10, got \(code)")
        }
        // Active revocation (`"passive": false`, which step-ca answers 501) is accepted: Warden has no OCSP
        // responder or CA-side push to do, so it is recorded as asked and published in the CRL like any other.
        let passive = request.passive ?? true
        if let reason = request.reason { try InputText.checkFreeText(reason, field: "reason") }

        let method: Revocation.Method
        let revokedBy: String
        var token: UsedToken?
        var tokenProvisioner: Provisioner?
        if let ott = request.ott, !ott.isEmpty {
            let authorizer = TokenAuthorizer(provisioners: state.provisioners, dnsNames: state.configuration.dnsNames, startedAt: startedAt)
            let authorization = try await authorizer.authorize(ott, paths: Self.revokeAudiences, now: now)
            // The subject names the serial; compared as numbers, so "0x1f", "1F:..." and decimal spellings agree.
            guard let subject = authorization.claims.sub, SerialNumber(parsing: subject) == serial else {
                throw .forbidden("token subject \"\(authorization.claims.sub ?? "")\" does not match serial \(serial.decimal)")
            }
            method = .token
            revokedBy = "provisioner:\(authorization.provisioner.name)"
            token = authorization.usedToken
            tokenProvisioner = authorization.provisioner
        } else if let peer {
            let verifier = ClientCertificateVerifier(roots: state.signer.roots, intermediates: [state.signer.intermediate])
            try await verifier.verify(leaf: peer, now: now)
            guard peer.wardenSerial == serial else {
                throw .forbidden("the client certificate serial does not match serial \(serial.decimal)")
            }
            method = .mtls
            revokedBy = "certificate:\(serial.decimal)"
        } else {
            throw .unauthorized("revoke requires a one-time token (ott) or a client certificate")
        }

        guard let record = try await certificates.find(serial: serial, logger: logger) else {
            throw .notFound("certificate with serial number \(serial.decimal) was not issued by this CA")
        }
        if method == .token, let tokenProvisioner {
            // A provisioner's token revokes only what that provisioner issued; admins revoke anything through the
            // admin API (step-ca lets any provisioner's token revoke any certificate).
            let issuer = (try? Certificate(derEncoded: record.der)).flatMap {
                state.provisioners.issuer(of: $0, recordedID: record.provisionerID)
            }
            guard let issuer, issuer.id == tokenProvisioner.id else {
                throw .forbidden(
                    "a token of provisioner \"\(tokenProvisioner.name)\" can only revoke certificates that provisioner issued; "
                        + "certificate \(serial.decimal) was issued by \"\(record.provisionerName)\"")
            }
        }
        let revocation = Revocation(
            serial: serial, reasonCode: reason, reason: request.reason ?? "", revokedAt: now, revokedBy: revokedBy,
            method: method, passive: passive, certificateNotAfter: record.notAfter)
        let event = AuditEvent(
            actor: AuditActor(subject: method == .token ? nil : record.subject, provisioner: revokedBy, serial: nil, method: method.rawValue),
            action: "certificate.revoke", targetKind: "certificate", targetID: serial.decimal,
            after: .object([
                "reasonCode": .number(Double(reason.rawValue)), "reason": .string(request.reason ?? ""), "passive": .bool(passive),
            ]),
            requestID: origin?.requestID, remoteAddress: origin?.remoteAddress, outcome: .success)
        do {
            try await revocations.revoke(
                revocation, provisionerID: record.provisionerID, provisionerName: record.provisionerName, consumingToken: token, audit: event,
                logger: logger)
        } catch  where error.code == .conflict {
            // step-ca answers 400 here and its clients expect that status.
            throw .badRequest(error.message)
        }
        logger.info("certificate revoked", metadata: ["serial": "\(serial)", "reason": "\(reason.name)", "by": "\(revokedBy)"])
        await regenerateCRLAfterRevocation(logger: logger, now: now)
    }

    /// An admin revokes any certificate this CA issued (`POST /admin/certificates/{serial}/revoke`). Unlike
    /// step's `/revoke`, an already revoked certificate is a 409.
    public func adminRevoke(
        serial: SerialNumber, reasonCode: Int, reason: String, audit: AuditContext, logger: Logger, now: Date = Date()
    ) async throws(WardenError) -> Revocation {
        guard let code = RevocationReason(rawValue: reasonCode) else {
            throw .badRequest("reasonCode: must be one of 0-6 or 8-10, got \(reasonCode)")
        }
        guard let record = try await certificates.find(serial: serial, logger: logger) else {
            throw .notFound("certificate with serial number \(serial.decimal) was not issued by this CA")
        }
        let revocation = Revocation(
            serial: serial, reasonCode: code, reason: reason, revokedAt: now, revokedBy: "admin:\(audit.actor?.subject ?? "?")",
            method: .admin, passive: true, certificateNotAfter: record.notAfter)
        let event = AuditEvent(
            actor: audit.actor, action: "certificate.revoke", targetKind: "certificate", targetID: serial.decimal,
            before: .object(["subject": .string(record.subject)]),
            after: .object(["reasonCode": .number(Double(code.rawValue)), "reason": .string(reason)]),
            requestID: audit.requestID, remoteAddress: audit.remoteAddress, outcome: .success)
        try await revocations.revoke(
            revocation, provisionerID: record.provisionerID, provisionerName: record.provisionerName, consumingToken: nil, audit: event,
            logger: logger)
        logger.info("certificate revoked by admin", metadata: ["serial": "\(serial)", "reason": "\(code.name)"])
        await regenerateCRLAfterRevocation(logger: logger, now: now)
        return revocation
    }

    private func regenerateCRLAfterRevocation(logger: Logger, now: Date) async {
        guard let crl = current.configuration.crl, crl.enabled, crl.generateOnRevoke ?? true else { return }
        do {
            _ = try await regenerateCRL(logger: logger, now: now)
        } catch {
            logger.error("CRL regeneration after revoke failed", metadata: ["error": "\(error.message)"])
        }
    }

    // MARK: CRL

    /// The current CRL, regenerated when none exists yet or it is past its next update.
    public func currentCRL(logger: Logger, now: Date = Date()) async throws(WardenError) -> CRLRepository.State {
        guard let crl = current.configuration.crl, crl.enabled else { throw .notFound("CRL is not enabled") }
        if let state = try await crls.current(logger: logger), state.nextUpdate > now, !state.der.isEmpty {
            return state
        }
        return try await regenerateCRL(logger: logger, now: now)
    }

    @discardableResult
    public func regenerateCRL(logger: Logger, now: Date = Date()) async throws(WardenError) -> CRLRepository.State {
        let state = current
        let lifetime = state.configuration.crl?.cacheDuration?.seconds ?? 24 * 3600
        let entries = try await revocations.crlEntries(now: now, logger: logger).map {
            CertificateRevocationList.Entry(serial: $0.0, revokedAt: $0.1, reason: $0.2)
        }
        let signer = state.signer
        return try await crls.regenerate(thisUpdate: now, nextUpdate: now.addingTimeInterval(lifetime), logger: logger) { number in
            try CertificateRevocationList.make(
                entries: entries, number: number, thisUpdate: now, nextUpdate: now.addingTimeInterval(lifetime), signer: signer)
        }
    }

    // MARK: Helpers

    private func store(
        _ certificate: Certificate, provisioner: Provisioner, renewedFrom: SerialNumber?, token: UsedToken?, action: String,
        actor: AuditActor, origin: AuditContext?, logger: Logger
    ) async throws(WardenError) {
        let der = PEMBundle.der(certificate)
        let sans = (try? certificate.extensions.subjectAlternativeNames)??.compactMap { SubjectAlternativeName($0)?.value } ?? []
        let record = CertificateRecord(
            serial: certificate.wardenSerial, subject: Self.commonName(certificate) ?? "", sans: sans,
            notBefore: certificate.notValidBefore, notAfter: certificate.notValidAfter, provisionerID: provisioner.id,
            provisionerName: provisioner.name, provisionerType: provisioner.type,
            keyAlgorithm: KeyAlgorithmName.describe(certificate.publicKey), fingerprintSHA256: Fingerprint.sha256Hex(der),
            der: der, issuedAt: Date(), renewedFrom: renewedFrom)
        let summary = JSONValue.object([
            "subject": .string(record.subject), "sans": .array(record.sans.map { .string($0) }),
            "notAfter": .string(ProtoTimestamp.format(record.notAfter)), "provisioner": .string(provisioner.name),
        ])
        let event = AuditEvent(
            actor: actor, action: action, targetKind: "certificate", targetID: record.serial.decimal, after: summary,
            requestID: origin?.requestID, remoteAddress: origin?.remoteAddress, outcome: .success)
        try await certificates.recordIssuance(record, consumingToken: token, audit: event, logger: logger)
    }

    static func commonName(_ certificate: Certificate) -> String? {
        for rdn in certificate.subject {
            for attribute in rdn where attribute.type == .RDNAttributeType.commonName {
                return attribute.value.description
            }
        }
        return nil
    }

    static func rfc3339(_ date: Date) -> String {
        ProtoTimestamp.format(date)
    }
}
