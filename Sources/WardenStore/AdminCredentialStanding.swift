import Foundation
import Logging
import PostgresNIO
import WardenCore

/// What the database says about an admin credential, read in one statement together with recording the
/// admin token's id: whether the token was fresh, whether the certificate is revoked, which provisioner issued
/// it, and the live admins its names could be. One round trip per admin request instead of three (profiles of
/// the admin API showed the round trips and their commits dominating PostgreSQL's share).
public struct AdminCredentialStanding: Sendable {
    public struct Candidate: Sendable {
        public var admin: Admin
        public var provisionerName: String
        public var provisionerType: ProvisionerType
    }

    /// False when the token's id had been recorded before (a replay). True when no token was given (mTLS).
    public var tokenWasFresh: Bool
    public var revoked: Bool
    /// The id of the provisioner the certificate belongs to: the one recorded with it at issuance, else the one
    /// the caller derived from step's extension. Nil when neither is known.
    public var issuerID: UUID?
    /// The live admins of that provisioner (a live one) whose subject is one of the certificate's names.
    public var candidates: [Candidate]

    /// step's matching rule: the certificate's names in order (CN, then DNS names, then emails); the first that
    /// is an admin of the issuing provisioner wins.
    public func match(subjects: [String]) -> Candidate? {
        for subject in subjects {
            if let found = candidates.first(where: { $0.admin.subject == subject }) { return found }
        }
        return nil
    }
}

extension AdminRepository {
    /// Records `token` (when given) and reads the standing of the certificate `serial` whose names are
    /// `subjects`, in one statement. The certificate belongs to the provisioner recorded with it (by id); only a
    /// certificate the database does not tie to a provisioner falls back to `fallbackProvisionerID` (what the
    /// caller derived from step's extension). The token is recorded even if the credential is then refused: a
    /// token seen once is spent, as step does.
    public func standing(
        of serial: SerialNumber, subjects: [String], fallbackProvisionerID: UUID?, consuming token: UsedToken?, logger: Logger
    ) async throws(WardenError) -> AdminCredentialStanding {
        try await database.perform { [database] in
            let rows = try await database.client.execute(
                AdminStandingStatement(serial: serial, subjects: subjects, fallbackProvisionerID: fallbackProvisionerID, token: token),
                logger: logger)
            var standing = AdminCredentialStanding(tokenWasFresh: token == nil, revoked: false, issuerID: nil, candidates: [])
            for try await row in rows {
                standing.tokenWasFresh = token == nil || row.0
                standing.revoked = row.1
                standing.issuerID = row.2
                if let id = row.3, let subject = row.4, let provisionerID = row.5, let role = row.6, let created = row.7,
                    let updated = row.8, let typeName = row.10, let type = ProvisionerType(name: typeName), let name = row.11
                {
                    standing.candidates.append(
                        .init(
                            admin: Self.admin((id, subject, provisionerID, role, created, updated, row.9)), provisionerName: name,
                            provisionerType: type))
                }
            }
            return standing
        }
    }
}

/// The admin standing query as a named prepared statement (parsed and planned once per connection).
struct AdminStandingStatement: PostgresPreparedStatement {
    typealias Row = (Bool, Bool, UUID?, UUID?, String?, UUID?, String?, Date?, Date?, Date?, String?, String?)

    static let sql = """
        WITH used AS (
            INSERT INTO used_tokens (token_id, expires_at)
            SELECT t.id, t.expires FROM (SELECT $1::text AS id, $2::timestamptz AS expires) t
            WHERE t.id IS NOT NULL
            ON CONFLICT (token_id) DO NOTHING RETURNING 1
        ), issuer AS (
            SELECT COALESCE((SELECT provisioner_id FROM certificates WHERE serial = $3::numeric), $5::uuid) AS id
        )
        SELECT EXISTS (SELECT 1 FROM used),
            EXISTS (SELECT 1 FROM revocations WHERE serial = $3::numeric),
            (SELECT id FROM issuer),
            a.id, a.subject, a.provisioner_id, a.role, a.created_at, a.updated_at, a.deleted_at, p.type, p.name
        FROM (VALUES (1)) AS one (x)
        LEFT JOIN (admins a JOIN provisioners p ON p.id = a.provisioner_id AND p.deleted_at IS NULL AND a.deleted_at IS NULL)
            ON a.subject = ANY($4) AND p.id = (SELECT id FROM issuer)
        """

    static let bindingDataTypes: [PostgresDataType] = [.text, .timestamptz, .text, .textArray, .uuid]

    var serial: SerialNumber
    var subjects: [String]
    var fallbackProvisionerID: UUID?
    var token: UsedToken?

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 5)
        bindings.append(token?.id)
        bindings.append(token?.expiresAt)
        bindings.append(serial.decimal)
        bindings.append(subjects)
        bindings.append(fallbackProvisionerID)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row {
        try row.decode(Row.self)
    }
}
