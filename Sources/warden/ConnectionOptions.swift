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
