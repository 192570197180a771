import Foundation

/// ca.json, in step-ca's layout, so an existing step-ca configuration starts Warden unchanged.
public struct CAConfiguration: Hashable, Sendable, Codable {
    /// Root certificate file(s). step accepts a string or an array.
    public var root: [String]
    public var federatedRoots: [String]?
    /// Intermediate certificate file.
    public var crt: String
    /// Intermediate private key file (encrypted PKCS#8 PEM).
    public var key: String
    /// `host:port` of the TLS listener.
    public var address: String
    /// Names (and IPs) the server certificate covers and one-time token audiences may use.
    public var dnsNames: [String]
    public var db: Database?
    public var authority: Authority
    public var crl: CRL?
    /// step allows the key password in ca.json; Warden accepts it but prefers `--password-file`.
    public var password: Secret?
    public var logger: [String: JSONValue]?
    public var tls: [String: JSONValue]?
    /// Optional `host:port` for a plain-HTTP Prometheus `/metrics` listener (Warden extension).
    public var metricsAddress: String?

    public struct Database: Hashable, Sendable, Codable {
        public var type: String
        public var dataSource: String
        public var database: String?

        public init(type: String = "postgresql", dataSource: String, database: String? = nil) {
            self.type = type
            self.dataSource = dataSource
            self.database = database
        }
    }

    public struct Authority: Hashable, Sendable, Codable {
        public var provisioners: [Provisioner]
        public var claims: Claims?
        public var enableAdmin: Bool?
        /// step's `authority.template`: subject attributes every X.509 certificate gets when its template left
        /// them empty (step-ca's `withDefaultASN1DN`).
        public var template: SubjectDefaults?
        /// step's `authority.policy` (ca.json form: `allow`/`deny` with `dns`, `ip`, `email`, `uri`, `cn`): the
        /// certificate issuance policy when remote management is off; with it on, the database holds the policy.
        public var policy: JSONValue?

        public init(
            provisioners: [Provisioner] = [], claims: Claims? = nil, enableAdmin: Bool? = nil, template: SubjectDefaults? = nil,
            policy: JSONValue? = nil
        ) {
            self.provisioners = provisioners
            self.claims = claims
            self.enableAdmin = enableAdmin
            self.template = template
            self.policy = policy
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.provisioners = try container.decodeIfPresent([Provisioner].self, forKey: .provisioners) ?? []
            self.claims = try container.decodeIfPresent(Claims.self, forKey: .claims)
            self.enableAdmin = try container.decodeIfPresent(Bool.self, forKey: .enableAdmin)
            self.template = try container.decodeIfPresent(SubjectDefaults.self, forKey: .template)
            self.policy = try container.decodeIfPresent(JSONValue.self, forKey: .policy)
        }
    }

    public struct CRL: Hashable, Sendable, Codable {
        public var enabled: Bool
        public var generateOnRevoke: Bool?
        public var cacheDuration: GoDuration?

        public init(enabled: Bool, generateOnRevoke: Bool? = true, cacheDuration: GoDuration? = .hours(24)) {
            self.enabled = enabled
            self.generateOnRevoke = generateOnRevoke
            self.cacheDuration = cacheDuration
        }
    }

    public init(
        root: [String], crt: String, key: String, address: String, dnsNames: [String], db: Database?,
        authority: Authority, crl: CRL?, federatedRoots: [String]? = nil
    ) {
        self.root = root
        self.crt = crt
        self.key = key
        self.address = address
        self.dnsNames = dnsNames
        self.db = db
        self.authority = authority
        self.crl = crl
        self.federatedRoots = federatedRoots
    }

    enum CodingKeys: String, CodingKey {
        case root, federatedRoots, crt, key, address, dnsNames, db, authority, crl, password, logger, tls
        case metricsAddress
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let single = try? container.decode(String.self, forKey: .root) {
            self.root = [single]
        } else {
            self.root = try container.decode([String].self, forKey: .root)
        }
        self.federatedRoots = try container.decodeIfPresent([String].self, forKey: .federatedRoots)
        self.crt = try container.decode(String.self, forKey: .crt)
        self.key = try container.decode(String.self, forKey: .key)
        self.address = try container.decode(String.self, forKey: .address)
        self.dnsNames = try container.decodeIfPresent([String].self, forKey: .dnsNames) ?? []
        self.db = try container.decodeIfPresent(Database.self, forKey: .db)
        self.authority = try container.decodeIfPresent(Authority.self, forKey: .authority) ?? Authority()
        self.crl = try container.decodeIfPresent(CRL.self, forKey: .crl)
        self.password = try container.decodeIfPresent(Secret.self, forKey: .password)
        self.logger = try container.decodeIfPresent([String: JSONValue].self, forKey: .logger)
        self.tls = try container.decodeIfPresent([String: JSONValue].self, forKey: .tls)
        self.metricsAddress = try container.decodeIfPresent(String.self, forKey: .metricsAddress)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(root.count == 1 ? JSONValue.string(root[0]) : .array(root.map { .string($0) }), forKey: .root)
        try container.encodeIfPresent(federatedRoots, forKey: .federatedRoots)
        try container.encode(crt, forKey: .crt)
        try container.encode(key, forKey: .key)
        try container.encode(address, forKey: .address)
        try container.encode(dnsNames, forKey: .dnsNames)
        try container.encodeIfPresent(logger, forKey: .logger)
        try container.encodeIfPresent(db, forKey: .db)
        try container.encode(authority, forKey: .authority)
        try container.encodeIfPresent(tls, forKey: .tls)
        try container.encodeIfPresent(crl, forKey: .crl)
        try container.encodeIfPresent(password, forKey: .password)
        try container.encodeIfPresent(metricsAddress, forKey: .metricsAddress)
    }

    /// Loads and validates ca.json, naming the file and the problem on failure.
    public static func load(path: String) throws(WardenError) -> CAConfiguration {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .badRequest("cannot read configuration \(path)")
        }
        let config: CAConfiguration
        do {
            config = try JSONDecoder().decode(CAConfiguration.self, from: data)
        } catch {
            throw .badRequest("invalid configuration \(path): \(describeDecodingError(error))")
        }
        try config.validate()
        return config
    }

    public func validate() throws(WardenError) {
        if dnsNames.isEmpty { throw .badRequest("dnsNames: at least one DNS name or IP is required") }
        if root.isEmpty { throw .badRequest("root: a root certificate is required") }
        try authority.claims?.validate()
        if let policy = authority.policy, policy != .null { _ = try IssuancePolicy(json: policy) }
        var seen = Set<String>()
        var tokenIdentifiers: [String: String] = [:]
        for provisioner in authority.provisioners {
            try provisioner.validate()
            if !seen.insert(provisioner.name).inserted {
                throw .badRequest("authority.provisioners: duplicated provisioner name \"\(provisioner.name)\"")
            }
            for identifier in LinkedProvisioner(migrating: provisioner).tokenIdentifiers {
                if let other = tokenIdentifiers.updateValue(provisioner.name, forKey: identifier) {
                    throw .badRequest(
                        "authority.provisioners: provisioners \"\(other)\" and \"\(provisioner.name)\" share token identifier \(identifier)")
                }
            }
        }
    }
}

/// A one-line description of a `DecodingError`, naming the JSON path, for error messages people read.
public func describeDecodingError(_ error: any Error) -> String {
    guard let decodingError = error as? DecodingError else { return "\(error)" }
    func path(_ codingPath: [any CodingKey]) -> String {
        let joined = codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        return joined.isEmpty ? "body" : joined
    }
    switch decodingError {
    case .typeMismatch(let type, let context):
        return "\(path(context.codingPath)): expected \(type)"
    case .valueNotFound(_, let context):
        return "\(path(context.codingPath)): value is missing"
    case .keyNotFound(let key, let context):
        return "\(path(context.codingPath + [key])): field is required"
    case .dataCorrupted(let context):
        let underlying = (context.underlyingError as? NSError)?.userInfo[NSDebugDescriptionErrorKey] as? String
        return "\(path(context.codingPath)): \(underlying ?? context.debugDescription)"
    @unknown default:
        return "\(error)"
    }
}
