import Foundation

/// `POST /1.0/sign` body, as step's Go client sends it.
public struct SignRequest: Codable, Sendable, Hashable {
    /// PEM CSR.
    public var csr: String
    public var ott: String
    /// RFC 3339 time or Go duration relative to now; empty means the provisioner default.
    public var notBefore: String?
    public var notAfter: String?
    /// step's `templateData`: what the requester adds for the template as `.Insecure.User` (any JSON; step-ca turns
    /// anything but an object into `{}`). Used only when the provisioner has its own template.
    public var templateData: JSONValue?

    public init(csr: String, ott: String, notBefore: String? = nil, notAfter: String? = nil, templateData: JSONValue? = nil) {
        self.csr = csr
        self.ott = ott
        self.notBefore = notBefore
        self.notAfter = notAfter
        self.templateData = templateData
    }

    enum CodingKeys: String, CodingKey { case csr, ott, notBefore, notAfter, templateData }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.csr = try container.decode(String.self, forKey: .csr)
        self.ott = try container.decode(String.self, forKey: .ott)
        self.notBefore = try Self.decodeTime(container, .notBefore)
        self.notAfter = try Self.decodeTime(container, .notAfter)
        self.templateData = try container.decodeIfPresent(JSONValue.self, forKey: .templateData)
    }

    /// Go's `TimeDuration` marshals as a string, or null when unset.
    private static func decodeTime(_ container: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) throws -> String? {
        guard container.contains(key), try !container.decodeNil(forKey: key) else { return nil }
        return try container.decodeIfPresent(String.self, forKey: key)
    }
}

/// `/sign` and `/renew` response (201).
public struct SignResponse: Codable, Sendable, Hashable {
    /// Leaf PEM.
    public var crt: String
    /// Issuer (intermediate) PEM.
    public var ca: String
    /// Leaf then intermediate.
    public var certChain: [String]

    public init(crt: String, ca: String, certChain: [String]) {
        self.crt = crt
        self.ca = ca
        self.certChain = certChain
    }
}

/// `POST /1.0/revoke` body.
public struct RevokeRequest: Codable, Sendable, Hashable {
    public var serial: String
    public var ott: String?
    public var reasonCode: Int?
    public var reason: String?
    public var passive: Bool?

    public init(serial: String, ott: String?, reasonCode: Int?, reason: String?, passive: Bool? = true) {
        self.serial = serial
        self.ott = ott
        self.reasonCode = reasonCode
        self.reason = reason
        self.passive = passive
    }
}

/// `{"status":"ok"}`.
public struct StatusResponse: Codable, Sendable, Hashable {
    public var status: String

    public init(status: String = "ok") { self.status = status }
}

/// Public provisioner list page.
public struct ProvisionersPage: Codable, Sendable {
    public var provisioners: [Provisioner]
    public var nextCursor: String

    public init(provisioners: [Provisioner], nextCursor: String) {
        self.provisioners = provisioners
        self.nextCursor = nextCursor
    }
}

/// `{"crts":[PEM...]}` of `/roots` and `/federation`.
public struct RootsResponse: Codable, Sendable, Hashable {
    public var crts: [String]

    public init(crts: [String]) { self.crts = crts }
}

/// The public error body `{"status":N,"message":"..."}`.
public struct PublicErrorBody: Codable, Sendable, Hashable {
    public var status: Int
    public var message: String

    public init(status: Int, message: String) {
        self.status = status
        self.message = message
    }
}
