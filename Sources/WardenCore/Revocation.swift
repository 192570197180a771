import Foundation

/// A revoked serial and why. `method` records how the revocation was authorised, for the audit trail.
public struct Revocation: Hashable, Sendable {
    public enum Method: String, Hashable, Sendable, Codable {
        case token
        case mtls
        case admin
    }

    public var serial: SerialNumber
    public var reasonCode: RevocationReason
    public var reason: String
    public var revokedAt: Date
    public var revokedBy: String
    public var method: Method
    public var passive: Bool
    /// The certificate's own expiry, when known, so CRLs can drop long-expired entries.
    public var certificateNotAfter: Date?

    public init(
        serial: SerialNumber, reasonCode: RevocationReason, reason: String, revokedAt: Date, revokedBy: String,
        method: Method, passive: Bool = true, certificateNotAfter: Date? = nil
    ) {
        self.serial = serial
        self.reasonCode = reasonCode
        self.reason = reason
        self.revokedAt = revokedAt
        self.revokedBy = revokedBy
        self.method = method
        self.passive = passive
        self.certificateNotAfter = certificateNotAfter
    }
}
