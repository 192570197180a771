import Foundation
import WardenCore

/// JSON values to and from the text PostgreSQL's jsonb columns take and give.
enum JSONText {
    /// One configured encoder for every call rather than one per value: issuance encodes each certificate's SANs
    /// and audit summary on the request path (`JSONResponse.encoder` does the same for responses).
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static func encode(_ value: JSONValue?) -> String? {
        guard let value else { return nil }
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) }
    }

    static func decode(_ text: String?) -> JSONValue? {
        guard let text else { return nil }
        return try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }
}
