import Foundation

/// A password or other secret held in memory: it prints, debug-prints and reflects as `<redacted>`, so a log
/// line, an error message or a service description that includes a configuration never shows it (swift-log,
/// ServiceLifecycle and `String(describing:)` all read values this way).
///
/// Equality compares the bytes. The bytes are read only where the secret is used (``bytes``, ``text``).
public struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable, Codable {
    public let bytes: [UInt8]

    public init(_ bytes: [UInt8]) { self.bytes = bytes }
    public init(_ text: String) { self.bytes = Array(text.utf8) }

    /// The secret as UTF-8 text (passwords handed to libraries that take strings).
    public var text: String { String(decoding: bytes, as: UTF8.self) }
    public var isEmpty: Bool { bytes.isEmpty }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }

    /// Encoded as the plain string (ca.json's `password`); decoding reads it.
    public init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }
}
