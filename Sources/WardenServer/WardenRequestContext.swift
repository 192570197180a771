import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOSSL
import SwiftASN1
import WardenCore
import X509

/// Per-request state: the TLS channel (to read the client certificate) on top of Hummingbird's core context.
public struct WardenRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    let channel: any Channel
    /// Set by ``AdminAuthenticationMiddleware`` on every `/admin` request that reaches a handler.
    var admin: AdminIdentity?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
        self.admin = nil
    }

    /// The authenticated admin, required to hold `role`. Deny by default: a handler that forgets to ask still
    /// gets an identity only through the middleware, and asking for a role it lacks fails.
    func requireAdmin(_ role: AdminRole = .admin) throws(WardenError) -> AdminIdentity {
        guard let admin else { throw .unauthorized("missing authorization header token") }
        if role == .superAdmin && admin.admin.role != .superAdmin {
            throw .unauthorized("must have super admin access to make this request")
        }
        return admin
    }

    /// A `{name}` path parameter, percent-decoded (`Admin%20JWK` is the provisioner `Admin JWK`, `%2F` a slash).
    func pathParameter(_ name: String) throws(WardenError) -> String {
        let raw = parameters.get(name) ?? ""
        guard let decoded = InputText.percentDecoded(raw) else { throw .badRequest("\(name): invalid percent-encoding") }
        return decoded
    }

    /// The request path percent-decoded, as token audiences are compared.
    static func decodedPath(_ request: Request) -> String {
        InputText.percentDecoded(request.uri.path) ?? request.uri.path
    }

    /// The certificate the client presented in the TLS handshake, if any. TLS accepted it without judging it;
    /// callers verify it.
    func peerCertificate() async -> Certificate? {
        guard let nio = try? await channel.nioSSL_peerCertificate().get(),
            let der = try? nio.toDERBytes()
        else { return nil }
        return try? Certificate(derEncoded: der)
    }

    var remoteAddress: String {
        channel.remoteAddress?.ipAddress ?? "unknown"
    }

    /// Hummingbird's per-request id, echoed to clients in `X-Request-Id` and logged with every line.
    var requestID: String {
        logger[metadataKey: "hb.request.id"]?.description ?? "-"
    }
}
