import Foundation
import WardenCore

/// Flag, then environment, then context: one rule for every command.
public enum ConnectionDefaults {
    public static func resolve(caURL: String?, root: String?, context: ContextFile.Context?) throws(WardenError) -> (String, String) {
        let environment = ProcessInfo.processInfo.environment
        guard let url = caURL ?? environment["WARDEN_CA_URL"] ?? context?.caURL else {
            throw .badRequest("no CA URL: give --ca-url, set WARDEN_CA_URL or create a context with warden init")
        }
        guard let rootFile = root ?? environment["WARDEN_ROOT"] ?? context?.root else {
            throw .badRequest("no root certificate: give --root, set WARDEN_ROOT or use a context")
        }
        return (url, rootFile)
    }
}
