import Hummingbird
import Logging
import NIOCore
import NIOSSL
import SwiftASN1
import X509

/// Per-request state: the TLS channel (to read the client certificate) on top of Hummingbird's core context.
public struct WardenRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
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
