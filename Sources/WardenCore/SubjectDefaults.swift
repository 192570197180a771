/// step's `ASN1DN` as ca.json's `authority.template` holds it: subject attributes applied to every X.509
/// certificate whose template left that attribute empty (step-ca's `withDefaultASN1DN`, applied after the template).
public struct SubjectDefaults: Hashable, Sendable, Codable {
    public var country: String?
    public var organization: String?
    public var organizationalUnit: String?
    public var locality: String?
    public var province: String?
    public var streetAddress: String?
    public var serialNumber: String?
    public var commonName: String?

    public init(
        country: String? = nil, organization: String? = nil, organizationalUnit: String? = nil, locality: String? = nil,
        province: String? = nil, streetAddress: String? = nil, serialNumber: String? = nil, commonName: String? = nil
    ) {
        self.country = country
        self.organization = organization
        self.organizationalUnit = organizationalUnit
        self.locality = locality
        self.province = province
        self.streetAddress = streetAddress
        self.serialNumber = serialNumber
        self.commonName = commonName
    }
}
