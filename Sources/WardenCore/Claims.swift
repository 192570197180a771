import Foundation

/// Certificate lifetime and renewal rules, in ca.json's `claims` shape.
///
/// Claims appear at two levels (the authority and each provisioner); every field is optional so a provisioner
/// states only what it overrides. ``ClaimsPolicy`` resolves the effective values.
public struct Claims: Hashable, Sendable, Codable {
    public var minTLSCertDuration: GoDuration?
    public var maxTLSCertDuration: GoDuration?
    public var defaultTLSCertDuration: GoDuration?
    public var disableRenewal: Bool?
    public var allowRenewalAfterExpiry: Bool?
    public var disableSmallstepExtensions: Bool?
    public var enableSSHCA: Bool?
    public var minUserSSHCertDuration: GoDuration?
    public var maxUserSSHCertDuration: GoDuration?
    public var defaultUserSSHCertDuration: GoDuration?
    public var minHostSSHCertDuration: GoDuration?
    public var maxHostSSHCertDuration: GoDuration?
    public var defaultHostSSHCertDuration: GoDuration?

    public init(
        minTLSCertDuration: GoDuration? = nil,
        maxTLSCertDuration: GoDuration? = nil,
        defaultTLSCertDuration: GoDuration? = nil,
        disableRenewal: Bool? = nil,
        allowRenewalAfterExpiry: Bool? = nil
    ) {
        self.minTLSCertDuration = minTLSCertDuration
        self.maxTLSCertDuration = maxTLSCertDuration
        self.defaultTLSCertDuration = defaultTLSCertDuration
        self.disableRenewal = disableRenewal
        self.allowRenewalAfterExpiry = allowRenewalAfterExpiry
    }

    /// Rejects durations that are not positive and bounds that contradict each other, naming the field.
    public func validate() throws(WardenError) {
        let pairs: [(String, GoDuration?)] = [
            ("minTLSCertDuration", minTLSCertDuration), ("maxTLSCertDuration", maxTLSCertDuration),
            ("defaultTLSCertDuration", defaultTLSCertDuration),
            ("minUserSSHCertDuration", minUserSSHCertDuration), ("maxUserSSHCertDuration", maxUserSSHCertDuration),
            ("defaultUserSSHCertDuration", defaultUserSSHCertDuration),
            ("minHostSSHCertDuration", minHostSSHCertDuration), ("maxHostSSHCertDuration", maxHostSSHCertDuration),
            ("defaultHostSSHCertDuration", defaultHostSSHCertDuration),
        ]
        for case (let name, let value?) in pairs where value.nanoseconds <= 0 {
            throw .badRequest("claims.\(name): duration must be greater than zero, got \"\(value)\"")
        }
        if let min = minTLSCertDuration, let max = maxTLSCertDuration, min > max {
            throw .badRequest(
                "claims.minTLSCertDuration: min duration \"\(min)\" cannot be greater than max duration \"\(max)\"")
        }
        if let def = defaultTLSCertDuration, let min = minTLSCertDuration, def < min {
            throw .badRequest(
                "claims.defaultTLSCertDuration: default duration \"\(def)\" is less than min duration \"\(min)\"")
        }
        if let def = defaultTLSCertDuration, let max = maxTLSCertDuration, def > max {
            throw .badRequest(
                "claims.defaultTLSCertDuration: default duration \"\(def)\" is greater than max duration \"\(max)\"")
        }
    }
}

/// The effective X.509 rules for one provisioner: its own claims over the authority's over step-ca's defaults
/// (min 5m, max 24h, default 24h, renewal allowed, no renewal after expiry).
public struct ClaimsPolicy: Hashable, Sendable {
    public var minDuration: GoDuration
    public var maxDuration: GoDuration
    public var defaultDuration: GoDuration
    public var disableRenewal: Bool
    public var allowRenewalAfterExpiry: Bool
    public var disableSmallstepExtensions: Bool

    public static let stepDefaults = ClaimsPolicy(
        minDuration: .minutes(5), maxDuration: .hours(24), defaultDuration: .hours(24),
        disableRenewal: false, allowRenewalAfterExpiry: false, disableSmallstepExtensions: false)

    public init(
        minDuration: GoDuration, maxDuration: GoDuration, defaultDuration: GoDuration,
        disableRenewal: Bool, allowRenewalAfterExpiry: Bool, disableSmallstepExtensions: Bool
    ) {
        self.minDuration = minDuration
        self.maxDuration = maxDuration
        self.defaultDuration = defaultDuration
        self.disableRenewal = disableRenewal
        self.allowRenewalAfterExpiry = allowRenewalAfterExpiry
        self.disableSmallstepExtensions = disableSmallstepExtensions
    }

    /// Layers `claims` (most specific last) over the defaults.
    public init(layering claims: [Claims?], over base: ClaimsPolicy = .stepDefaults) {
        self = base
        for case let c? in claims {
            if let v = c.minTLSCertDuration { minDuration = v }
            if let v = c.maxTLSCertDuration { maxDuration = v }
            if let v = c.defaultTLSCertDuration { defaultDuration = v }
            if let v = c.disableRenewal { disableRenewal = v }
            if let v = c.allowRenewalAfterExpiry { allowRenewalAfterExpiry = v }
            if let v = c.disableSmallstepExtensions { disableSmallstepExtensions = v }
        }
    }

    /// Checks a requested lifetime (seconds, any value a client can make) against the bounds, allowing the one
    /// minute of back-dating step applies. Compared as floating point before any conversion, so no lifetime,
    /// however absurd, can trap.
    public func check(lifetime seconds: Double) throws(WardenError) {
        let slack = 60.0
        let shown = Self.describe(seconds)
        if seconds + slack < minDuration.seconds {
            throw .forbidden("requested duration of \(shown) is less than the authorized minimum certificate duration of \(minDuration)")
        }
        if !(seconds <= maxDuration.seconds + slack) {
            throw .forbidden("requested duration of \(shown) is more than the authorized maximum certificate duration of \(maxDuration)")
        }
    }

    /// A lifetime in Go's duration syntax when it fits (±292 years), else in days.
    static func describe(_ seconds: Double) -> String {
        let nanoseconds = (seconds * 1e9).rounded()
        if let exact = Int64(exactly: nanoseconds) { return GoDuration(nanoseconds: exact).description }
        return "\(Int64(exactly: (seconds / 86400).rounded()).map(String.init) ?? "an unrepresentable number of") days"
    }
}
