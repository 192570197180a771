import Foundation
import NIOHTTP1
import WardenCore

/// Typed access to the admin API over mTLS, for the CLI and the console. The underlying ``CAClient`` must be
/// configured with the admin's ``ClientIdentity``.
public struct AdminClient: Sendable {
    public let client: CAClient

    public init(client: CAClient) {
        self.client = client
    }

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    func get<T: Decodable>(_ path: String, as type: T.Type = T.self) async throws -> T {
        try decode(try await client.raw(.GET, path, body: nil).body, path: path)
    }

    func send<T: Decodable>(_ method: HTTPMethod, _ path: String, json: JSONValue?, as type: T.Type = T.self) async throws -> T {
        let body = try json.map { Array(try JSONEncoder().encode($0)) }
        return try decode(try await client.raw(method, path, body: body).body, path: path)
    }

    func decode<T: Decodable>(_ bytes: [UInt8], path: String) throws -> T {
        do {
            return try Self.decoder.decode(T.self, from: Data(bytes))
        } catch {
            throw WardenError.internalError("unexpected response from \(path): \(describeDecodingError(error))")
        }
    }

    static func query(_ items: [(String, String?)]) -> String {
        var components = URLComponents()
        components.queryItems = items.compactMap { name, value in value.map { URLQueryItem(name: name, value: $0) } }
        let text = components.percentEncodedQuery ?? ""
        return text.isEmpty ? "" : "?" + text.replacingOccurrences(of: "+", with: "%2B")
    }

    static func path(_ segment: String) -> String {
        segment.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? segment
    }

    // MARK: Identity

    public func whoami() async throws -> WhoAmI {
        try await get("/admin/whoami")
    }

    // MARK: Provisioners

    /// Every provisioner in linkedca form (ids, timestamps, every field), 100 per request.
    public func provisioners() async throws -> [LinkedProvisioner] {
        struct Page: Decodable {
            var provisioners: [JSONValue]
            var nextCursor: String
        }
        var result: [LinkedProvisioner] = []
        var cursor = ""
        repeat {
            let page: Page = try await get(
                "/admin/provisioners" + Self.query([("form", "linkedca"), ("limit", "100"), ("cursor", cursor.isEmpty ? nil : cursor)]))
            for document in page.provisioners { result.append(try LinkedProvisioner(protoJSON: document)) }
            cursor = page.nextCursor
        } while !cursor.isEmpty
        return result
    }

    public func provisionerDocument(named name: String) async throws -> JSONValue {
        try await get("/admin/provisioners/\(Self.path(name))")
    }

    public func provisioner(named name: String) async throws -> LinkedProvisioner {
        try LinkedProvisioner(protoJSON: try await provisionerDocument(named: name))
    }

    public func createProvisioner(_ document: JSONValue) async throws -> LinkedProvisioner {
        try LinkedProvisioner(protoJSON: try await send(.POST, "/admin/provisioners", json: document))
    }

    public func updateProvisioner(named name: String, _ document: JSONValue) async throws -> LinkedProvisioner {
        try LinkedProvisioner(protoJSON: try await send(.PUT, "/admin/provisioners/\(Self.path(name))", json: document))
    }

    public func removeProvisioner(named name: String) async throws {
        let _: StatusResponse = try await send(.DELETE, "/admin/provisioners/\(Self.path(name))", json: nil)
    }

    // MARK: Authority policy

    /// The authority's certificate issuance policy (linkedca JSON), or nil when there is none.
    public func policy() async throws -> JSONValue? {
        do {
            return try await get("/admin/policy")
        } catch let error as WardenError where error.code == .notFound {
            return nil
        }
    }

    /// Creates (`POST`) or replaces (`PUT`) the authority policy.
    public func setPolicy(_ policy: JSONValue, replacing: Bool) async throws -> JSONValue {
        try await send(replacing ? .PUT : .POST, "/admin/policy", json: policy)
    }

    public func removePolicy() async throws {
        let _: StatusResponse = try await send(.DELETE, "/admin/policy", json: nil)
    }

    // MARK: Admins

    public func admins() async throws -> [Admin] {
        var all: [Admin] = []
        var cursor = ""
        repeat {
            let page: JSONValue = try await get("/admin/admins" + Self.query([("limit", "100"), ("cursor", cursor.isEmpty ? nil : cursor)]))
            all += (page["admins"]?.arrayValue ?? []).compactMap(AdminWire.decode)
            cursor = page["nextCursor"]?.stringValue ?? ""
        } while !cursor.isEmpty
        return all
    }

    public func admin(id: UUID) async throws -> Admin {
        let value: JSONValue = try await get("/admin/admins/\(id.uuidString.lowercased())")
        guard let admin = AdminWire.decode(value) else { throw WardenError.internalError("unexpected admin response") }
        return admin
    }

    public func createAdmin(subject: String, provisioner: String, role: AdminRole) async throws -> Admin {
        let body = JSONValue.object(["subject": .string(subject), "provisioner": .string(provisioner), "type": .number(Double(role.rawValue))])
        let value: JSONValue = try await send(.POST, "/admin/admins", json: body)
        guard let admin = AdminWire.decode(value) else { throw WardenError.internalError("unexpected admin response") }
        return admin
    }

    public func updateAdmin(id: UUID, role: AdminRole) async throws -> Admin {
        let value: JSONValue = try await send(
            .PATCH, "/admin/admins/\(id.uuidString.lowercased())", json: .object(["type": .number(Double(role.rawValue))]))
        guard let admin = AdminWire.decode(value) else { throw WardenError.internalError("unexpected admin response") }
        return admin
    }

    public func removeAdmin(id: UUID) async throws {
        let _: StatusResponse = try await send(.DELETE, "/admin/admins/\(id.uuidString.lowercased())", json: nil)
    }

    // MARK: Inventory

    /// `parameters` are the API's query parameters (q, status, provisioner, sort, order, limit, cursor, ...).
    public func certificates(_ parameters: [(String, String?)]) async throws -> Page<CertificateSummary> {
        try await get("/admin/certificates" + Self.query(parameters))
    }

    public func certificate(serial: String) async throws -> JSONValue {
        try await get("/admin/certificates/\(Self.path(serial))")
    }

    public func revokeCertificate(serial: String, reason: RevocationReason, text: String) async throws -> RevocationSummary {
        try await send(
            .POST, "/admin/certificates/\(Self.path(serial))/revoke",
            json: .object(["reasonCode": .number(Double(reason.rawValue)), "reason": .string(text)]))
    }

    public func revocations(_ parameters: [(String, String?)]) async throws -> Page<RevocationSummary> {
        try await get("/admin/revocations" + Self.query(parameters))
    }

    public func audit(_ parameters: [(String, String?)]) async throws -> Page<AuditEvent> {
        try await get("/admin/audit" + Self.query(parameters))
    }
}
