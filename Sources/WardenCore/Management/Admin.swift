import Foundation

/// An administrator: a certificate subject that, authenticated through a given provisioner, may manage the CA.
public struct Admin: Hashable, Sendable {
    public var id: UUID
    public var subject: String
    public var provisionerID: UUID
    public var role: AdminRole
    public var createdAt: Date
    public var updatedAt: Date
    public var deletedAt: Date?

    public init(
        id: UUID, subject: String, provisionerID: UUID, role: AdminRole, createdAt: Date, updatedAt: Date, deletedAt: Date? = nil
    ) {
        self.id = id
        self.subject = subject
        self.provisionerID = provisionerID
        self.role = role
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.deletedAt = deletedAt
    }
}
