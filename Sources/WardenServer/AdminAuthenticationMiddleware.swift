import Foundation
import HTTPTypes
import Hummingbird
import Logging
import WardenCore
import WardenStore

/// Authenticates every `/admin` request before its handler runs; failures are answered 401/404 and written to
/// the audit log with whatever is known about the caller (within ``DenialAuditLimiter``'s bounds).
struct AdminAuthenticationMiddleware: RouterMiddleware {
    typealias Context = WardenRequestContext

    let authority: Authority

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let authenticator = AdminAuthenticator(authority: authority)
        let peer = await context.peerCertificate()
        do {
            let identity = try await authenticator.authenticate(
                authorization: request.headers[.authorization], peer: peer, path: WardenRequestContext.decodedPath(request), logger: context.logger)
            var context = context
            context.admin = identity
            return try await next(request, context)
        } catch let failure as AdminAuthenticator.Failure {
            let decision = authority.denialAudits.decide(address: context.remoteAddress)
            guard decision.record else {
                context.logger.debug("authentication failure not audited (rate limit)", metadata: ["error": "\(failure.error.message)"])
                throw failure.error
            }
            var after: [String: JSONValue] = ["error": .string(failure.error.message)]
            if decision.suppressedBefore > 0 { after["unrecordedDenialsBefore"] = .number(Double(decision.suppressedBefore)) }
            let event = AuditEvent(
                actor: failure.actor, action: "admin.authenticate", targetKind: "route", targetID: "\(request.method) \(request.uri.path)",
                after: .object(after), requestID: context.requestID, remoteAddress: context.remoteAddress, outcome: .denied)
            do {
                try await authority.audit.append(event, logger: context.logger)
            } catch {
                context.logger.error("could not audit an authentication failure", metadata: ["error": "\(error.message)"])
            }
            throw failure.error
        }
    }
}
