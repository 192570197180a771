import Foundation
import WardenCore
import WardenPKI

/// Named CA connections, so operators and scripts need not repeat `--ca-url --root --admin-cert --admin-key`.
///
/// Stored as JSON in `$WARDEN_HOME/contexts.json` (default `~/.warden/contexts.json`); `warden init` adds one
/// and makes it current, `warden context use NAME` switches.
public struct ContextFile: Codable, Sendable, Hashable {
    public struct Context: Codable, Sendable, Hashable {
        public var caURL: String
        public var root: String
        public var adminCert: String?
        public var adminKey: String?

        enum CodingKeys: String, CodingKey {
            case caURL = "ca-url"
            case root
            case adminCert = "admin-cert"
            case adminKey = "admin-key"
        }

        public init(caURL: String, root: String, adminCert: String? = nil, adminKey: String? = nil) {
            self.caURL = caURL
            self.root = root
            self.adminCert = adminCert
            self.adminKey = adminKey
        }
    }

    public var current: String?
    public var contexts: [String: Context]

    public init(current: String? = nil, contexts: [String: Context] = [:]) {
        self.current = current
        self.contexts = contexts
    }

    public static var defaultPath: String {
        let environment = ProcessInfo.processInfo.environment
        let home = environment["WARDEN_HOME"] ?? ((environment["HOME"] ?? NSHomeDirectory()) + "/.warden")
        return home + "/contexts.json"
    }

    public static func load(path: String = defaultPath) throws(WardenError) -> ContextFile {
        guard let data = FileManager.default.contents(atPath: path) else { return ContextFile() }
        do {
            return try JSONDecoder().decode(ContextFile.self, from: data)
        } catch {
            throw .badRequest("cannot read \(path): \(describeDecodingError(error))")
        }
    }

    public func save(path: String = defaultPath) throws {
        // Contexts name admin keys and CA URLs: the directory is 0700 and the file 0600, whatever the umask.
        let directory = (path as NSString).deletingLastPathComponent
        try SecureFile.directory(directory, mode: 0o700)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try SecureFile.replace(Array(try encoder.encode(self)), at: path, mode: 0o600)
    }

    /// The named context, or the current one.
    public func context(named name: String?) throws(WardenError) -> Context? {
        if let name {
            guard let context = contexts[name] else {
                throw .notFound("context \"\(name)\" not found (known: \(contexts.keys.sorted().joined(separator: ", ")))")
            }
            return context
        }
        return current.flatMap { contexts[$0] }
    }
}
