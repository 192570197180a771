import Foundation

/// One row of the certificate inventory.
public struct CertificateSummary: Hashable, Sendable, Codable {
    public var serial: String
    public var serialHex: String
    public var subject: String
    public var sans: [String]
    public var notBefore: Date
    public var notAfter: Date
    public var status: String
    public var provisioner: String
    public var keyAlgorithm: String
    public var fingerprint: String
    public var issuedAt: Date
    public var revokedAt: Date?
    public var revocationReason: String?

    public init(
        serial: SerialNumber, subject: String, sans: [String], notBefore: Date, notAfter: Date, revokedAt: Date?,
        reason: RevocationReason?, provisioner: String, keyAlgorithm: String, fingerprint: String, issuedAt: Date, now: Date = Date()
    ) {
        self.serial = serial.decimal
        self.serialHex = serial.hex
        self.subject = subject
        self.sans = sans
        self.notBefore = notBefore
        self.notAfter = notAfter
        self.status = revokedAt != nil ? "revoked" : (notAfter <= now ? "expired" : "active")
        self.provisioner = provisioner
        self.keyAlgorithm = keyAlgorithm
        self.fingerprint = fingerprint
        self.issuedAt = issuedAt
        self.revokedAt = revokedAt
        self.revocationReason = reason?.name
    }
}

/// A page of any list, with the opaque cursor of the next page ("" when there is none).
public struct Page<Item: Sendable & Codable & Hashable>: Sendable, Codable, Hashable {
    public var items: [Item]
    public var nextCursor: String

    public init(items: [Item], nextCursor: String) {
        self.items = items
        self.nextCursor = nextCursor
    }
}

/// One revocation in `GET /admin/revocations`.
public struct RevocationSummary: Hashable, Sendable, Codable {
    public var serial: String
    public var serialHex: String
    public var reasonCode: Int
    public var reason: String
    public var reasonText: String
    public var revokedAt: Date
    public var revokedBy: String
    public var method: String
    public var provisioner: String?
    public var subject: String?
    public var notAfter: Date?

    public init(revocation: Revocation, provisioner: String?, subject: String?) {
        self.serial = revocation.serial.decimal
        self.serialHex = revocation.serial.hex
        self.reasonCode = revocation.reasonCode.rawValue
        self.reason = revocation.reasonCode.name
        self.reasonText = revocation.reason
        self.revokedAt = revocation.revokedAt
        self.revokedBy = revocation.revokedBy
        self.method = revocation.method.rawValue
        self.provisioner = provisioner
        self.subject = subject
        self.notAfter = revocation.certificateNotAfter
    }
}
