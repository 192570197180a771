import Crypto
import Foundation
import Logging
import NIOCore
import NIOSSL
import ServiceLifecycle
import Synchronization
import WardenCore
import WardenPKI
import X509

/// The CA's own TLS certificate, issued by its intermediate at start-up and renewed before it expires.
///
/// Every TLS handshake asks this source for the current chain (NIO-SSL's context callback), so a renewal
/// takes effect on the next connection without restarting the listener.
public final class ServerCertificateSource: Service, Sendable {
    struct Current: Sendable {
        var chain: [NIOSSLCertificate]
        var key: NIOSSLPrivateKey
        var notAfter: Date
        var notBefore: Date
    }

    private let current: Mutex<Current>
    private let signer: @Sendable () -> SigningAuthority
    private let names: @Sendable () -> [String]
    let validity: TimeInterval
    let logger: Logger

    /// - Parameter validity: lifetime of each server certificate (default 24 h, like step-ca's).
    public init(
        signer: @escaping @Sendable () -> SigningAuthority, names: @escaping @Sendable () -> [String],
        validity: TimeInterval = 24 * 3600, logger: Logger
    ) throws {
        self.signer = signer
        self.names = names
        self.validity = validity
        self.logger = logger
        self.current = Mutex(try Self.issue(signer: signer(), names: names(), validity: validity))
    }

    static func issue(signer: SigningAuthority, names: [String], validity: TimeInterval) throws -> Current {
        let key = P256.Signing.PrivateKey()
        let certificate = try signer.issueServerCertificate(names: names, key: key, validity: validity)
        let chain = try [certificate, signer.intermediate].map {
            try NIOSSLCertificate(bytes: PEMBundle.der($0), format: .der)
        }
        let nioKey = try NIOSSLPrivateKey(bytes: Array(key.pemRepresentation.utf8), format: .pem)
        return Current(chain: chain, key: nioKey, notAfter: certificate.notValidAfter, notBefore: certificate.notValidBefore)
    }

    /// Re-issues now (SIGHUP, or names changed).
    public func renew() throws {
        let next = try Self.issue(signer: signer(), names: names(), validity: validity)
        current.withLock { $0 = next }
        logger.info("server certificate renewed", metadata: ["notAfter": "\(next.notAfter)"])
    }

    /// Server TLS: TLS 1.2+, client certificates requested but optional and accepted at the handshake; the
    /// application verifies them and answers with readable errors.
    public func tlsConfiguration(trustRoots: [Certificate]) throws -> TLSConfiguration {
        let snapshot = current.withLock { $0 }
        var tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: snapshot.chain.map { .certificate($0) }, privateKey: .privateKey(snapshot.key))
        tls.minimumTLSVersion = .tlsv12
        tls.certificateVerification = .optionalVerification
        tls.trustRoots = .certificates(try trustRoots.map { try NIOSSLCertificate(bytes: PEMBundle.der($0), format: .der) })
        tls.sslContextCallback = { [self] _, promise in
            let snapshot = self.current.withLock { $0 }
            var override = NIOSSLContextConfigurationOverride()
            override.certificateChain = snapshot.chain.map { .certificate($0) }
            override.privateKey = .privateKey(snapshot.key)
            promise.succeed(override)
        }
        return tls
    }

    /// Renews at two thirds of the lifetime (counted from issuance, not from the back-dated notBefore), retrying
    /// every minute on failure.
    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let notAfter = current.withLock { $0.notAfter }
            let renewAt = notAfter.addingTimeInterval(-validity / 3)
            let wait = max(1, renewAt.timeIntervalSinceNow)
            do {
                try await gracefulShutdownOrSleep(seconds: wait)
            } catch {
                return
            }
            if Task.isShuttingDownGracefully { return }
            do {
                try renew()
            } catch {
                logger.error("server certificate renewal failed; retrying in 60 s", metadata: ["error": "\(error)"])
                try? await gracefulShutdownOrSleep(seconds: 60)
            }
        }
    }
}

/// Sleeps, returning early (by throwing) when the service group shuts down.
func gracefulShutdownOrSleep(seconds: TimeInterval) async throws {
    try await cancelWhenGracefulShutdown {
        try await Task.sleep(for: .milliseconds(Int64(seconds * 1000)))
    }
}
