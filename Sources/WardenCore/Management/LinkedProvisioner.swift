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

    // Format styles are Sendable values: building an ICU formatter per call was 12% of issuance CPU.
    static let wholeSeconds = Date.ISO8601FormatStyle()
    static let fractionalSeconds = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    public static func format(_ date: Date) -> String {
        wholeSeconds.format(Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down)))
    }

    public static func parse(_ text: String) -> Date? {
        (try? fractionalSeconds.parse(text)) ?? (try? wholeSeconds.parse(text))
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
