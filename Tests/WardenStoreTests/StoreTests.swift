import Foundation
import Logging
import PostgresNIO
import Testing
import WardenCore
import WardenStore
import WardenTestSupport

#if canImport(Glibc)
    import Glibc
#endif

@Suite
struct StoreTests {
    let logger = TestDatabase.logger

    static func record(
        serial: String = String(UInt64.random(in: 1...UInt64.max)), subject: String = "svc.internal", provisionerID: UUID? = nil
    ) -> CertificateRecord {
        CertificateRecord(
            serial: SerialNumber(decimal: serial)!, subject: subject, sans: [subject, "10.0.0.1"], notBefore: Date(),
            notAfter: Date().addingTimeInterval(3600), provisionerID: provisionerID, provisionerName: "ops", provisionerType: .jwk,
            keyAlgorithm: "ECDSA P-256", fingerprintSHA256: String(repeating: "ab", count: 32), der: [0x30, 0x03, 0x02, 0x01, 0x01],
            issuedAt: Date(), renewedFrom: nil)
    }

    @Test func migrationsAreIdempotent() async throws {
        try await TestDatabase.withDatabase(prefix: "mig") { database in
            let applied = try await TestDatabase.count("schema_migrations", in: database)
            #expect(applied >= 2)
            try await database.migrate()
            try await database.migrate()
            #expect(try await TestDatabase.count("schema_migrations", in: database) == applied)
            #expect(try await TestDatabase.count("certificates", in: database) == 0)
        }
    }

    @Test func issuanceIsStoredAndReadBack() async throws {
        try await TestDatabase.withDatabase(prefix: "iss") { database in
            let repository = CertificateRepository(database: database)
            let record = Self.record(serial: "123456789012345678901234567890123456789")
            try await repository.recordIssuance(record, consumingToken: nil, logger: logger)
            let found = try #require(try await repository.find(serial: record.serial, logger: logger))
            #expect(found.serial == record.serial)
            #expect(found.sans == record.sans)
            #expect(found.der == record.der)
            #expect(found.provisionerType == .jwk)
            #expect(abs(found.notAfter.timeIntervalSince(record.notAfter)) < 0.001)
            #expect(try await repository.find(serial: SerialNumber(decimal: "42")!, logger: logger) == nil)
            // The IP SAN is indexed as an address with the certificate, the DNS SAN is not.
            #expect(
                try await TestDatabase.count("certificate_ips", in: database, where: "serial = \(record.serial.decimal) AND ip = '10.0.0.1'") == 1)
            #expect(try await TestDatabase.count("certificate_ips", in: database) == 1)
        }
    }

    /// Migration 6 indexes the addresses of certificates issued before it, skipping SANs that only look like one.
    @Test func addressMigrationIndexesExistingCertificates() async throws {
        try await TestDatabase.withDatabase(prefix: "ipfill") { database in
            try await TestDatabase.execute(
                """
                INSERT INTO certificates (serial, subject, sans, not_before, not_after, provisioner_name, key_algorithm,
                    fingerprint_sha256, der, issued_at)
                VALUES (77, 'a', '{a.internal,10.3.7.5,fd00::5,999.1.1.1,1.2.3,10.0.0.0/8,ab::cd::ef}', now(), now() + interval '1 hour',
                    'ops', 'ECDSA P-256', 'ff', '\\x30'::bytea, now())
                """, in: database)
            try await TestDatabase.execute("DROP TABLE certificate_ips", in: database)
            try await TestDatabase.execute("DELETE FROM schema_migrations WHERE version = 6", in: database)
            try await database.migrate()
            #expect(try await TestDatabase.count("certificate_ips", in: database) == 2)
            #expect(try await TestDatabase.count("certificate_ips", in: database, where: "serial = 77 AND ip IN ('10.3.7.5', 'fd00::5')") == 2)
        }
    }

    /// A replayed token must not mint a second certificate: the token and the certificate commit together.
    @Test func replayedTokenStoresNothing() async throws {
        try await TestDatabase.withDatabase(prefix: "replay") { database in
            let repository = CertificateRepository(database: database)
            let token = UsedToken(id: "ops:jti-1", expiresAt: Date().addingTimeInterval(300))
            try await repository.recordIssuance(Self.record(), consumingToken: token, logger: logger)
            await #expect(throws: WardenError.unauthorized("")) {
                try await repository.recordIssuance(Self.record(), consumingToken: token, logger: logger)
            }
            #expect(try await TestDatabase.count("certificates", in: database) == 1)
            #expect(try await TestDatabase.count("used_tokens", in: database) == 1)
        }
    }

    /// A failed insert (duplicate serial) must leave the token unused.
    @Test func failedIssuanceLeavesTokenUsable() async throws {
        try await TestDatabase.withDatabase(prefix: "rollback") { database in
            let repository = CertificateRepository(database: database)
            let record = Self.record()
            try await repository.recordIssuance(record, consumingToken: nil, logger: logger)
            let token = UsedToken(id: "ops:jti-2", expiresAt: Date().addingTimeInterval(300))
            await #expect(throws: WardenError.conflict("")) {
                try await repository.recordIssuance(record, consumingToken: token, logger: logger)
            }
            #expect(try await TestDatabase.count("used_tokens", in: database) == 0)
        }
    }

    @Test func revokingTwiceConflictsAndKeepsTheFirst() async throws {
        try await TestDatabase.withDatabase(prefix: "revoke") { database in
            let revocations = RevocationRepository(database: database)
            let serial = SerialNumber(decimal: "777")!
            let first = Revocation(serial: serial, reasonCode: .keyCompromise, reason: "leaked", revokedAt: Date(), revokedBy: "test", method: .token)
            try await revocations.revoke(first, provisionerID: nil, provisionerName: "ops", consumingToken: nil, logger: logger)
            var second = first
            second.reasonCode = .superseded
            await #expect(throws: WardenError.conflict("")) {
                try await revocations.revoke(second, provisionerID: nil, provisionerName: "ops", consumingToken: nil, logger: logger)
            }
            #expect(try await revocations.isRevoked(serial: serial, logger: logger))
            #expect(try await revocations.find(serial: serial, logger: logger)?.reasonCode == .keyCompromise)
            #expect(try await revocations.crlEntries(logger: logger).map(\.0) == [serial])
        }
    }

    @Test func crlEntriesSkipCertificatesExpiredOverAnHourAgo() async throws {
        try await TestDatabase.withDatabase(prefix: "crlskip") { database in
            let revocations = RevocationRepository(database: database)
            let old = Revocation(
                serial: SerialNumber(decimal: "1")!, reasonCode: .unspecified, reason: "", revokedAt: Date(), revokedBy: "t",
                method: .admin, certificateNotAfter: Date().addingTimeInterval(-7200))
            let live = Revocation(
                serial: SerialNumber(decimal: "2")!, reasonCode: .unspecified, reason: "", revokedAt: Date(), revokedBy: "t",
                method: .admin, certificateNotAfter: Date().addingTimeInterval(7200))
            try await revocations.revoke(old, provisionerID: nil, provisionerName: nil, consumingToken: nil, logger: logger)
            try await revocations.revoke(live, provisionerID: nil, provisionerName: nil, consumingToken: nil, logger: logger)
            #expect(try await revocations.crlEntries(logger: logger).map(\.0.decimal) == ["2"])
        }
    }

    @Test func crlNumbersIncreaseUnderConcurrency() async throws {
        try await TestDatabase.withDatabase(prefix: "crlnum") { database in
            let crls = CRLRepository(database: database)
            let numbers = try await withThrowingTaskGroup(of: Int64.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        try await crls.regenerate(thisUpdate: Date(), nextUpdate: Date().addingTimeInterval(60), logger: TestDatabase.logger) { n in
                            [UInt8(truncatingIfNeeded: n)]
                        }.number
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(Set(numbers) == Set(1...8))
            #expect(try await crls.current(logger: logger)?.number == 8)
        }
    }

    /// Concurrent issuances are committed in batches, and each still gets its own answer: fresh tokens store
    /// their certificate, replayed tokens (earlier, or twice in the same burst) store nothing, and a duplicate
    /// serial is a conflict that leaves its token unspent.
    @Test func concurrentIssuancesEachGetTheirOwnAnswer() async throws {
        try await TestDatabase.withDatabase(prefix: "batch") { database in
            let repository = CertificateRepository(database: database)
            let ledger = TokenLedger(database: database)
            let existing = Self.record()
            try await repository.recordIssuance(existing, consumingToken: nil, logger: logger)
            let soon = Date().addingTimeInterval(300)
            try await ledger.consume(UsedToken(id: "old", expiresAt: soon), logger: logger)
            let audit = AuditEvent(
                actor: nil, action: "certificate.issue", targetKind: "certificate", targetID: nil, requestID: nil, remoteAddress: "127.0.0.1",
                outcome: .success)
            enum Kind: Sendable { case fresh, replayed, pair, duplicateSerial }
            var jobs: [(Kind, CertificateRecord, UsedToken)] = []
            for i in 0..<30 { jobs.append((.fresh, Self.record(), UsedToken(id: "fresh-\(i)", expiresAt: soon))) }
            for _ in 0..<5 { jobs.append((.replayed, Self.record(), UsedToken(id: "old", expiresAt: soon))) }
            for j in 0..<5 {
                jobs.append((.pair, Self.record(), UsedToken(id: "pair-\(j)", expiresAt: soon)))
                jobs.append((.pair, Self.record(), UsedToken(id: "pair-\(j)", expiresAt: soon)))
            }
            jobs.append((.duplicateSerial, Self.record(serial: existing.serial.decimal), UsedToken(id: "dup", expiresAt: soon)))
            let logger = logger
            let outcomes = try await withThrowingTaskGroup(of: (Kind, String?).self) { group in
                for (kind, record, token) in jobs.shuffled() {
                    group.addTask {
                        do {
                            try await repository.recordIssuance(record, consumingToken: token, audit: audit, logger: logger)
                            return (kind, nil)
                        } catch {
                            return (kind, "\((error as? WardenError)?.code.description ?? "\(error)")")
                        }
                    }
                }
                var all: [(Kind, String?)] = []
                for try await outcome in group { all.append(outcome) }
                return all
            }
            #expect(outcomes.filter { $0.0 == .fresh }.allSatisfy { $0.1 == nil })
            #expect(outcomes.filter { $0.0 == .replayed }.allSatisfy { $0.1 == "unauthorized" })
            #expect(outcomes.filter { $0.0 == .pair && $0.1 == nil }.count == 5)
            #expect(outcomes.filter { $0.0 == .pair && $0.1 == "unauthorized" }.count == 5)
            #expect(outcomes.filter { $0.0 == .duplicateSerial }.map(\.1) == ["conflict"])
            #expect(try await TestDatabase.count("certificates", in: database) == 1 + 30 + 5)
            #expect(try await TestDatabase.count("audit_events", in: database) == 30 + 5)
            // The conflicting request spent nothing: its token still works once.
            try await ledger.consume(UsedToken(id: "dup", expiresAt: soon), logger: logger)
        }
    }

    /// Admin authentication's one statement: token recorded once, revocation seen, admins matched through the
    /// provisioner id recorded with the certificate (a name alone never binds), the caller's fallback id only for
    /// certificates the database does not tie to a provisioner, removed admins gone.
    @Test func adminCredentialStandingReadsEverythingAtOnce() async throws {
        try await TestDatabase.withDatabase(prefix: "admstand") { database in
            let provisionerID = UUID()
            let impostorID = UUID()
            let adminID = UUID()
            _ = try await database.client.query(
                "INSERT INTO provisioners (id, name, type, details, created_at, updated_at) VALUES (\(provisionerID), 'ops', 'JWK', '{}'::jsonb, now(), now())",
                logger: logger)
            _ = try await database.client.query(
                "INSERT INTO provisioners (id, name, type, details, created_at, updated_at) VALUES (\(impostorID), 'ops2', 'JWK', '{}'::jsonb, now(), now())",
                logger: logger)
            _ = try await database.client.query(
                "INSERT INTO admins (id, subject, provisioner_id, role, created_at, updated_at) VALUES (\(adminID), 'alice', \(provisionerID), 'SUPER_ADMIN', now(), now())",
                logger: logger)
            let record = Self.record(subject: "alice", provisionerID: provisionerID)
            try await CertificateRepository(database: database).recordIssuance(record, consumingToken: nil, logger: logger)
            let admins = AdminRepository(database: database)
            let token = UsedToken(id: "admin:jti-9", expiresAt: Date().addingTimeInterval(300))
            let first = try await admins.standing(
                of: record.serial, subjects: ["alice"], fallbackProvisionerID: nil, consuming: token, logger: logger)
            #expect(first.tokenWasFresh)
            #expect(!first.revoked)
            #expect(first.issuerID == provisionerID)
            #expect(first.match(subjects: ["alice"])?.admin.id == adminID)
            #expect(first.match(subjects: ["bob"]) == nil)
            let replay = try await admins.standing(
                of: record.serial, subjects: ["alice"], fallbackProvisionerID: nil, consuming: token, logger: logger)
            #expect(!replay.tokenWasFresh)
            #expect(try await TestDatabase.count("used_tokens", in: database) == 1)

            // The recorded id wins over any fallback the caller offers.
            let overridden = try await admins.standing(
                of: record.serial, subjects: ["alice"], fallbackProvisionerID: impostorID, consuming: nil, logger: logger)
            #expect(overridden.issuerID == provisionerID)
            #expect(overridden.match(subjects: ["alice"])?.admin.id == adminID)

            // A certificate Warden did not record is matched through the caller's fallback id; mTLS has no token.
            let foreign = try await admins.standing(
                of: SerialNumber(decimal: "77")!, subjects: ["nobody", "alice"], fallbackProvisionerID: provisionerID, consuming: nil,
                logger: logger)
            #expect(foreign.tokenWasFresh)
            #expect(foreign.issuerID == provisionerID)
            #expect(foreign.match(subjects: ["nobody", "alice"])?.admin.subject == "alice")
            let unknown = try await admins.standing(
                of: SerialNumber(decimal: "78")!, subjects: ["alice"], fallbackProvisionerID: nil, consuming: nil, logger: logger)
            #expect(unknown.issuerID == nil)
            #expect(unknown.candidates.isEmpty)

            _ = try await database.client.query(
                """
                INSERT INTO revocations (serial, reason_code, reason, revoked_at, revoked_by, method, provisioner_name, not_after)
                VALUES (\(record.serial.decimal)::numeric, 1, 'keyCompromise', now(), 'test', 'admin', 'ops', now() + interval '1 hour')
                """, logger: logger)
            _ = try await database.client.query("UPDATE admins SET deleted_at = now() WHERE id = \(adminID)", logger: logger)
            let after = try await admins.standing(of: record.serial, subjects: ["alice"], fallbackProvisionerID: nil, consuming: nil, logger: logger)
            #expect(after.revoked)
            #expect(after.candidates.isEmpty)
        }
    }

    /// The last-super-admin rule under real concurrency, at the repository (no HTTP, so the two changes really
    /// overlap): demoting or removing the last two super admins at once, 20 rounds each, leaves exactly one, and
    /// the loser is refused by the rule — which holds only because the check runs under the lock in the same
    /// transaction as the change.
    @Test func lastSuperAdminRuleHoldsUnderConcurrentChanges() async throws {
        try await TestDatabase.withDatabase(prefix: "lastsuper") { database in
            let provisionerID = UUID()
            let (a, b) = (UUID(), UUID())
            try await TestDatabase.execute(
                "INSERT INTO provisioners (id, name, type, details, created_at, updated_at) VALUES ('\(provisionerID)', 'admin', 'JWK', '{}'::jsonb, now(), now())",
                in: database)
            for id in [a, b] {
                try await TestDatabase.execute(
                    "INSERT INTO admins (id, subject, provisioner_id, role, created_at, updated_at) VALUES ('\(id)', '\(id)', '\(provisionerID)', 'SUPER_ADMIN', now(), now())",
                    in: database)
            }
            let admins = AdminRepository(database: database)
            func outcome(_ body: @escaping @Sendable () async throws -> Void) async -> String {
                do {
                    try await body()
                    return "ok"
                } catch let error as WardenError {
                    return error.message
                } catch {
                    return "\(error)"
                }
            }
            for round in 0..<20 {
                async let first = outcome { _ = try await admins.updateRole(id: a, role: .admin, audit: .system, logger: logger) }
                async let second = outcome { _ = try await admins.updateRole(id: b, role: .admin, audit: .system, logger: logger) }
                let results = await [first, second]
                #expect(results.filter { $0 == "ok" }.count == 1, "round \(round): \(results)")
                #expect(results.filter { $0 == "cannot change role of last super admin" }.count == 1, "round \(round): \(results)")
                #expect(try await TestDatabase.count("admins", in: database, where: "role = 'SUPER_ADMIN'") == 1)
                try await TestDatabase.execute("UPDATE admins SET role = 'SUPER_ADMIN'", in: database)
            }
            for round in 0..<20 {
                async let first = outcome { try await admins.delete(id: a, audit: .system, logger: logger) }
                async let second = outcome { try await admins.delete(id: b, audit: .system, logger: logger) }
                let results = await [first, second]
                #expect(results.filter { $0 == "ok" }.count == 1, "round \(round): \(results)")
                #expect(results.filter { $0.hasSuffix("cannot remove the last super admin") }.count == 1, "round \(round): \(results)")
                #expect(try await TestDatabase.count("admins", in: database, where: "deleted_at IS NULL") == 1)
                try await TestDatabase.execute("UPDATE admins SET deleted_at = NULL", in: database)
            }
        }
    }

    @Test func expiredTokenIdsArePruned() async throws {
        try await TestDatabase.withDatabase(prefix: "prune") { database in
            let ledger = TokenLedger(database: database)
            try await ledger.consume(UsedToken(id: "old", expiresAt: Date().addingTimeInterval(-10)), logger: logger)
            try await ledger.consume(UsedToken(id: "new", expiresAt: Date().addingTimeInterval(300)), logger: logger)
            #expect(try await ledger.prune(logger: logger) == 1)
            await #expect(throws: WardenError.unauthorized("")) {
                try await ledger.consume(UsedToken(id: "new", expiresAt: Date().addingTimeInterval(300)), logger: logger)
            }
        }
    }

    @Test func unreachableDatabaseIsUnavailableNotACrash() async throws {
        var configuration = DatabaseConfiguration(host: "127.0.0.1", port: 1, database: "none", connectTimeout: .milliseconds(500))
        configuration.maximumConnections = 1
        let database = Database(configuration: configuration, logger: logger)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await database.run() }
            defer { group.cancelAll() }
            let started = ContinuousClock.now
            await #expect(throws: WardenError.unavailable("")) {
                _ = try await CertificateRepository(database: database).find(serial: SerialNumber(decimal: "1")!, logger: logger)
            }
            #expect(ContinuousClock.now - started < .seconds(10))
        }
    }

    /// A server that accepts connections and never answers (a hung PostgreSQL): every call gives up at its
    /// deadline with `unavailable`, none sooner, and the pool keeps working for the next call.
    @Test func silentServerHitsTheDeadline() async throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        try withUnsafeMutablePointer(to: &address) { pointer in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                guard bind(listener, raw, length) == 0, listen(listener, 16) == 0, getsockname(listener, raw, &length) == 0 else {
                    throw WardenError.internalError("cannot listen")
                }
            }
        }
        var configuration = DatabaseConfiguration(
            host: "127.0.0.1", port: Int(UInt16(bigEndian: address.sin_port)), database: "none", connectTimeout: .seconds(30),
            requestTimeout: .milliseconds(800))
        configuration.maximumConnections = 2
        let database = Database(configuration: configuration, logger: logger)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await database.run() }
            defer { group.cancelAll() }
            for _ in 0..<2 {
                let started = ContinuousClock.now
                await #expect(throws: WardenError.unavailable("")) {
                    _ = try await CertificateRepository(database: database).find(serial: SerialNumber(decimal: "1")!, logger: logger)
                }
                let waited = ContinuousClock.now - started
                #expect(waited >= .milliseconds(800) && waited < .seconds(3), "gave up after \(waited)")
            }
            #expect(await database.isReachable() == false)
        }
    }

    /// A database operation stuck behind a lock gives up at its deadline (`unavailable`, not sooner), and the
    /// same pool answers the next call at once — and again once the lock is released.
    @Test func aStuckOperationTimesOutAndThePoolKeepsWorking() async throws {
        let url = try TestDatabase.freshURL(prefix: "stuck")
        try await Database.withRunning(configuration: try DatabaseConfiguration(url: url), logger: logger) { holder in
            var configuration = try DatabaseConfiguration(url: url)
            configuration.requestTimeout = .milliseconds(800)
            configuration.maximumConnections = 2
            try await Database.withRunning(configuration: configuration, logger: logger) { database in
                let (locked, lockedContinuation) = AsyncStream.makeStream(of: Void.self)
                let (release, releaseContinuation) = AsyncStream.makeStream(of: Void.self)
                try await withThrowingTaskGroup(of: Void.self) { group in
                    // Another session holds the management lock.
                    group.addTask {
                        try await holder.client.withTransaction(logger: logger) { connection in
                            try await connection.query("SELECT pg_advisory_xact_lock(4242002)", logger: logger)
                            lockedContinuation.yield()
                            for await _ in release { break }
                        }
                    }
                    for await _ in locked { break }
                    let admins = AdminRepository(database: database)
                    let started = ContinuousClock.now
                    await #expect(throws: WardenError.unavailable("")) {
                        try await admins.delete(id: UUID(), audit: .system, logger: logger)
                    }
                    let waited = ContinuousClock.now - started
                    #expect(waited >= .milliseconds(800) && waited < .seconds(3), "gave up after \(waited)")
                    // The pool still answers while the lock is held: a connection left stuck behind the lock would
                    // make this call hit the same 800 ms deadline and throw `unavailable`.
                    #expect(try await admins.live(logger: logger).isEmpty)
                    releaseContinuation.yield()
                    try await group.next()
                    // And once the lock is gone, the change that timed out works (here: refused as unknown, under the lock)
                    // — within a few seconds: on a loaded machine the connection the timeout gave up on may still be
                    // finishing behind the released lock, and each attempt has the 800 ms deadline.
                    var outcome: WardenError?
                    for _ in 0..<6 {
                        do throws(WardenError) {
                            try await admins.delete(id: UUID(), audit: .system, logger: logger)
                        } catch {
                            outcome = error
                            if error.code == .notFound { break }
                        }
                        try await Task.sleep(for: .milliseconds(300))
                    }
                    #expect(outcome?.code == .notFound, "\(String(describing: outcome))")
                }
            }
        }
    }
}
