import Foundation

/// Rules for text a client sends, applied where it enters (request bodies, query parameters, path parameters)
/// so that a bad value is a 400 naming the field — never a database error or a trap further in.
///
/// Limits (also in `api-spec/openapi.yaml`):
/// - names (provisioner names, admin subjects, provisioner filters): 1–255 characters, no control characters,
///   no leading or trailing white space;
/// - free text (revocation reasons, search text): at most ``maximumFreeText`` characters, no control characters
///   other than tab, line feed and carriage return;
/// - any query parameter: at most ``maximumQueryValue`` characters, no control characters;
/// - NUL (U+0000) nowhere, in any field of any body: PostgreSQL cannot store it and no field needs it.
public enum InputText {
    public static let maximumName = 255
    public static let maximumFreeText = 1024
    public static let maximumQueryValue = 1024

    /// A name: non-empty, at most ``maximumName`` characters, no control characters, no surrounding white space.
    public static func checkName(_ value: String, field: String, maximum: Int = maximumName) throws(WardenError) {
        if value.isEmpty { throw .badRequest("\(field): cannot be empty") }
        if value.count > maximum { throw .badRequest("\(field): longer than \(maximum) characters") }
        try checkNoControl(value, field: field)
        if value.first?.isWhitespace == true || value.last?.isWhitespace == true {
            throw .badRequest("\(field): must not begin or end with white space")
        }
    }

    /// Free text: at most `maximum` characters; tab, line feed and carriage return allowed, no other control
    /// characters.
    public static func checkFreeText(_ value: String, field: String, maximum: Int = maximumFreeText) throws(WardenError) {
        if value.count > maximum { throw .badRequest("\(field): longer than \(maximum) characters") }
        if let bad = value.unicodeScalars.first(where: { isControl($0) && !["\t", "\n", "\r"].contains($0) }) {
            throw .badRequest("\(field): contains the control character \(describe(bad))")
        }
    }

    /// No control characters at all (C0, DEL, C1).
    public static func checkNoControl(_ value: String, field: String) throws(WardenError) {
        if let bad = value.unicodeScalars.first(where: isControl) {
            throw .badRequest("\(field): contains the control character \(describe(bad))")
        }
    }

    /// Walks a JSON document and refuses a NUL character in any key or string, naming where it is
    /// (`body.details.JWK.publicKey`).
    public static func rejectNUL(in value: JSONValue, path: String = "body") throws(WardenError) {
        switch value {
        case .string(let text):
            if text.unicodeScalars.contains("\u{0}") { throw .badRequest("\(path): contains a NUL character (U+0000)") }
        case .array(let items):
            for (index, item) in items.enumerated() { try rejectNUL(in: item, path: "\(path)[\(index)]") }
        case .object(let object):
            for (key, item) in object {
                if key.unicodeScalars.contains("\u{0}") { throw .badRequest("\(path): a key contains a NUL character (U+0000)") }
                try rejectNUL(in: item, path: "\(path).\(key)")
            }
        case .null, .bool, .number:
            break
        }
    }

    /// Strict percent-decoding (RFC 3986 §2.1) of a path: nil when a `%` is not followed by two hex digits or the
    /// bytes are not UTF-8. (`+` stays a plus: it means a space only in form-encoded query strings.)
    public static func percentDecoded(_ text: String) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        func hexValue(_ byte: UInt8?) -> UInt8? {
            guard let byte else { return nil }
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
            default: return nil
            }
        }
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = hexValue(iterator.next()), let low = hexValue(iterator.next()) else { return nil }
            bytes.append(high << 4 | low)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7f...0x9f).contains(scalar.value)
    }

    static func describe(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}
