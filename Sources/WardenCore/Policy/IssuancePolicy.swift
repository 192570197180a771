/// step's certificate issuance policy (`linkedca.Policy`): the X.509 part Warden enforces and the SSH part, kept
/// as given for the SSH CA.
///
/// Read from two encodings: linkedca's protojson (what the admin API and the step CLI send: `ips`, `emails`,
/// `commonNames`, `allowWildcardNames`) and ca.json's (`authority.policy`: `ip`, `email`, `uri`, `cn`). Written in
/// linkedca's. Every rule is validated when read: a DNS rule must be a domain (with at most a leading `*.`), an IP
/// rule an address or CIDR range, an email rule a mailbox or `@domain`, a URI rule a URI or domain; 400 naming the
/// rule otherwise.
public struct IssuancePolicy: Sendable, Hashable {
    public var x509: X509NamePolicy?
    /// The `ssh` object as given (validated as an object only).
    public var ssh: JSONValue?

    public init(x509: X509NamePolicy? = nil, ssh: JSONValue? = nil) {
        self.x509 = x509
        self.ssh = ssh
    }

    public init(json: JSONValue) throws(WardenError) {
        guard case .object(let object) = json else { throw .badRequest("policy: expected an object") }
        for key in object.keys where !["x509", "ssh"].contains(key) {
            throw .badRequest("policy: unknown field \"\(key)\" (x509, ssh)")
        }
        if let x509 = object["x509"], x509 != .null {
            guard case .object(let fields) = x509 else { throw .badRequest("policy.x509: expected an object") }
            for key in fields.keys where !["allow", "deny", "allowWildcardNames", "allow_wildcard_names"].contains(key) {
                throw .badRequest("policy.x509: unknown field \"\(key)\" (allow, deny, allowWildcardNames)")
            }
            var policy = X509NamePolicy()
            policy.allow = try Self.names(fields["allow"], field: "policy.x509.allow")
            policy.deny = try Self.names(fields["deny"], field: "policy.x509.deny")
            switch fields["allowWildcardNames"] ?? fields["allow_wildcard_names"] {
            case nil, .null: break
            case .bool(let flag): policy.allowWildcardNames = flag
            default: throw .badRequest("policy.x509.allowWildcardNames: expected true or false")
            }
            self.x509 = policy
        }
        if let ssh = object["ssh"], ssh != .null {
            guard case .object = ssh else { throw .badRequest("policy.ssh: expected an object") }
            self.ssh = ssh
        }
    }

    private static func names(_ value: JSONValue?, field: String) throws(WardenError) -> X509Names {
        guard let value, value != .null else { return X509Names() }
        guard case .object(let object) = value else { throw .badRequest("\(field): expected an object") }
        var names = X509Names()
        let spellings: [(String, WritableKeyPath<X509Names, [String]>)] = [
            ("dns", \.dns), ("ips", \.ips), ("ip", \.ips), ("emails", \.emails), ("email", \.emails), ("uris", \.uris), ("uri", \.uris),
            ("commonNames", \.commonNames), ("common_names", \.commonNames), ("cn", \.commonNames),
        ]
        for key in object.keys where !spellings.contains(where: { $0.0 == key }) {
            throw .badRequest("\(field): unknown field \"\(key)\" (dns, ips, emails, uris, commonNames)")
        }
        for (key, path) in spellings {
            guard let list = object[key], list != .null else { continue }
            guard case .array(let entries) = list else { throw .badRequest("\(field).\(key): expected a list of strings") }
            for entry in entries {
                guard case .string(let rule) = entry, !rule.isEmpty else { throw .badRequest("\(field).\(key): expected non-empty strings") }
                try InputText.checkFreeText(rule, field: "\(field).\(key)", maximum: 1024)
                try validate(rule, path: path, field: "\(field).\(key)")
                names[keyPath: path].append(rule)
            }
        }
        return names
    }

    private static func validate(_ rule: String, path: WritableKeyPath<X509Names, [String]>, field: String) throws(WardenError) {
        switch path {
        case \.dns:
            let body = rule.hasPrefix("*.") ? String(rule.dropFirst(2)) : rule
            let labels = body.split(separator: ".", omittingEmptySubsequences: false)
            guard !body.isEmpty, !body.contains("*"), labels.allSatisfy({ !$0.isEmpty && $0.utf8.count <= 63 }),
                body.unicodeScalars.allSatisfy({
                    $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" || $0 == ".")
                })
            else { throw .badRequest("\(field): \"\(rule)\" is not a domain (a leading \"*.\" is allowed)") }
        case \.ips:
            guard IPNetwork(cidr: rule) != nil else { throw .badRequest("\(field): \"\(rule)\" is not an IP address or CIDR range") }
        case \.emails:
            let parts = rule.split(separator: "@", omittingEmptySubsequences: false)
            guard parts.count <= 2, let domain = parts.last, !domain.isEmpty, !domain.contains("*") else {
                throw .badRequest("\(field): \"\(rule)\" is not a mailbox or @domain")
            }
        case \.uris:
            guard !rule.contains(" ") else { throw .badRequest("\(field): \"\(rule)\" is not a URI or domain") }
        default: break
        }
    }

    /// linkedca's protojson form.
    public var json: JSONValue {
        var object: [String: JSONValue] = [:]
        if let x509 {
            var fields: [String: JSONValue] = [:]
            if !x509.allow.isEmpty { fields["allow"] = Self.json(x509.allow) }
            if !x509.deny.isEmpty { fields["deny"] = Self.json(x509.deny) }
            if x509.allowWildcardNames { fields["allowWildcardNames"] = .bool(true) }
            object["x509"] = .object(fields)
        }
        if let ssh { object["ssh"] = ssh }
        return .object(object)
    }

    private static func json(_ names: X509Names) -> JSONValue {
        var object: [String: JSONValue] = [:]
        func put(_ key: String, _ values: [String]) { if !values.isEmpty { object[key] = .array(values.map { .string($0) }) } }
        put("dns", names.dns)
        put("ips", names.ips)
        put("emails", names.emails)
        put("uris", names.uris)
        put("commonNames", names.commonNames)
        return .object(object)
    }
}
