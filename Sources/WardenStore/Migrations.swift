import Logging
import PostgresNIO
import WardenCore

/// The schema, as ordered plain SQL. Applied once each, recorded in `schema_migrations`.
enum Migrations {
    struct Migration {
        var version: Int
        var name: String
        var statements: [String]
        /// Data that SQL alone cannot derive, filled in after the statements, in the same transaction.
        var backfill: (@Sendable (PostgresConnection, Logger) async throws -> Void)? = nil
    }

    static let all: [Migration] = [
        Migration(
            version: 1, name: "core schema",
            statements: [
                """
                CREATE TABLE provisioners (
                    id uuid PRIMARY KEY,
                    name text NOT NULL,
                    type text NOT NULL,
                    details jsonb NOT NULL,
                    claims jsonb,
                    x509_template jsonb,
                    ssh_template jsonb,
                    created_at timestamptz NOT NULL DEFAULT now(),
                    updated_at timestamptz NOT NULL DEFAULT now(),
                    deleted_at timestamptz,
                    version bigint NOT NULL DEFAULT 1
                )
                """,
                "CREATE UNIQUE INDEX provisioners_live_name ON provisioners (name) WHERE deleted_at IS NULL",
                """
                CREATE TABLE admins (
                    id uuid PRIMARY KEY,
                    subject text NOT NULL,
                    provisioner_id uuid NOT NULL REFERENCES provisioners (id),
                    role text NOT NULL CHECK (role IN ('ADMIN', 'SUPER_ADMIN')),
                    created_at timestamptz NOT NULL DEFAULT now(),
                    updated_at timestamptz NOT NULL DEFAULT now(),
                    deleted_at timestamptz,
                    version bigint NOT NULL DEFAULT 1
                )
                """,
                "CREATE UNIQUE INDEX admins_live_subject ON admins (subject, provisioner_id) WHERE deleted_at IS NULL",
                """
                CREATE TABLE certificates (
                    serial numeric PRIMARY KEY,
                    subject text NOT NULL,
                    sans text[] NOT NULL DEFAULT '{}',
                    not_before timestamptz NOT NULL,
                    not_after timestamptz NOT NULL,
                    provisioner_id uuid,
                    provisioner_name text NOT NULL,
                    provisioner_type text,
                    key_algorithm text NOT NULL,
                    fingerprint_sha256 text NOT NULL,
                    der bytea NOT NULL,
                    issued_at timestamptz NOT NULL DEFAULT now(),
                    renewed_from numeric
                )
                """,
                "CREATE INDEX certificates_not_after ON certificates (not_after)",
                "CREATE INDEX certificates_provisioner ON certificates (provisioner_name, issued_at)",
                "CREATE INDEX certificates_issued_at ON certificates (issued_at, serial)",
                """
                CREATE TABLE revocations (
                    serial numeric PRIMARY KEY,
                    reason_code integer NOT NULL,
                    reason text NOT NULL DEFAULT '',
                    revoked_at timestamptz NOT NULL DEFAULT now(),
                    revoked_by text NOT NULL,
                    method text NOT NULL CHECK (method IN ('token', 'mtls', 'admin')),
                    passive boolean NOT NULL DEFAULT true,
                    provisioner_name text,
                    not_after timestamptz
                )
                """,
                "CREATE INDEX revocations_revoked_at ON revocations (revoked_at)",
                """
                CREATE TABLE used_tokens (
                    token_id text PRIMARY KEY,
                    expires_at timestamptz NOT NULL
                )
                """,
                "CREATE INDEX used_tokens_expires_at ON used_tokens (expires_at)",
                """
                CREATE TABLE audit_events (
                    id bigserial PRIMARY KEY,
                    at timestamptz NOT NULL DEFAULT now(),
                    actor_subject text,
                    actor_provisioner text,
                    actor_serial text,
                    auth_method text,
                    action text NOT NULL,
                    target_kind text,
                    target_id text,
                    before jsonb,
                    after jsonb,
                    request_id text,
                    remote_addr text,
                    outcome text NOT NULL
                )
                """,
                "CREATE INDEX audit_events_at ON audit_events (at DESC, id DESC)",
                """
                CREATE TABLE crl_state (
                    id integer PRIMARY KEY CHECK (id = 1),
                    number bigint NOT NULL,
                    this_update timestamptz NOT NULL,
                    next_update timestamptz NOT NULL,
                    der bytea NOT NULL
                )
                """,
            ]),
        Migration(
            version: 2, name: "provisioner extras",
            statements: [
                "ALTER TABLE provisioners ADD COLUMN extras jsonb NOT NULL DEFAULT '{}'::jsonb",
                "CREATE INDEX admins_provisioner ON admins (provisioner_id) WHERE deleted_at IS NULL",
            ]),
        Migration(
            version: 3, name: "inventory search",
            statements: [
                "CREATE EXTENSION IF NOT EXISTS pg_trgm",
                "ALTER TABLE certificates ADD COLUMN search_text text NOT NULL DEFAULT ''",
                "UPDATE certificates SET search_text = lower(subject || ' ' || array_to_string(sans, ' '))",
                "CREATE INDEX certificates_search_trgm ON certificates USING gin (search_text gin_trgm_ops)",
                "CREATE INDEX certificates_not_after_serial ON certificates (not_after, serial)",
                "CREATE INDEX certificates_subject_serial ON certificates (subject, serial)",
                "CREATE INDEX certificates_provisioner_issued ON certificates (provisioner_name, issued_at, serial)",
                "CREATE INDEX revocations_revoked_at_serial ON revocations (revoked_at, serial)",
                "CREATE INDEX audit_events_actor ON audit_events (actor_subject, at DESC)",
                "CREATE INDEX audit_events_action ON audit_events (action, at DESC)",
            ]),
        Migration(
            version: 4, name: "revocation state on certificates",
            statements: [
                // Kept in step by RevocationRepository in the revoking transaction, so status filters are
                // predicates on one table with partial indexes instead of anti-joins over a million rows.
                "ALTER TABLE certificates ADD COLUMN revoked_at timestamptz",
                "UPDATE certificates c SET revoked_at = r.revoked_at FROM revocations r WHERE r.serial = c.serial",
                "CREATE INDEX certificates_revoked_issued ON certificates (issued_at, serial) WHERE revoked_at IS NOT NULL",
                "CREATE INDEX certificates_unrevoked_not_after ON certificates (not_after, serial) WHERE revoked_at IS NULL",
            ]),
        Migration(
            version: 5, name: "identity by provisioner id, unique token identifiers",
            statements: [
                // Admin authentication, renewal, revocation scope and the inventory join on the provisioner's id.
                "CREATE INDEX certificates_provisioner_id ON certificates (provisioner_id, issued_at, serial)",
                "ALTER TABLE revocations ADD COLUMN provisioner_id uuid",
                "UPDATE revocations r SET provisioner_id = c.provisioner_id FROM certificates c WHERE c.serial = r.serial",
                "CREATE INDEX revocations_provisioner_id ON revocations (provisioner_id, revoked_at, serial)",
                // What a token names to select a provisioner (JWK key id and key, OIDC client id, Azure tenant):
                // one live owner each, held by the primary key whatever instance writes.
                """
                CREATE TABLE provisioner_token_ids (
                    token_id text PRIMARY KEY,
                    provisioner_id uuid NOT NULL REFERENCES provisioners (id)
                )
                """,
                "CREATE INDEX provisioner_token_ids_provisioner ON provisioner_token_ids (provisioner_id)",
            ],
            backfill: { connection, logger in
                // Oldest first: where two existing provisioners share an identifier, the older keeps it (it is the
                // one tokens used to reach before the newer hid it) and the conflict is logged for the operator.
                let rows = try await connection.query(
                    """
                    SELECT \(unescaped: ProvisionerRepository.columns) FROM provisioners
                    WHERE deleted_at IS NULL ORDER BY created_at, id
                    """, logger: logger)
                var provisioners: [LinkedProvisioner] = []
                for try await row in rows.decode(ProvisionerRepository.Row.self) {
                    if let provisioner = ProvisionerRepository.provisioner(row) { provisioners.append(provisioner) }
                }
                for provisioner in provisioners {
                    for identifier in provisioner.tokenIdentifiers {
                        var stored = false
                        for try await _ in try await connection.query(
                            """
                            INSERT INTO provisioner_token_ids (token_id, provisioner_id) VALUES (\(identifier), \(provisioner.id))
                            ON CONFLICT (token_id) DO NOTHING RETURNING 1
                            """, logger: logger)
                        {
                            stored = true
                        }
                        if !stored {
                            logger.warning(
                                "two live provisioners share a token identifier; the newer one must get its own key",
                                metadata: ["provisioner": "\(provisioner.name)", "identifier": "\(identifier)"])
                        }
                    }
                }
            }),
        Migration(
            version: 6, name: "IP SANs as inet for the inventory's address search",
            statements: [
                // Written by the issuance statement with the certificate; range scans answer prefixes and CIDR blocks,
                // and the copies of the (immutable) sort columns order the matches without reading certificates.
                """
                CREATE TABLE certificate_ips (
                    ip inet NOT NULL,
                    serial numeric NOT NULL REFERENCES certificates (serial),
                    issued_at timestamptz NOT NULL,
                    not_after timestamptz NOT NULL,
                    PRIMARY KEY (ip, serial) INCLUDE (issued_at, not_after)
                )
                """,
                "CREATE INDEX certificate_ips_serial ON certificate_ips (serial)",
                // A SAN that does not parse as an address is skipped, not an error: DNS names may look like one.
                """
                CREATE FUNCTION pg_temp.warden_address(value text) RETURNS inet LANGUAGE plpgsql IMMUTABLE AS $$
                DECLARE parsed inet;
                BEGIN
                    parsed := value::inet;
                    RETURN CASE WHEN masklen(parsed) = CASE family(parsed) WHEN 4 THEN 32 ELSE 128 END THEN parsed END;
                EXCEPTION WHEN others THEN
                    RETURN NULL;
                END $$
                """,
                """
                INSERT INTO certificate_ips (ip, serial, issued_at, not_after)
                SELECT DISTINCT pg_temp.warden_address(san), c.serial, c.issued_at, c.not_after FROM certificates c, unnest(c.sans) san
                WHERE (san ~ '^[0-9]{1,3}(\\.[0-9]{1,3}){3}$' OR (san LIKE '%:%' AND san ~ '^[0-9a-fA-F:.]+$'))
                    AND pg_temp.warden_address(san) IS NOT NULL
                """,
                "DROP FUNCTION pg_temp.warden_address(text)",
            ]),
        Migration(
            version: 7, name: "authority certificate issuance policy",
            statements: [
                """
                CREATE TABLE authority_policy (
                    id integer PRIMARY KEY CHECK (id = 1),
                    policy jsonb NOT NULL,
                    updated_at timestamptz NOT NULL DEFAULT now()
                )
                """
            ]),
    ]
}
