import Foundation
import WardenCore

/// What names the CA writes into a certificate, checked before signing so that a name that cannot be encoded is
/// a 400 naming it — never a failure inside the encoder.
///
/// RFC 5280 §4.2.1.6 encodes DNS names, email addresses and URIs as IA5String (ASCII). Internationalised DNS
/// names are **refused**, not converted: send them as A-labels (`xn--…`), which is what RFC 5280 §7.2 asks
/// certificates to carry. Limits: a DNS name 253 characters (labels 63), an email address 254, a URI 1024, a
/// common name 255 (RFC 5280's upper bound of 64 is not enforced, as Go's crypto/x509 and step-ca do not).
public enum CertificateNameRules {
    public static let maximumDNSName = 253
    public static let maximumEmail = 254
    public static let maximumURI = 1024
    public static let maximumCommonName = 255

    /// Checks one subject alternative name.
    public static func check(_ name: SubjectAlternativeName) throws(WardenError) {
        switch name {
        case .dns(let value): try checkDNSName(value, field: "dns name")
        case .email(let value): try checkEmail(value)
        case .uri(let value): try checkURI(value)
        case .ip: break
        }
    }

    /// A common name: printable (no control characters), at most ``maximumCommonName`` characters.
    public static func checkCommonName(_ value: String) throws(WardenError) {
        if value.count > maximumCommonName {
            throw .badRequest("common name \"\(value.prefix(40))…\" is longer than \(maximumCommonName) characters")
        }
        if let bad = value.unicodeScalars.first(where: isControl) {
            throw .badRequest("common name \(quoted(value)) contains the control character U+\(hex(bad.value))")
        }
    }

    /// A DNS name (RFC 1034 as RFC 5280 §4.2.1.6 restricts it): ASCII letters, digits, `-` and `_`, dot-separated
    /// labels of 1–63 characters, optionally `*.` first.
    public static func checkDNSName(_ value: String, field: String) throws(WardenError) {
        guard !value.isEmpty else { throw .badRequest("\(field) is empty") }
        if let bad = value.unicodeScalars.first(where: { !$0.isASCII }) {
            throw .badRequest(
                "\(field) \(quoted(value)) is not ASCII (U+\(hex(bad.value))): internationalised names must be sent as A-labels (xn--…); "
                    + "certificates carry DNS names as IA5String")
        }
        guard value.utf8.count <= maximumDNSName else {
            throw .badRequest("\(field) \"\(value.prefix(40))…\" is longer than \(maximumDNSName) characters")
        }
        let labels = value.split(separator: ".", omittingEmptySubsequences: false)
        for (index, label) in labels.enumerated() {
            if label.isEmpty { throw .badRequest("\(field) \(quoted(value)) has an empty label") }
            if label.utf8.count > 63 { throw .badRequest("\(field) \(quoted(value)) has a label longer than 63 characters") }
            if label == "*" && index == 0 && labels.count > 1 { continue }
            guard label.utf8.allSatisfy({ isLetterOrDigit($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") }) else {
                throw .badRequest("\(field) \(quoted(value)) may contain only letters, digits, '-', '_' and a leading '*.'")
            }
        }
    }

    /// An email address: ASCII `local@domain`, the domain a DNS name.
    public static func checkEmail(_ value: String) throws(WardenError) {
        guard value.utf8.count <= maximumEmail else {
            throw .badRequest("email address \"\(value.prefix(40))…\" is longer than \(maximumEmail) characters")
        }
        if let bad = value.unicodeScalars.first(where: { !$0.isASCII || isControl($0) || $0 == " " }) {
            throw .badRequest(
                "email address \(quoted(value)) contains U+\(hex(bad.value)): certificates carry email addresses as IA5String (ASCII, no spaces)")
        }
        guard let at = value.lastIndex(of: "@"), at != value.startIndex else {
            throw .badRequest("email address \(quoted(value)) has no local part before '@'")
        }
        try checkDNSName(String(value[value.index(after: at)...]), field: "domain of email address \(quoted(value))")
    }

    /// A URI: ASCII, no spaces or control characters, with a scheme.
    public static func checkURI(_ value: String) throws(WardenError) {
        guard value.utf8.count <= maximumURI else {
            throw .badRequest("uri \"\(value.prefix(40))…\" is longer than \(maximumURI) characters")
        }
        if let bad = value.unicodeScalars.first(where: { !$0.isASCII || isControl($0) || $0 == " " }) {
            throw .badRequest("uri \(quoted(value)) contains U+\(hex(bad.value)): certificates carry URIs as IA5String (ASCII, no spaces)")
        }
        guard let colon = value.firstIndex(of: ":"), colon != value.startIndex,
            value[..<colon].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) })
        else { throw .badRequest("uri \(quoted(value)) has no scheme") }
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7f...0x9f).contains(scalar.value)
    }

    static func isLetterOrDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    static func hex(_ value: UInt32) -> String {
        let text = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - text.count)) + text
    }

    /// The value in quotes with control characters escaped, so an error message never carries them.
    static func quoted(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars.prefix(80) {
            if isControl(scalar) { out += "\\u{\(hex(scalar.value))}" } else { out.unicodeScalars.append(scalar) }
        }
        return out + (value.unicodeScalars.count > 80 ? "…\"" : "\"")
    }
}
