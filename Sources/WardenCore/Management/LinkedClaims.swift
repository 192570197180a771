import Foundation

/// Converts between linkedca's nested claims (`{"x509":{"durations":{"min":"5m"}},"disableRenewal":true}`)
/// and ca.json's flat ``Claims``.
public enum LinkedClaims {
    public static func toClaims(_ value: JSONValue?) -> Claims {
        var claims = Claims()
        guard let value else { return claims }
        func duration(_ v: JSONValue?) -> GoDuration? {
            v?.stringValue.flatMap { $0.isEmpty ? nil : GoDuration(parsing: $0) }
        }
        let x509Durations = value["x509"]?["durations"]
        claims.minTLSCertDuration = duration(x509Durations?["min"])
        claims.maxTLSCertDuration = duration(x509Durations?["max"])
        claims.defaultTLSCertDuration = duration(x509Durations?["default"])
        if let ssh = value["ssh"] {
            claims.enableSSHCA = ssh["enabled"]?.boolValue
            claims.minUserSSHCertDuration = duration(ssh["userDurations"]?["min"])
            claims.maxUserSSHCertDuration = duration(ssh["userDurations"]?["max"])
            claims.defaultUserSSHCertDuration = duration(ssh["userDurations"]?["default"])
            claims.minHostSSHCertDuration = duration(ssh["hostDurations"]?["min"])
            claims.maxHostSSHCertDuration = duration(ssh["hostDurations"]?["max"])
            claims.defaultHostSSHCertDuration = duration(ssh["hostDurations"]?["default"])
        }
        claims.disableRenewal = value["disableRenewal"]?.boolValue
        claims.allowRenewalAfterExpiry = value["allowRenewalAfterExpiry"]?.boolValue
        claims.disableSmallstepExtensions = value["disableSmallstepExtensions"]?.boolValue
        return claims
    }

    public static func fromClaims(_ claims: Claims?) -> JSONValue? {
        guard let claims else { return nil }
        func durations(_ def: GoDuration?, _ min: GoDuration?, _ max: GoDuration?) -> JSONValue? {
            var object: [String: JSONValue] = [:]
            if let def { object["default"] = .string(def.description) }
            if let min { object["min"] = .string(min.description) }
            if let max { object["max"] = .string(max.description) }
            return object.isEmpty ? nil : .object(object)
        }
        var object: [String: JSONValue] = [:]
        var x509: [String: JSONValue] = ["enabled": .bool(true)]
        if let d = durations(claims.defaultTLSCertDuration, claims.minTLSCertDuration, claims.maxTLSCertDuration) {
            x509["durations"] = d
        }
        object["x509"] = .object(x509)
        if claims.enableSSHCA != nil || claims.defaultUserSSHCertDuration != nil || claims.defaultHostSSHCertDuration != nil {
            var ssh: [String: JSONValue] = ["enabled": .bool(claims.enableSSHCA ?? false)]
            ssh["userDurations"] = durations(claims.defaultUserSSHCertDuration, claims.minUserSSHCertDuration, claims.maxUserSSHCertDuration)
            ssh["hostDurations"] = durations(claims.defaultHostSSHCertDuration, claims.minHostSSHCertDuration, claims.maxHostSSHCertDuration)
            object["ssh"] = .object(ssh)
        }
        if let v = claims.disableRenewal { object["disableRenewal"] = .bool(v) }
        if let v = claims.allowRenewalAfterExpiry { object["allowRenewalAfterExpiry"] = .bool(v) }
        if let v = claims.disableSmallstepExtensions { object["disableSmallstepExtensions"] = .bool(v) }
        return .object(object)
    }
}
