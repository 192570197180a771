import Crypto
import Foundation
import WardenCore
import WardenPKI
import X509

/// The certificates and key a ca.json points at, loaded and checked together.
public struct CAMaterial: Sendable {
    public var signer: SigningAuthority
    public var federatedRoots: [Certificate]

    /// Reads roots, intermediate and the encrypted intermediate key. Relative paths resolve against the
    /// directory holding ca.json's parent (step's layout: `$STEPPATH/config/ca.json`, `$STEPPATH/certs/...`).
    public static func load(configuration: CAConfiguration, configPath: String, password: Secret?) throws(WardenError) -> CAMaterial {
        let base = URL(fileURLWithPath: configPath).deletingLastPathComponent().deletingLastPathComponent()
        func resolve(_ path: String) -> String {
            path.hasPrefix("/") ? path : base.appendingPathComponent(path).path
        }
        var roots: [Certificate] = []
        for path in configuration.root {
            roots += try PEMBundle.certificates(fromFile: resolve(path))
        }
        guard let intermediate = try PEMBundle.certificates(fromFile: resolve(configuration.crt)).first else {
            throw .badRequest("crt: no intermediate certificate in \(configuration.crt)")
        }
        guard let keyData = FileManager.default.contents(atPath: resolve(configuration.key)) else {
            throw .badRequest("key: cannot read \(configuration.key)")
        }
        let effectivePassword = (password ?? configuration.password)?.bytes
        let key = try EncryptedPrivateKeyFile.open(pem: String(decoding: keyData, as: UTF8.self), password: effectivePassword)
        var federated: [Certificate] = []
        for path in configuration.federatedRoots ?? [] {
            federated += try PEMBundle.certificates(fromFile: resolve(path))
        }
        return CAMaterial(signer: try SigningAuthority(roots: roots, intermediate: intermediate, key: key), federatedRoots: federated)
    }
}
