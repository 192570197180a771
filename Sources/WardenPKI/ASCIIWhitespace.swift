/// Trimming of spaces and tabs around protocol text (tokens, header values) on bytes. Foundation's
/// `trimmingCharacters(in:)` goes through a UTF-16 view on Linux, which profiles showed costing as much as
/// verifying the token's signature.
public enum ASCIIWhitespace {
    public static func isSpace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
    }

    public static func trimmed(_ bytes: [UInt8]) -> [UInt8] {
        guard let first = bytes.firstIndex(where: { !isSpace($0) }), let last = bytes.lastIndex(where: { !isSpace($0) }) else {
            return []
        }
        return first == 0 && last == bytes.count - 1 ? bytes : Array(bytes[first...last])
    }

    public static func trimmed(_ text: String) -> String {
        let bytes = Array(text.utf8)
        let trimmed = trimmed(bytes)
        return trimmed.count == bytes.count ? text : String(decoding: trimmed, as: UTF8.self)
    }
}
