import Foundation

/// A provisioner as the admin API and the database hold it: linkedca's `Provisioner` message (the shape the
/// step CLI sends and reads as protojson), with Warden's bookkeeping.
///
/// Type-specific settings stay in ``details`` as normalised protojson (camelCase keys, bytes as standard
/// base64) so that what a client stored is exactly what it reads back, for every provisioner type.
public struct LinkedProvisioner: Hashable, Sendable {
    /// step-ca's standalone authority id, which clients echo back on update.
    public static let authorityID = "00000000-0000-0000-0000-000000000000"

    public var id: UUID
    public var type: ProvisionerType
    public var name: String
    /// The inner object of the `details` oneof (e.g. the contents of `{"JWK": {...}}`).
    public var details: [String: JSONValue]
    /// linkedca `Claims` in protojson form, validated.
    public var claims: JSONValue?
    public var x509Template: JSONValue?
    public var sshTemplate: JSONValue?
    /// `policy` and `webhooks`, kept as given.
    public var extras: [String: JSONValue]
    public var createdAt: Date
    public var updatedAt: Date
    public var deletedAt: Date?

    public init(
        id: UUID, type: ProvisionerType, name: String, details: [String: JSONValue], claims: JSONValue? = nil,
        x509Template: JSONValue? = nil, sshTemplate: JSONValue? = nil, extras: [String: JSONValue] = [:],
        createdAt: Date = Date(), updatedAt: Date = Date(), deletedAt: Date? = nil
    ) {
        self.id = id
        self.type = type
        self.name = name
        self.details = details
        self.claims = claims
        self.x509Template = x509Template
        self.sshTemplate = sshTemplate
        self.extras = extras
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.deletedAt = deletedAt
    }

    /// The JSON key of the `details` oneof, spelled as in linkedca's proto — the same spelling ca.json uses
    /// for the type ("JWK", "K8sSA", "Azure", ...).
    public static func detailsKey(for type: ProvisionerType) -> String {
        type.configName
    }

    /// protojson, as `GET /admin/provisioners/{name}` answers: populated fields only, enum names, RFC 3339 times.
    public var protoJSON: JSONValue {
        var object: [String: JSONValue] = [
            "id": .string(id.uuidString.lowercased()),
            "authorityId": .string(Self.authorityID),
            "type": .string(type.enumName),
            "name": .string(name),
            "details": .object([Self.detailsKey(for: type): .object(details)]),
            "createdAt": .string(ProtoTimestamp.format(createdAt)),
            "deletedAt": .string(deletedAt.map(ProtoTimestamp.format) ?? ProtoTimestamp.zero),
        ]
        if let claims { object["claims"] = claims }
        if let x509Template { object["x509Template"] = x509Template }
        if let sshTemplate { object["sshTemplate"] = sshTemplate }
        for (key, value) in extras { object[key] = value }
        return .object(object)
    }
}

/// protojson `google.protobuf.Timestamp` text: RFC 3339 in UTC, whole seconds (step truncates to seconds).
public enum ProtoTimestamp {
    /// Go's zero time, which step writes as `deletedAt` of live objects.
    public static let zero = "0001-01-01T00:00:00Z"

    /// RFC 3339 in UTC, whole seconds, in the proleptic Gregorian calendar (as Go and PostgreSQL print times;
    /// ICU's formatters switch to the Julian calendar before 1582).
    public static func format(_ date: Date) -> String {
        let total = date.timeIntervalSince1970.rounded(.down)
        guard let seconds = Int64(exactly: total), abs(seconds) < 300_000_000_000 else { return total < 0 ? zero : "9999-12-31T23:59:59Z" }
        let (days, secondOfDay) = CivilDate.split(seconds)
        let date = CivilDate(daysSinceEpoch: days)
        let (year, month, day) = (date.year, Int64(date.month), Int64(date.day))
        func pad(_ value: Int64, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return
            "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2))Z"
    }

    /// Parses RFC 3339 strictly (`2026-11-25T20:33:36Z`, `…36.123456789+02:00`; `T`/`t`, `Z`/`z`), years
    /// 0001–9999, checked against the calendar: `2026-02-30` is nil, not March 2nd (ICU's formatters roll
    /// impossible dates over, so they are not used for input).
    public static func parse(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard (20...40).contains(bytes.count) else { return nil }
        var index = 0
        func digits(_ count: Int) -> Int? {
            guard index + count <= bytes.count else { return nil }
            var n = 0
            for byte in bytes[index..<index + count] {
                guard (48...57).contains(byte) else { return nil }
                n = n * 10 + Int(byte - 48)
            }
            index += count
            return n
        }
        func separator(_ allowed: String) -> Bool {
            guard index < bytes.count, allowed.utf8.contains(bytes[index]) else { return false }
            index += 1
            return true
        }
        guard let year = digits(4), separator("-"), let month = digits(2), separator("-"), let day = digits(2), separator("Tt"),
            let hour = digits(2), separator(":"), let minute = digits(2), separator(":"), let second = digits(2),
            (1...9999).contains(year), (1...12).contains(month), hour <= 23, minute <= 59, second <= 59
        else { return nil }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        guard day >= 1, day <= [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] else { return nil }
        var fraction = 0.0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            var scale = 0.1
            let start = index
            while index < bytes.count, (48...57).contains(bytes[index]) {
                fraction += Double(bytes[index] - 48) * scale
                scale /= 10
                index += 1
            }
            guard (1...9).contains(index - start) else { return nil }
        }
        var offset = 0
        if separator("Zz") {
            offset = 0
        } else {
            guard index < bytes.count else { return nil }
            let sign = bytes[index] == UInt8(ascii: "-") ? -1 : 1
            guard separator("+-"), let hours = digits(2), separator(":"), let minutes = digits(2), hours <= 23, minutes <= 59 else { return nil }
            offset = sign * (hours * 3600 + minutes * 60)
        }
        guard index == bytes.count else { return nil }
        // Days from 1970-01-01 in the proleptic Gregorian calendar (Howard Hinnant's days_from_civil).
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        let seconds = Double(days * 86400 + hour * 3600 + minute * 60 + second - offset) + fraction
        return Date(timeIntervalSince1970: seconds)
    }
}

extension LinkedProvisioner {
    /// Reads a protojson provisioner as the admin API returns it (with id and timestamps).
    public init(protoJSON value: JSONValue) throws(WardenError) {
        let document = try LinkedProvisionerDocument(parsing: value)
        guard let idText = document.id, let id = UUID(uuidString: idText) else { throw .badRequest("provisioner has no id") }
        self.init(
            id: id, type: document.type, name: document.name, details: document.details, claims: document.claims,
            x509Template: document.x509Template, sshTemplate: document.sshTemplate, extras: document.extras,
            createdAt: document.createdAt.flatMap(ProtoTimestamp.parse) ?? Date(timeIntervalSince1970: 0),
            updatedAt: document.createdAt.flatMap(ProtoTimestamp.parse) ?? Date(timeIntervalSince1970: 0),
            deletedAt: document.deletedAt.flatMap { $0 == ProtoTimestamp.zero ? nil : ProtoTimestamp.parse($0) })
    }
}
