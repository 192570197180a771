import Foundation

/// What Warden remembers about every certificate it issued: enough to search the inventory without parsing DER,
/// plus the DER itself.
public struct CertificateRecord: Hashable, Sendable {
    public var serial: SerialNumber
    public var subject: String
    public var sans: [String]
    public var notBefore: Date
    public var notAfter: Date
    public var provisionerID: UUID?
    public var provisionerName: String
    public var provisionerType: ProvisionerType?
    public var keyAlgorithm: String
    public var fingerprintSHA256: String
    public var der: [UInt8]
    public var issuedAt: Date
    public var renewedFrom: SerialNumber?

    /// The SANs that are IP addresses, as inet_ntop writes them (what the inventory's address search indexes).
    public var ipAddresses: [String] { sans.compactMap(IPAddressText.canonical) }

    public init(
        serial: SerialNumber, subject: String, sans: [String], notBefore: Date, notAfter: Date,
        provisionerID: UUID?, provisionerName: String, provisionerType: ProvisionerType?, keyAlgorithm: String,
        fingerprintSHA256: String, der: [UInt8], issuedAt: Date, renewedFrom: SerialNumber?
    ) {
        self.serial = serial
        self.subject = subject
        self.sans = sans
        self.notBefore = notBefore
        self.notAfter = notAfter
        self.provisionerID = provisionerID
        self.provisionerName = provisionerName
        self.provisionerType = provisionerType
        self.keyAlgorithm = keyAlgorithm
        self.fingerprintSHA256 = fingerprintSHA256
        self.der = der
        self.issuedAt = issuedAt
        self.renewedFrom = renewedFrom
    }
}
