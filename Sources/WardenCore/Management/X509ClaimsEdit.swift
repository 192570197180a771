/// The claims a person edits most — X.509 certificate durations and the renewal switches — as one change that
/// can be applied to a provisioner's current claims without touching the rest (SSH durations, extensions).
///
/// Applied to a freshly read document just before the update, so a concurrent change to other claims survives.
public struct X509ClaimsEdit: Hashable, Sendable {
    public var defaultDuration: GoDuration?
    public var minDuration: GoDuration?
    public var maxDuration: GoDuration?
    public var disableRenewal: Bool
    public var allowRenewalAfterExpiry: Bool

    public init(
        defaultDuration: GoDuration?, minDuration: GoDuration?, maxDuration: GoDuration?, disableRenewal: Bool,
        allowRenewalAfterExpiry: Bool
    ) {
        self.defaultDuration = defaultDuration
        self.minDuration = minDuration
        self.maxDuration = maxDuration
        self.disableRenewal = disableRenewal
        self.allowRenewalAfterExpiry = allowRenewalAfterExpiry
    }

    /// The current values, for pre-filling a form.
    public init(current claims: Claims) {
        self.init(
            defaultDuration: claims.defaultTLSCertDuration, minDuration: claims.minTLSCertDuration,
            maxDuration: claims.maxTLSCertDuration, disableRenewal: claims.disableRenewal ?? false,
            allowRenewalAfterExpiry: claims.allowRenewalAfterExpiry ?? false)
    }

    /// `claims` (linkedca form) with the X.509 durations and renewal switches replaced.
    public func applied(to claims: JSONValue?) -> JSONValue {
        var object = claims?.objectValue ?? [:]
        var x509 = object["x509"]?.objectValue ?? ["enabled": .bool(true)]
        var durations: [String: JSONValue] = [:]
        if let defaultDuration { durations["default"] = .string(defaultDuration.description) }
        if let minDuration { durations["min"] = .string(minDuration.description) }
        if let maxDuration { durations["max"] = .string(maxDuration.description) }
        x509["durations"] = durations.isEmpty ? nil : .object(durations)
        object["x509"] = .object(x509)
        object["disableRenewal"] = .bool(disableRenewal)
        object["allowRenewalAfterExpiry"] = .bool(allowRenewalAfterExpiry)
        return .object(object)
    }
}
