import Foundation

/// The validity a sign request asks for (`notBefore`/`notAfter`: RFC 3339 times or Go durations from now,
/// step's `TimeDuration`), resolved against the provisioner's claims and the issuing CA — with every check made
/// on dates and floating-point seconds before any integer arithmetic, so no value a client can send traps.
public struct RequestedValidity: Sendable, Hashable {
    public var notBefore: String?
    public var notAfter: String?

    public init(notBefore: String?, notAfter: String?) {
        self.notBefore = notBefore
        self.notAfter = notAfter
    }

    /// The validity to issue:
    /// - `notBefore` (default now) within the issuing CA's validity;
    /// - `notAfter` (default `notBefore` + the provisioner's default duration) after `notBefore` and in the
    ///   future, the lifetime within the claims (403 outside them, as step-ca answers);
    /// - nothing after the issuing CA's `notAfter`: a requested `notAfter` past it is refused (400 naming the
    ///   bound), the default is cut to it.
    public func resolve(policy: ClaimsPolicy, issuerValidity: ClosedRange<Date>, now: Date) throws(WardenError) -> ClosedRange<Date> {
        let requestedBefore = try Self.parse(notBefore, field: "notBefore", now: now)
        let requestedAfter = try Self.parse(notAfter, field: "notAfter", now: now)
        let start = requestedBefore ?? now
        if start < issuerValidity.lowerBound {
            throw .badRequest("notBefore: \(Self.text(start)) is before the issuing CA's notBefore \(Self.text(issuerValidity.lowerBound))")
        }
        if start > issuerValidity.upperBound {
            throw .badRequest("notBefore: \(Self.text(start)) is after the issuing CA's notAfter \(Self.text(issuerValidity.upperBound))")
        }
        var end = requestedAfter ?? start.addingTimeInterval(policy.defaultDuration.seconds)
        guard end > start else { throw .badRequest("notAfter: \(Self.text(end)) must be after notBefore \(Self.text(start))") }
        guard end > now else { throw .badRequest("notAfter: \(Self.text(end)) is in the past") }
        try policy.check(lifetime: end.timeIntervalSince(start))
        if end > issuerValidity.upperBound {
            guard requestedAfter == nil else {
                throw .badRequest(
                    "notAfter: \(Self.text(end)) is after the issuing CA's notAfter \(Self.text(issuerValidity.upperBound)); no certificate outlives its issuer"
                )
            }
            end = issuerValidity.upperBound
        }
        return start...end
    }

    /// RFC 3339 or a Go duration relative to `now`; empty is nil.
    static func parse(_ text: String?, field: String, now: Date) throws(WardenError) -> Date? {
        guard let text, !text.isEmpty else { return nil }
        if let duration = GoDuration(parsing: text) { return now.addingTimeInterval(duration.seconds) }
        if let date = ProtoTimestamp.parse(text) { return date }
        throw .badRequest("\(field): \(Self.quoted(text)) is neither an RFC 3339 time nor a duration")
    }

    static func text(_ date: Date) -> String { ProtoTimestamp.format(date) }

    static func quoted(_ text: String) -> String {
        "\"" + String(text.unicodeScalars.prefix(64).map { InputText.isControl($0) ? "?" : Character($0) }) + "\""
    }
}
