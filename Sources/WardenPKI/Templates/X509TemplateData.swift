import Foundation
import SwiftASN1
import WardenCore
import WardenTemplate
import X509

/// The data an X.509 template sees, in step's model (`go.step.sm/crypto/x509util.TemplateData`):
///
/// - `.Subject` — `x509util.Subject` with the token's subject as `CommonName` (`toJson` gives `{"commonName": …}`);
/// - `.SANs` — the token's SANs as `[{Type, Value}]`, classified as step does (ip, uri, email, dns);
/// - `.Token` — the token's payload claims, as decoded JSON;
/// - `.Insecure.CR` — the CSR: `Subject`, `DNSNames`, `EmailAddresses`, `IPAddresses`, `URIs`, `PublicKey`
///   (`typeIs "*rsa.PublicKey"`, `"*ecdsa.PublicKey"`, `"ed25519.PublicKey"`), `PublicKeyAlgorithm`;
/// - `.Insecure.User` — the request's `templateData` (only when the provisioner has its own template, as step-ca);
/// - `.AuthorizationCrt` / `.AuthorizationChain` — for X5C, the token's certificate chain (leaf first): `Subject`
///   (`CommonName`, `Organization`, …), `DNSNames`, `EmailAddresses`, `IPAddresses`, `URIs`, `SerialNumber`,
///   `NotBefore`, `NotAfter`;
/// - `.Webhooks.<name>` — the `data` of the provisioner's ENRICHING webhooks;
/// - the provisioner's `templateData` keys at the top level (they replace built-in keys of the same name).
public struct X509TemplateData: Sendable {
    public var subject: String
    public var sans: [String]
    public var tokenPayload: TemplateJSON?
    public var csr: CertificateSigningRequest
    public var userData: TemplateJSON?
    public var provisionerData: TemplateJSON?
    public var authorizationChain: [Certificate]
    /// The ENRICHING webhooks' answers by webhook name (`.Webhooks.<name>`).
    public var webhooks: [String: TemplateJSON] = [:]

    public init(
        subject: String, sans: [String], tokenPayload: TemplateJSON?, csr: CertificateSigningRequest, userData: TemplateJSON? = nil,
        provisionerData: TemplateJSON? = nil, authorizationChain: [Certificate] = []
    ) {
        self.subject = subject
        self.sans = sans
        self.tokenPayload = tokenPayload
        self.csr = csr
        self.userData = userData
        self.provisionerData = provisionerData
        self.authorizationChain = authorizationChain
    }

    /// The dot of the template.
    public var value: TemplateValue {
        var data: [String: TemplateValue] = [
            "Subject": .object(Self.subject(commonName: subject)),
            "SANs": .list(sans.map { Self.subjectAlternativeName(SubjectAlternativeName(classifying: $0)) }, element: .subjectAlternativeName),
        ]
        if let tokenPayload { data["Token"] = TemplateValue(json: tokenPayload) }
        var insecure: [String: TemplateValue] = ["CR": .object(Self.certificateRequest(csr))]
        if let userData {
            // step-ca: a templateData that is not a JSON object becomes an empty object.
            if case .object = userData { insecure["User"] = TemplateValue(json: userData) } else { insecure["User"] = .anyMap([:]) }
        }
        data["Insecure"] = .anyMap(insecure)
        if let leaf = authorizationChain.first {
            data["AuthorizationCrt"] = .object(Self.certificate(leaf))
            data["AuthorizationChain"] = .list(authorizationChain.map { .object(Self.certificate($0)) }, element: .certificate)
        }
        if !webhooks.isEmpty { data["Webhooks"] = .anyMap(webhooks.mapValues(TemplateValue.init(json:))) }
        if case .object(let entries) = provisionerData {
            for (key, value) in entries { data[key] = TemplateValue(json: value) }
        }
        return .anyMap(data)
    }

    static func strings(_ values: [String]) -> TemplateValue { .list(values.map { .string($0) }, element: .string) }

    static func subject(commonName: String, from name: DistinguishedName? = nil) -> TemplateObject {
        func attribute(_ oid: ASN1ObjectIdentifier) -> [String] {
            (name ?? DistinguishedName()).flatMap { $0 }.filter { $0.type == oid }.map { "\($0.value)" }
        }
        func field(_ goName: String, _ json: String, _ value: TemplateValue) -> TemplateObject.Field {
            TemplateObject.Field(name: goName, jsonName: json, omitEmpty: true, value: value)
        }
        return TemplateObject(
            typeName: "x509util.Subject",
            fields: [
                field("Country", "country", strings(attribute(.RDNAttributeType.countryName))),
                field("Organization", "organization", strings(attribute(.RDNAttributeType.organizationName))),
                field("OrganizationalUnit", "organizationalUnit", strings(attribute(.RDNAttributeType.organizationalUnitName))),
                field("Locality", "locality", strings(attribute(.RDNAttributeType.localityName))),
                field("Province", "province", strings(attribute(.RDNAttributeType.stateOrProvinceName))),
                field("StreetAddress", "streetAddress", strings(attribute(.RDNAttributeType.streetAddress))),
                field("PostalCode", "postalCode", strings(attribute(ASN1ObjectIdentifier(arrayLiteral: 2, 5, 4, 17)))),
                field("SerialNumber", "serialNumber", .string(attribute(ASN1ObjectIdentifier(arrayLiteral: 2, 5, 4, 5)).first ?? "")),
                field("CommonName", "commonName", .string(commonName)),
                field("ExtraNames", "extraNames", .list([], element: .any)),
            ])
    }

    static func subjectAlternativeName(_ name: SubjectAlternativeName) -> TemplateValue {
        let type: String
        switch name {
        case .dns: type = "dns"
        case .ip: type = "ip"
        case .email: type = "email"
        case .uri: type = "uri"
        }
        return .object(
            TemplateObject(
                typeName: "x509util.SubjectAlternativeName",
                fields: [
                    TemplateObject.Field(name: "Type", jsonName: "type", omitEmpty: false, value: .string(type)),
                    TemplateObject.Field(name: "Value", jsonName: "value", omitEmpty: false, value: .string(name.value)),
                ]))
    }

    /// The Go type `typeIs` sees for a public key, and x509's algorithm name.
    static func publicKeyType(_ key: Certificate.PublicKey) -> (type: String, algorithm: String) {
        switch PublicKeyKind(key) {
        case .rsa: return ("*rsa.PublicKey", "RSA")
        case .ecdsa: return ("*ecdsa.PublicKey", "ECDSA")
        case .ed25519: return ("ed25519.PublicKey", "Ed25519")
        }
    }

    public static func certificateRequest(_ csr: CertificateSigningRequest) -> TemplateObject {
        let names = CertificateRequestNames.names(of: csr)
        let key = publicKeyType(csr.publicKey)
        func field(_ goName: String, _ json: String, _ value: TemplateValue) -> TemplateObject.Field {
            TemplateObject.Field(name: goName, jsonName: json, omitEmpty: false, value: value)
        }
        func values(_ filter: (SubjectAlternativeName) -> String?) -> TemplateValue { strings(names.sans.compactMap(filter)) }
        return TemplateObject(
            typeName: "*x509util.CertificateRequest",
            fields: [
                field("Version", "version", .int(0, .int)),
                field("Subject", "subject", .object(subject(commonName: names.commonName ?? "", from: csr.subject))),
                field("DNSNames", "dnsNames", values { if case .dns(let v) = $0 { v } else { nil } }),
                field("EmailAddresses", "emailAddresses", values { if case .email(let v) = $0 { v } else { nil } }),
                field("IPAddresses", "ipAddresses", values { if case .ip(let v) = $0 { v } else { nil } }),
                field("URIs", "uris", values { if case .uri(let v) = $0 { v } else { nil } }),
                field("SANs", "sans", .list(names.sans.map(subjectAlternativeName), element: .subjectAlternativeName)),
                field("Extensions", "extensions", .list([], element: .any)),
                field("PublicKey", "", .opaque(typeName: key.type, description: "&{\(key.algorithm) public key}")),
                field("PublicKeyAlgorithm", "", .string(key.algorithm)),
            ])
    }

    static func certificate(_ certificate: Certificate) -> TemplateObject {
        let names = (try? certificate.extensions.subjectAlternativeNames)??.compactMap(SubjectAlternativeName.init) ?? []
        let commonName = certificate.subject.flatMap { $0 }.first { $0.type == .RDNAttributeType.commonName }.map { "\($0.value)" } ?? ""
        var subjectObject = subject(commonName: commonName, from: certificate.subject)
        subjectObject.typeName = "pkix.Name"
        for index in subjectObject.fields.indices {
            subjectObject.fields[index].jsonName = subjectObject.fields[index].name
            subjectObject.fields[index].omitEmpty = false
        }
        func field(_ goName: String, _ value: TemplateValue) -> TemplateObject.Field {
            TemplateObject.Field(name: goName, jsonName: goName, omitEmpty: false, value: value)
        }
        func values(_ filter: (SubjectAlternativeName) -> String?) -> TemplateValue { strings(names.compactMap(filter)) }
        return TemplateObject(
            typeName: "*x509.Certificate",
            fields: [
                field("Subject", .object(subjectObject)),
                field("DNSNames", values { if case .dns(let v) = $0 { v } else { nil } }),
                field("EmailAddresses", values { if case .email(let v) = $0 { v } else { nil } }),
                field("IPAddresses", values { if case .ip(let v) = $0 { v } else { nil } }),
                field("URIs", values { if case .uri(let v) = $0 { v } else { nil } }),
                field("SerialNumber", .string(certificate.wardenSerial.decimal)),
                field("NotBefore", .string(ProtoTimestamp.format(certificate.notValidBefore))),
                field("NotAfter", .string(ProtoTimestamp.format(certificate.notValidAfter))),
            ])
    }
}

extension CertificateDescription.NameDescription {
    /// step-ca's `withDefaultASN1DN`: each attribute the template left empty takes ca.json's `authority.template`.
    public mutating func applyDefaults(_ defaults: SubjectDefaults?) {
        guard let defaults else { return }
        func fill(_ list: inout [String], _ value: String?) {
            if list.isEmpty, let value, !value.isEmpty { list = [value] }
        }
        fill(&country, defaults.country)
        fill(&organization, defaults.organization)
        fill(&organizationalUnit, defaults.organizationalUnit)
        fill(&locality, defaults.locality)
        fill(&province, defaults.province)
        fill(&streetAddress, defaults.streetAddress)
        if serialNumber.isEmpty, let value = defaults.serialNumber { serialNumber = value }
        if commonName.isEmpty, let value = defaults.commonName { commonName = value }
    }
}
