import Foundation
import HTTPTypes
import Hummingbird
import Logging
import WardenCore
import WardenPKI
import WardenStore
import X509

/// The step-ca compatible public API. Every route is mounted at `/` and under `/1.0`.
struct PublicRoutes: Sendable {
    let authority: Authority
    let version: String
    let metrics: ServerMetrics

    func register(on router: Router<WardenRequestContext>) {
        for group in [router.group(""), router.group("1.0")] {
            group.get("health") { _, _ in try await health() }
            group.get("version") { _, _ in try JSONResponse.make(["version": version]) }
            group.get("root/:sha") { _, context in try root(context) }
            group.get("roots") { _, _ in try JSONResponse.make(RootsResponse(crts: authority.roots.map(PEMBundle.pem)), status: .created) }
            group.get("roots.pem") { _, _ in
                JSONResponse.raw(Array(PEMBundle.pem(authority.roots).utf8), contentType: "application/x-pem-file")
            }
            group.get("federation") { _, _ in
                try JSONResponse.make(RootsResponse(crts: (authority.roots + authority.federatedRoots).map(PEMBundle.pem)), status: .created)
            }
            group.get("provisioners") { request, _ in try provisioners(request) }
            group.get("provisioners/:kid/encrypted-key") { _, context in try encryptedKey(context) }
            group.post("sign") { request, context in try await sign(request, context) }
            group.post("renew") { request, context in try await renew(request, context) }
            group.post("revoke") { request, context in try await revoke(request, context) }
            group.get("crl") { request, context in try await crl(request, context) }
        }
    }

    /// `{"status":"ok"}` as step-ca answers, plus whether the database answers; 503 when it does not, so load
    /// balancers stop sending work to an instance that cannot record it.
    private func health() async throws -> Response {
        if await authority.database.isReachable() {
            return try JSONResponse.make(["status": "ok", "database": "ok"])
        }
        return try JSONResponse.make(["status": "unavailable", "database": "unreachable"], status: .serviceUnavailable)
    }

    private func root(_ context: WardenRequestContext) throws -> Response {
        let wanted = (try context.pathParameter("sha")).replacingOccurrences(of: "-", with: "").lowercased()
        for certificate in authority.roots + authority.federatedRoots where PEMBundle.fingerprint(certificate) == wanted {
            return try JSONResponse.make(["ca": PEMBundle.pem(certificate)])
        }
        throw WardenError.notFound("root certificate with fingerprint \"\(wanted)\" was not found")
    }

    private func provisioners(_ request: Request) throws -> Response {
        let pagination = try ProvisionerPagination(query: request.uri.queryParameters)
        return JSONResponse.raw(authority.provisioners.pageJSON(pagination, redacted: true), contentType: "application/json")
    }

    /// The public list hides SCEP challenges and decrypter secrets, as step-ca does.
    static func redacted(_ provisioner: Provisioner) -> Provisioner {
        var copy = provisioner
        // Which names a provisioner may issue is the operators' business, not the public's.
        copy.fields["policy"] = nil
        copy.fields["webhooks"] = nil
        guard provisioner.type == .scep else { return copy }
        for key in ["challenge", "decrypterKeyPEM", "decrypterKeyPassword"] where copy.fields[key] != nil {
            copy.fields[key] = .string("*** REDACTED ***")
        }
        return copy
    }

    private func encryptedKey(_ context: WardenRequestContext) throws -> Response {
        let kid = try context.pathParameter("kid")
        guard let provisioner = authority.provisioners.jwk(keyID: kid), let key = provisioner.encryptedKey else {
            throw WardenError.notFound("provisioner with key id \"\(kid)\" was not found or has no encrypted key")
        }
        return try JSONResponse.make(["key": key])
    }

    private func sign(_ request: Request, _ context: WardenRequestContext) async throws -> Response {
        let body = try await RequestBody.decode(SignRequest.self, from: request)
        let start = ContinuousClock.now
        let chain = try await authority.sign(body, origin: origin(context), logger: context.logger)
        metrics.certificateIssued(duration: ContinuousClock.now - start)
        return try JSONResponse.make(Self.signResponse(chain, signer: authority.signer), status: .created)
    }

    /// mTLS (the client certificate renews itself) or, with `Authorization: Bearer <token>`, renewal by token.
    private func renew(_ request: Request, _ context: WardenRequestContext) async throws -> Response {
        let start = ContinuousClock.now
        let chain: [Certificate]
        if let header = request.headers[.authorization], let token = BearerToken.value(of: header) {
            chain = try await authority.renew(token: token, origin: origin(context), logger: context.logger)
        } else {
            chain = try await authority.renew(peer: await context.peerCertificate(), origin: origin(context), logger: context.logger)
        }
        metrics.certificateIssued(duration: ContinuousClock.now - start)
        return try JSONResponse.make(Self.signResponse(chain, signer: authority.signer), status: .created)
    }

    private func revoke(_ request: Request, _ context: WardenRequestContext) async throws -> Response {
        let body = try await RequestBody.decode(RevokeRequest.self, from: request)
        let peer = await context.peerCertificate()
        try await authority.revoke(body, peer: peer, origin: origin(context), logger: context.logger)
        return try JSONResponse.make(StatusResponse(status: "ok"))
    }

    private func crl(_ request: Request, _ context: WardenRequestContext) async throws -> Response {
        let state = try await authority.currentCRL(logger: context.logger)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        var headers: HTTPFields = [:]
        headers[.expires] = formatter.string(from: state.nextUpdate)
        if request.uri.queryParameters["pem"] != nil {
            return JSONResponse.raw(
                Array(CertificateRevocationList.pem(der: state.der).utf8), contentType: "application/x-pem-file", extraHeaders: headers)
        }
        headers[.contentDisposition] = "attachment; filename=\"crl.crl\""
        return JSONResponse.raw(state.der, contentType: "application/pkix-crl", extraHeaders: headers)
    }

    private func origin(_ context: WardenRequestContext) -> AuditContext {
        AuditContext(actor: nil, requestID: context.requestID, remoteAddress: context.remoteAddress)
    }

    static func signResponse(_ chain: [Certificate], signer: SigningAuthority) -> SignResponse {
        let pems = chain.map { $0 == signer.intermediate ? signer.intermediatePEM : PEMBundle.pem($0) }
        return SignResponse(crt: pems[0], ca: pems.count > 1 ? pems[1] : "", certChain: pems)
    }
}
