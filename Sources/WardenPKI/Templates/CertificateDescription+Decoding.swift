import Foundation
import SwiftASN1
import WardenCore
import WardenTemplate
import X509

extension CertificateDescription {
    /// Go's `encoding/json` field matching: exact key first, else case-insensitive.
    struct Fields {
        let object: [String: TemplateJSON]

        subscript(name: String) -> TemplateJSON? {
            if let value = object[name] { return value == .null ? nil : value }
            let lowered = name.lowercased()
            return object.first { $0.key.lowercased() == lowered }.flatMap { $0.value == .null ? nil : $0.value }
        }
    }

    init(object: [String: TemplateJSON]) throws(WardenError) {
        self.init()
        let fields = Fields(object: object)
        if let subject = fields["subject"] { self.subject = try Self.name(subject, field: "subject") }
        dnsNames = try Self.strings(fields["dnsNames"], field: "dnsNames")
        emailAddresses = try Self.strings(fields["emailAddresses"], field: "emailAddresses")
        ipAddresses = try Self.strings(fields["ipAddresses"], field: "ipAddresses")
        for address in ipAddresses where IPAddressText.bytes(address) == nil {
            throw .badRequest("ipAddresses: \(address) is not an IP address")
        }
        uris = try Self.strings(fields["uris"], field: "uris")
        sans = try Self.sans(fields["sans"])
        keyUsage = try Self.keyUsage(fields["keyUsage"])
        extKeyUsage = try Self.extKeyUsage(fields["extKeyUsage"])
        for oid in try Self.oids(fields["unknownExtKeyUsage"], field: "unknownExtKeyUsage") {
            extKeyUsage.append(ExtendedKeyUsage.Usage(oid: oid))
        }
        if let constraints = fields["basicConstraints"] {
            guard case .object(let object) = constraints else { throw .badRequest("basicConstraints: expected an object") }
            let inner = Fields(object: object)
            basicConstraints = BasicConstraintsDescription(
                isCA: try Self.bool(inner["isCA"], field: "basicConstraints.isCA"),
                maxPathLength: try Self.int(inner["maxPathLen"], field: "basicConstraints.maxPathLen"))
        }
        if let constraints = fields["nameConstraints"] {
            guard case .object(let object) = constraints else { throw .badRequest("nameConstraints: expected an object") }
            let inner = Fields(object: object)
            var description = NameConstraintsDescription()
            description.critical = try Self.bool(inner["critical"], field: "nameConstraints.critical")
            description.permittedDNSDomains = try Self.strings(inner["permittedDNSDomains"], field: "nameConstraints.permittedDNSDomains")
            description.excludedDNSDomains = try Self.strings(inner["excludedDNSDomains"], field: "nameConstraints.excludedDNSDomains")
            description.permittedIPRanges = try Self.strings(inner["permittedIPRanges"], field: "nameConstraints.permittedIPRanges")
            description.excludedIPRanges = try Self.strings(inner["excludedIPRanges"], field: "nameConstraints.excludedIPRanges")
            for range in description.permittedIPRanges + description.excludedIPRanges where IPNetwork(cidr: range) == nil {
                throw .badRequest("nameConstraints: \(range) is not a CIDR range")
            }
            description.permittedEmailAddresses = try Self.strings(
                inner["permittedEmailAddresses"], field: "nameConstraints.permittedEmailAddresses")
            description.excludedEmailAddresses = try Self.strings(inner["excludedEmailAddresses"], field: "nameConstraints.excludedEmailAddresses")
            description.permittedURIDomains = try Self.strings(inner["permittedURIDomains"], field: "nameConstraints.permittedURIDomains")
            description.excludedURIDomains = try Self.strings(inner["excludedURIDomains"], field: "nameConstraints.excludedURIDomains")
            nameConstraints = description
        }
        crlDistributionPoints = try Self.strings(fields["crlDistributionPoints"], field: "crlDistributionPoints")
        issuingCertificateURL = try Self.strings(fields["issuingCertificateURL"], field: "issuingCertificateURL")
        ocspServer = try Self.strings(fields["ocspServer"], field: "ocspServer")
        policyIdentifiers = try Self.oids(fields["policyIdentifiers"], field: "policyIdentifiers")
        extensions = try Self.extensions(fields["extensions"])
    }

    static func strings(_ value: TemplateJSON?, field: String) throws(WardenError) -> [String] {
        switch value {
        case nil: return []
        case .string(let text): return text.isEmpty ? [] : [text]
        case .array(let values):
            var strings: [String] = []
            for value in values {
                guard case .string(let text) = value else { throw .badRequest("\(field): expected a string or a list of strings") }
                strings.append(text)
            }
            return strings
        default: throw .badRequest("\(field): expected a string or a list of strings")
        }
    }

    private static func bool(_ value: TemplateJSON?, field: String) throws(WardenError) -> Bool {
        switch value {
        case nil: return false
        case .bool(let flag): return flag
        default: throw .badRequest("\(field): expected true or false")
        }
    }

    private static func int(_ value: TemplateJSON?, field: String) throws(WardenError) -> Int {
        switch value {
        case nil: return 0
        case .number(let number):
            guard let integer = Int(exactly: number), abs(integer) <= 1_000 else {
                throw .badRequest("\(field): expected an integer from -1000 to 1000")
            }
            return integer
        default: throw .badRequest("\(field): expected an integer")
        }
    }

    /// The subject as an object (`{"commonName": …, "organization": […]}`), a string (the common name), or step's
    /// list form (`[{"type": "CN", "value": …}]`, types as short names, long names or OIDs).
    private static func name(_ value: TemplateJSON, field: String) throws(WardenError) -> NameDescription {
        var name = NameDescription()
        switch value {
        case .string(let commonName):
            name.commonName = commonName
        case .object(let object):
            let fields = Fields(object: object)
            name.country = try strings(fields["country"], field: "\(field).country")
            name.organization = try strings(fields["organization"], field: "\(field).organization")
            name.organizationalUnit = try strings(fields["organizationalUnit"], field: "\(field).organizationalUnit")
            name.locality = try strings(fields["locality"], field: "\(field).locality")
            name.province = try strings(fields["province"], field: "\(field).province")
            name.streetAddress = try strings(fields["streetAddress"], field: "\(field).streetAddress")
            name.postalCode = try strings(fields["postalCode"], field: "\(field).postalCode")
            name.serialNumber = try strings(fields["serialNumber"], field: "\(field).serialNumber").first ?? ""
            name.commonName = try strings(fields["commonName"], field: "\(field).commonName").first ?? ""
            if case .array(let extra) = fields["extraNames"] {
                for entry in extra { try name.append(attribute: entry, field: "\(field).extraNames") }
            }
        case .array(let attributes):
            for attribute in attributes { try name.append(attribute: attribute, field: field) }
        default:
            throw .badRequest("\(field): expected an object, a string or a list of {type, value}")
        }
        for text in [name.commonName, name.serialNumber] + name.country + name.organization + name.organizationalUnit + name.locality
            + name.province + name.streetAddress + name.postalCode + name.extraNames.map(\.1)
        {
            try CertificateNameRules.checkCommonName(text)
        }
        return name
    }

    private static func sans(_ value: TemplateJSON?) throws(WardenError) -> [SubjectAlternativeName] {
        guard let value else { return [] }
        guard case .array(let entries) = value else { throw .badRequest("sans: expected a list of {type, value}") }
        var names: [SubjectAlternativeName] = []
        for entry in entries {
            guard case .object(let object) = entry else { throw .badRequest("sans: expected a list of {type, value}") }
            let fields = Fields(object: object)
            let type = try strings(fields["type"], field: "sans.type").first ?? ""
            guard let text = try strings(fields["value"], field: "sans.value").first else { throw .badRequest("sans: an entry has no value") }
            switch type.lowercased() {
            case "dns": names.append(.dns(text))
            case "email": names.append(.email(text))
            case "ip":
                guard let canonical = IPAddressText.canonical(text) else { throw .badRequest("sans: \(text) is not an IP address") }
                names.append(.ip(canonical))
            case "uri":
                guard URL(string: text)?.scheme != nil else { throw .badRequest("sans: \(text) is not a URI") }
                names.append(.uri(text))
            case "", "auto": names.append(SubjectAlternativeName(classifying: text))
            default: throw .badRequest("sans: unsupported subject alternative name type \"\(type)\" (dns, email, ip, uri, auto)")
            }
        }
        return names
    }

    /// step's names, compared lower-cased without `_`: digitalSignature, contentCommitment, keyEncipherment,
    /// dataEncipherment, keyAgreement, certSign, crlSign, encipherOnly, decipherOnly.
    private static func keyUsage(_ value: TemplateJSON?) throws(WardenError) -> KeyUsage? {
        let names = try strings(value, field: "keyUsage")
        guard value != nil else { return nil }
        var usage = KeyUsage()
        for name in names {
            switch name.lowercased().replacingOccurrences(of: "_", with: "") {
            case "digitalsignature": usage.digitalSignature = true
            case "contentcommitment": usage.nonRepudiation = true
            case "keyencipherment": usage.keyEncipherment = true
            case "dataencipherment": usage.dataEncipherment = true
            case "keyagreement": usage.keyAgreement = true
            case "certsign": usage.keyCertSign = true
            case "crlsign": usage.cRLSign = true
            case "encipheronly": usage.encipherOnly = true
            case "decipheronly": usage.decipherOnly = true
            default: throw .badRequest("keyUsage: unsupported keyUsage \"\(name)\"")
            }
        }
        return usage
    }

    /// step's names: any, serverAuth, clientAuth, codeSigning, emailProtection, ipsecEndSystem, ipsecTunnel,
    /// ipsecUser, timeStamping, ocspSigning and the Microsoft/Netscape ones.
    private static func extKeyUsage(_ value: TemplateJSON?) throws(WardenError) -> [ExtendedKeyUsage.Usage] {
        var usages: [ExtendedKeyUsage.Usage] = []
        for name in try strings(value, field: "extKeyUsage") {
            let oid: ASN1ObjectIdentifier
            switch name.lowercased().replacingOccurrences(of: "_", with: "") {
            case "any": oid = [2, 5, 29, 37, 0]
            case "serverauth": oid = [1, 3, 6, 1, 5, 5, 7, 3, 1]
            case "clientauth": oid = [1, 3, 6, 1, 5, 5, 7, 3, 2]
            case "codesigning": oid = [1, 3, 6, 1, 5, 5, 7, 3, 3]
            case "emailprotection": oid = [1, 3, 6, 1, 5, 5, 7, 3, 4]
            case "ipsecendsystem": oid = [1, 3, 6, 1, 5, 5, 7, 3, 5]
            case "ipsectunnel": oid = [1, 3, 6, 1, 5, 5, 7, 3, 6]
            case "ipsecuser": oid = [1, 3, 6, 1, 5, 5, 7, 3, 7]
            case "timestamping": oid = [1, 3, 6, 1, 5, 5, 7, 3, 8]
            case "ocspsigning": oid = [1, 3, 6, 1, 5, 5, 7, 3, 9]
            case "microsoftservergatedcrypto": oid = [1, 3, 6, 1, 4, 1, 311, 10, 3, 3]
            case "netscapeservergatedcrypto": oid = [2, 16, 840, 1, 113730, 4, 1]
            case "microsoftcommercialcodesigning": oid = [1, 3, 6, 1, 4, 1, 311, 2, 1, 22]
            case "microsoftkernelcodesigning": oid = [1, 3, 6, 1, 4, 1, 311, 61, 1, 1]
            default: throw .badRequest("extKeyUsage: unsupported extKeyUsage \"\(name)\"")
            }
            usages.append(ExtendedKeyUsage.Usage(oid: oid))
        }
        return usages
    }

    static func oid(_ text: String, field: String) throws(WardenError) -> ASN1ObjectIdentifier {
        let arcs = text.split(separator: ".", omittingEmptySubsequences: false).map { UInt($0) }
        guard arcs.count >= 2, arcs.count <= 32, arcs.allSatisfy({ $0 != nil }), let first = arcs[0], first <= 2,
            let oid = try? ASN1ObjectIdentifier(dotRepresentation: text)
        else {
            throw .badRequest("\(field): \"\(text.prefix(60))\" is not an object identifier (1.2.3.4)")
        }
        return oid
    }

    private static func oids(_ value: TemplateJSON?, field: String) throws(WardenError) -> [ASN1ObjectIdentifier] {
        var result: [ASN1ObjectIdentifier] = []
        for text in try strings(value, field: field) { result.append(try oid(text, field: field)) }
        return result
    }

    private static func extensions(_ value: TemplateJSON?) throws(WardenError) -> [Certificate.Extension] {
        guard let value else { return [] }
        guard case .array(let entries) = value else { throw .badRequest("extensions: expected a list of {id, critical, value}") }
        var extensions: [Certificate.Extension] = []
        for entry in entries {
            guard case .object(let object) = entry else { throw .badRequest("extensions: expected a list of {id, critical, value}") }
            let fields = Fields(object: object)
            guard let idText = try strings(fields["id"], field: "extensions.id").first else { throw .badRequest("extensions: an entry has no id") }
            let oid = try oid(idText, field: "extensions.id")
            let encoded = try strings(fields["value"], field: "extensions.value").first ?? ""
            guard let bytes = Data(base64Encoded: encoded) else { throw .badRequest("extensions.value of \(idText): not base64") }
            guard let critical = fields["critical"].map({ $0 == .bool(true) }) ?? false as Bool? else { continue }
            if extensions.contains(where: { $0.oid == oid }) { throw .badRequest("extensions: \(idText) appears twice") }
            extensions.append(Certificate.Extension(oid: oid, critical: critical, value: Array(bytes)[...]))
        }
        return extensions
    }
}

extension CertificateDescription.NameDescription {
    /// Adds one `{type, value}` attribute of step's list form (or `extraNames`).
    mutating func append(attribute: TemplateJSON, field: String) throws(WardenError) {
        guard case .object(let object) = attribute else { throw .badRequest("\(field): expected {type, value} entries") }
        let fields = CertificateDescription.Fields(object: object)
        guard let type = try CertificateDescription.strings(fields["type"], field: "\(field).type").first,
            let value = try CertificateDescription.strings(fields["value"], field: "\(field).value").first
        else { throw .badRequest("\(field): every entry needs a type and a value") }
        switch type.lowercased() {
        case "cn", "commonname", "2.5.4.3": commonName = value
        case "c", "country", "2.5.4.6": country.append(value)
        case "o", "organization", "2.5.4.10": organization.append(value)
        case "ou", "organizationalunit", "2.5.4.11": organizationalUnit.append(value)
        case "l", "locality", "2.5.4.7": locality.append(value)
        case "st", "province", "2.5.4.8": province.append(value)
        case "street", "streetaddress", "2.5.4.9": streetAddress.append(value)
        case "postalcode", "2.5.4.17": postalCode.append(value)
        case "serialnumber", "2.5.4.5": serialNumber = value
        default: extraNames.append((try CertificateDescription.oid(type, field: "\(field).type"), value))
        }
    }
}
