import Foundation

/// step's X.509 certificate issuance policy (`linkedca.X509Policy`, ca.json's `authority.policy.x509`): names a
/// certificate may carry, checked on every issuance just before signing.
///
/// Evaluation, as step documents it (docs/step-ca/policies):
/// - a name matching any `deny` rule is refused (deny wins);
/// - when any `allow` rule exists, every name must match an `allow` rule of its own type — a type without allow
///   rules is then refused;
/// - DNS rules match label by label (same number of labels, case-insensitive), a leading `*` label matching any
///   one label; a requested name with a literal `*` is refused unless `allowWildcardNames`;
/// - IP rules are an address or a CIDR range; email rules a mailbox (`jane@example.com`) or a domain
///   (`@example.com`, or `example.com`); URI rules match the URI's host like DNS rules (the scheme is ignored);
/// - the subject common name is checked against `commonNames` rules by exact string when there are any, otherwise
///   as a name of the type it looks like (IP, email, URI, else DNS).
public struct X509NamePolicy: Sendable, Hashable {
    public var allow: X509Names
    public var deny: X509Names
    public var allowWildcardNames: Bool

    public init(allow: X509Names = X509Names(), deny: X509Names = X509Names(), allowWildcardNames: Bool = false) {
        self.allow = allow
        self.deny = deny
        self.allowWildcardNames = allowWildcardNames
    }

    public var isEmpty: Bool { allow.isEmpty && deny.isEmpty && !allowWildcardNames }

    /// The kinds of names a certificate carries.
    public enum NameKind: String, Sendable {
        case dns = "dns name"
        case ip = "ip address"
        case email = "email address"
        case uri = "uri"
        case commonName = "common name"
    }

    /// Why a name was refused: 403 naming the name, the policy (`scope`, e.g. "the authority policy") and the rule.
    public func check(commonName: String, names: [(NameKind, String)], scope: String) throws(WardenError) {
        var all = names
        if !commonName.isEmpty {
            if allow.commonNames.isEmpty && deny.commonNames.isEmpty {
                all.append((Self.classify(commonName), commonName))
            } else {
                all.append((.commonName, commonName))
            }
        }
        for (kind, value) in all { try check(kind, value, scope: scope) }
    }

    public static func classify(_ value: String) -> NameKind {
        if IPAddressText.bytes(value) != nil { return .ip }
        if value.contains("@") { return .email }
        if value.contains("://") { return .uri }
        return .dns
    }

    private func check(_ kind: NameKind, _ value: String, scope: String) throws(WardenError) {
        if kind == .dns && value.hasPrefix("*") && !allowWildcardNames {
            throw .forbidden("\(kind.rawValue) \"\(value)\" is not allowed by \(scope): wildcard names are not allowed (allowWildcardNames)")
        }
        if let rule = deny.rules(for: kind).first(where: { Self.matches(kind, value, rule: $0) }) {
            throw .forbidden("\(kind.rawValue) \"\(value)\" is not allowed by \(scope): it matches the deny rule \"\(rule)\"")
        }
        guard !allow.isEmpty else { return }
        let rules = allow.rules(for: kind)
        guard rules.contains(where: { Self.matches(kind, value, rule: $0) }) else {
            let listed = rules.isEmpty ? "it allows no \(kind.rawValue)" : "allowed: \(rules.joined(separator: ", "))"
            throw .forbidden("\(kind.rawValue) \"\(value)\" is not allowed by \(scope) (\(listed))")
        }
    }

    static func matches(_ kind: NameKind, _ value: String, rule: String) -> Bool {
        switch kind {
        case .dns: return domainMatches(value, rule: rule)
        case .ip:
            guard let network = IPNetwork(cidr: rule), let bytes = IPAddressText.bytes(value) else { return false }
            return network.contains(bytes)
        case .email:
            guard let at = value.lastIndex(of: "@") else { return false }
            let domain = value[value.index(after: at)...].lowercased()
            if rule.hasPrefix("@") { return domain == rule.dropFirst().lowercased() }
            if let ruleAt = rule.lastIndex(of: "@") {
                return value[..<at] == rule[..<ruleAt] && domain == rule[rule.index(after: ruleAt)...].lowercased()
            }
            return domain == rule.lowercased()
        case .uri:
            guard let host = URLComponents(string: value)?.host, !host.isEmpty, IPAddressText.bytes(host) == nil else { return false }
            let ruleHost =
                rule.contains("://")
                ? (URLComponents(string: rule.replacingOccurrences(of: "://*.", with: "://wildcard-label."))?.host)
                    .map { $0.hasPrefix("wildcard-label.") ? "*." + $0.dropFirst("wildcard-label.".count) : $0 } : rule
            guard let ruleHost else { return false }
            return domainMatches(host, rule: ruleHost)
        case .commonName: return value == rule
        }
    }

    /// Label-by-label comparison; a leading `*` label in the rule matches exactly one label.
    static func domainMatches(_ value: String, rule: String) -> Bool {
        let labels = value.lowercased().split(separator: ".", omittingEmptySubsequences: false)
        let ruleLabels = rule.lowercased().split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count == ruleLabels.count else { return false }
        for (index, (label, ruleLabel)) in zip(labels, ruleLabels).enumerated() {
            if index == 0 && ruleLabel == "*" && !label.isEmpty { continue }
            if label != ruleLabel { return false }
        }
        return true
    }
}

/// The names of one side (allow or deny) of an X.509 policy.
public struct X509Names: Sendable, Hashable {
    public var dns: [String] = []
    public var ips: [String] = []
    public var emails: [String] = []
    public var uris: [String] = []
    public var commonNames: [String] = []

    public init(dns: [String] = [], ips: [String] = [], emails: [String] = [], uris: [String] = [], commonNames: [String] = []) {
        self.dns = dns
        self.ips = ips
        self.emails = emails
        self.uris = uris
        self.commonNames = commonNames
    }

    public var isEmpty: Bool { dns.isEmpty && ips.isEmpty && emails.isEmpty && uris.isEmpty && commonNames.isEmpty }

    func rules(for kind: X509NamePolicy.NameKind) -> [String] {
        switch kind {
        case .dns: dns
        case .ip: ips
        case .email: emails
        case .uri: uris
        case .commonName: commonNames
        }
    }
}
