import WardenPKI

/// `Authorization: Bearer <token>` (RFC 6750 §2.1): the scheme case-insensitive, surrounding white space trimmed.
enum BearerToken {
    static func value(of header: String) -> String? {
        let trimmed = ASCIIWhitespace.trimmed(header)
        guard trimmed.utf8.count > 7, trimmed.prefix(7).lowercased() == "bearer " else { return nil }
        let token = ASCIIWhitespace.trimmed(String(trimmed.dropFirst(7)))
        return token.isEmpty ? nil : token
    }
}
