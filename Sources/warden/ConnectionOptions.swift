import ArgumentParser
import Foundation
import WardenClient
import WardenCore

/// `--ca-url` and `--root`, defaulting to `WARDEN_CA_URL` / `WARDEN_ROOT`, then the context file.
struct ConnectionOptions: ParsableArguments {
    @Option(name: .customLong("ca-url"), help: "CA URL, e.g. https://ca.internal:9443 (default: $WARDEN_CA_URL, then the context).")
    var caURL: String?

    @Option(name: .customLong("root"), help: "Root certificate PEM to trust (default: $WARDEN_ROOT, then the context).")
    var root: String?

    @Option(name: .customLong("context"), help: "Context from the context file (default: the current one).") var context: String?

    func clientConfiguration(identity: ClientIdentity? = nil) throws(WardenError) -> CAClientConfiguration {
        let (url, root) = try ConnectionDefaults.resolve(caURL: caURL, root: root, context: try ContextFile.load().context(named: context))
        return try CAClientConfiguration(url: url, rootFile: root, identity: identity)
    }
}

/// Reads a password file the way step does: the whole file, trailing newlines removed.
enum PasswordFile {
    static func read(_ path: String) throws(WardenError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .badRequest("cannot read password file \(path)")
        }
        var bytes = Array(data)
        while let last = bytes.last, last == 0x0a || last == 0x0d { bytes.removeLast() }
        guard !bytes.isEmpty else { throw .badRequest("password file \(path) is empty") }
        return bytes
    }
}
