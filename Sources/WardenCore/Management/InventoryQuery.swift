import Foundation

/// Sort orders for list endpoints.
public enum SortOrder: String, Sendable, Hashable, Codable, CaseIterable {
    case asc
    case desc
}

/// `GET /admin/certificates` filters, parsed strictly: an unknown parameter or a bad value is a 400 naming it.
public struct CertificateQuery: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable, CaseIterable {
        case active
        case expired
        case revoked
    }

    public enum SortField: String, Sendable, Hashable, CaseIterable {
        case issuedAt
        case notAfter
        case subject
    }

    /// Case-insensitive substring of the subject or any SAN, a serial number prefix, or an IP address prefix or
    /// range (see ``CertificateSearchTerm``).
    public var text: String?
    public var status: Status?
    public var provisioner: String?
    public var expiresBefore: Date?
    public var expiresAfter: Date?
    public var issuedAfter: Date?
    public var sort: SortField = .issuedAt
    public var order: SortOrder = .desc
    public var limit: Int = 50
    public var cursor: ListCursor?

    public static let maximumLimit = 500
    static let parameters: Set<String> = [
        "q", "status", "provisioner", "expiresBefore", "expiresAfter", "issuedAfter", "sort", "order", "limit", "cursor",
    ]

    public init() {}

    public init(parameters: [(String, String)]) throws(WardenError) {
        try ListParameters.rejectUnknown(parameters, allowed: Self.parameters)
        for (name, value) in parameters {
            switch name {
            case "q": text = value.isEmpty ? nil : value
            case "status":
                guard let parsed = Status(rawValue: value) else { throw .badRequest("status: must be active, expired or revoked") }
                status = parsed
            case "provisioner": provisioner = value.isEmpty ? nil : value
            case "expiresBefore": expiresBefore = try ListParameters.date(value, name: name)
            case "expiresAfter": expiresAfter = try ListParameters.date(value, name: name)
            case "issuedAfter": issuedAfter = try ListParameters.date(value, name: name)
            case "sort":
                guard let parsed = SortField(rawValue: value) else { throw .badRequest("sort: must be issuedAt, notAfter or subject") }
                sort = parsed
            case "order":
                guard let parsed = SortOrder(rawValue: value) else { throw .badRequest("order: must be asc or desc") }
                order = parsed
            case "limit": limit = try ListParameters.limit(value, maximum: Self.maximumLimit)
            default: break
            }
        }
        if let raw = parameters.last(where: { $0.0 == "cursor" })?.1, !raw.isEmpty {
            let decoded = try ListCursor(token: raw)
            guard decoded.field == sort.rawValue, decoded.order == order.rawValue else {
                throw .badRequest("cursor: was made for a different sort order")
            }
            guard sort == .subject || ListParameters.isTimestampText(decoded.value), SerialNumber(decimal: decoded.key) != nil else {
                throw .badRequest("cursor: malformed cursor")
            }
            cursor = decoded
        }
    }
}

/// An opaque keyset cursor: the sort key and serial (or id) of the last item returned. Keyset paging stays
/// correct under concurrent inserts and never scans skipped rows (no OFFSET).
public struct ListCursor: Sendable, Hashable, Codable {
    public var field: String
    public var order: String
    /// The last item's sort value, as text (RFC 3339 with fractional seconds for times).
    public var value: String
    /// Tiebreaker: the last item's serial or id.
    public var key: String

    public init(field: String, order: String, value: String, key: String) {
        self.field = field
        self.order = order
        self.value = value
        self.key = key
    }

    public init(token: String) throws(WardenError) {
        guard let data = ProtoBytes.decode(token), let decoded = try? JSONDecoder().decode(ListCursor.self, from: data) else {
            throw .badRequest("cursor: malformed cursor")
        }
        self = decoded
    }

    public var token: String {
        let data = (try? JSONEncoder().encode(self)) ?? Data()
        return data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

/// Shared parsing of list query parameters.
public enum ListParameters {
    public static func rejectUnknown(_ parameters: [(String, String)], allowed: Set<String>) throws(WardenError) {
        for (name, _) in parameters where !allowed.contains(name) {
            throw .badRequest("\(name): unknown query parameter (allowed: \(allowed.sorted().joined(separator: ", ")))")
        }
    }

    public static func limit(_ value: String, maximum: Int) throws(WardenError) -> Int {
        guard let n = Int(value), n >= 1, n <= maximum else { throw .badRequest("limit: must be an integer from 1 to \(maximum)") }
        return n
    }

    /// RFC 3339, with or without fractional seconds.
    public static func date(_ value: String, name: String) throws(WardenError) -> Date {
        guard let date = ProtoTimestamp.parse(value) else { throw .badRequest("\(name): must be an RFC 3339 time") }
        return date
    }

    /// A cursor for a list sorted newest first by a time `field` (revocations, audit): nil when `token` is empty,
    /// a 400 when it is not one this list made — wrong field, a time that is not timestamptz text, or a
    /// tiebreaker `isValidKey` rejects — so a forged cursor never reaches the database.
    static func timeCursor(_ token: String, field: String, isValidKey: (String) -> Bool) throws(WardenError) -> ListCursor? {
        guard !token.isEmpty else { return nil }
        let decoded = try ListCursor(token: token)
        guard decoded.field == field, isTimestampText(decoded.value), isValidKey(decoded.key) else {
            throw .badRequest("cursor: malformed cursor")
        }
        return decoded
    }

    /// Whether a cursor's time value is PostgreSQL's timestamptz text of a real instant
    /// (`2026-11-25 20:33:36.123456+00`, offset `±HH`, `±HH:MM` or `±HH:MM:SS`), years 1–9999, checked field by
    /// field against the calendar (`2026-02-30` is refused), so a forged cursor is a 400, never a database error.
    public static func isTimestampText(_ value: String) -> Bool {
        let bytes = Array(value.utf8)
        guard (22...40).contains(bytes.count) else { return false }
        var index = 0
        func number(_ digits: Int) -> Int? {
            guard index + digits <= bytes.count else { return nil }
            var n = 0
            for byte in bytes[index..<index + digits] {
                guard (48...57).contains(byte) else { return nil }
                n = n * 10 + Int(byte - 48)
            }
            index += digits
            return n
        }
        func expect(_ character: Character) -> Bool {
            guard index < bytes.count, bytes[index] == character.asciiValue else { return false }
            index += 1
            return true
        }
        guard let year = number(4), expect("-"), let month = number(2), expect("-"), let day = number(2), expect(" "),
            let hour = number(2), expect(":"), let minute = number(2), expect(":"), let second = number(2),
            (1...9999).contains(year), (1...12).contains(month), (0...23).contains(hour), (0...59).contains(minute),
            (0...59).contains(second)
        else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        guard (1...days).contains(day) else { return false }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            let start = index
            while index < bytes.count, (48...57).contains(bytes[index]) { index += 1 }
            guard (1...6).contains(index - start) else { return false }
        }
        guard index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") else { return false }
        index += 1
        guard let offsetHours = number(2), offsetHours <= 15 else { return false }
        for _ in 0..<2 where index < bytes.count {
            guard expect(":"), let part = number(2), part <= 59 else { return false }
        }
        return index == bytes.count
    }
}

/// `GET /admin/revocations` filters.
public struct RevocationQuery: Sendable, Hashable {
    public var reasonCode: RevocationReason?
    public var provisioner: String?
    public var revokedAfter: Date?
    public var revokedBefore: Date?
    public var limit: Int = 50
    public var cursor: ListCursor?

    static let parameters: Set<String> = ["reason", "provisioner", "revokedAfter", "revokedBefore", "limit", "cursor"]

    public init() {}

    public init(parameters: [(String, String)]) throws(WardenError) {
        try ListParameters.rejectUnknown(parameters, allowed: Self.parameters)
        for (name, value) in parameters {
            switch name {
            case "reason":
                guard let reason = RevocationReason(parsing: value) else { throw .badRequest("reason: unknown revocation reason \"\(value)\"") }
                reasonCode = reason
            case "provisioner": provisioner = value.isEmpty ? nil : value
            case "revokedAfter": revokedAfter = try ListParameters.date(value, name: name)
            case "revokedBefore": revokedBefore = try ListParameters.date(value, name: name)
            case "limit": limit = try ListParameters.limit(value, maximum: CertificateQuery.maximumLimit)
            case "cursor": cursor = try ListParameters.timeCursor(value, field: "revokedAt") { SerialNumber(decimal: $0) != nil }
            default: break
            }
        }
    }
}

/// `GET /admin/audit` filters (newest first).
public struct AuditQuery: Sendable, Hashable {
    public var actor: String?
    public var action: String?
    public var target: String?
    public var outcome: AuditEvent.Outcome?
    public var after: Date?
    public var before: Date?
    public var limit: Int = 50
    public var cursor: ListCursor?

    static let parameters: Set<String> = ["actor", "action", "target", "outcome", "after", "before", "limit", "cursor"]

    public init() {}

    public init(parameters: [(String, String)]) throws(WardenError) {
        try ListParameters.rejectUnknown(parameters, allowed: Self.parameters)
        for (name, value) in parameters {
            switch name {
            case "actor": actor = value.isEmpty ? nil : value
            case "action": action = value.isEmpty ? nil : value
            case "target": target = value.isEmpty ? nil : value
            case "outcome":
                guard let parsed = AuditEvent.Outcome(rawValue: value) else { throw .badRequest("outcome: must be success, denied or failed") }
                outcome = parsed
            case "after": after = try ListParameters.date(value, name: name)
            case "before": before = try ListParameters.date(value, name: name)
            case "limit": limit = try ListParameters.limit(value, maximum: CertificateQuery.maximumLimit)
            case "cursor": cursor = try ListParameters.timeCursor(value, field: "at") { Int64($0) != nil }
            default: break
            }
        }
    }
}
