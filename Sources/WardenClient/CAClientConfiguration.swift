import Crypto
import Foundation
import WardenCore
import WardenPKI
import X509

/// Where the CA is and how to trust and authenticate to it.
public struct CAClientConfiguration: Sendable {
    /// `https://host:port`.
    public var url: URL
    /// Roots that the CA's server certificate must chain to (never the system store).
    public var roots: [Certificate]
    /// A client certificate chain and key for mTLS (`/renew`, `/revoke` by certificate, the admin API).
    public var identity: ClientIdentity?
    /// Per-request timeout. Default 30 s.
    public var timeout: Duration

    public init(url: URL, roots: [Certificate], identity: ClientIdentity? = nil, timeout: Duration = .seconds(30)) {
        self.url = url
        self.roots = roots
        self.identity = identity
        self.timeout = timeout
    }

    /// Reads the root bundle from a PEM file and validates the URL, with messages fit for a CLI.
    public init(url: String, rootFile: String, identity: ClientIdentity? = nil) throws(WardenError) {
        guard let parsed = URL(string: url), parsed.scheme == "https", parsed.host != nil else {
            throw .badRequest("--ca-url must be an https:// URL, got \"\(url)\"")
        }
        self.init(url: parsed, roots: try PEMBundle.certificates(fromFile: rootFile), identity: identity)
    }
}

/// A certificate (leaf first, then intermediates) and its private key.
public struct ClientIdentity: Sendable {
    public var chain: [Certificate]
    public var key: P256.Signing.PrivateKey

    public init(chain: [Certificate], key: P256.Signing.PrivateKey) {
        self.chain = chain
        self.key = key
    }

    /// Loads a PEM chain and an (optionally encrypted) PEM key.
    public init(certificateFile: String, keyFile: String, password: [UInt8]? = nil) throws(WardenError) {
        let chain = try PEMBundle.certificates(fromFile: certificateFile)
        guard let keyData = FileManager.default.contents(atPath: keyFile) else {
            throw .badRequest("cannot read key file \(keyFile)")
        }
        let key = try EncryptedPrivateKeyFile.open(pem: String(decoding: keyData, as: UTF8.self), password: password)
        guard Certificate.PublicKey(key.publicKey) == chain[0].publicKey else {
            throw .badRequest("the key in \(keyFile) does not match the certificate in \(certificateFile)")
        }
        self.init(chain: chain, key: key)
    }
}
