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

    /// Checks bounds in linkedca's own terms, naming e.g. `claims.x509.durations.min` in errors.
    public static func validate(_ value: JSONValue) throws(WardenError) {
        let groups: [(String, JSONValue?)] = [
            ("claims.x509.durations", value["x509"]?["durations"]),
            ("claims.ssh.userDurations", value["ssh"]?["userDurations"]),
            ("claims.ssh.hostDurations", value["ssh"]?["hostDurations"]),
        ]
        for case (let path, let durations?) in groups {
            func read(_ key: String) throws(WardenError) -> GoDuration? {
                guard let text = durations[key]?.stringValue, !text.isEmpty else { return nil }
                guard let duration = GoDuration(parsing: text) else { throw .badRequest("\(path).\(key): invalid duration \"\(text)\"") }
                guard duration.nanoseconds > 0 else { throw .badRequest("\(path).\(key): duration must be greater than zero") }
                return duration
            }
            let min = try read("min")
            let max = try read("max")
            let def = try read("default")
            if let min, let max, min > max {
                throw .badRequest("\(path).min: min duration \"\(min)\" cannot be greater than max duration \"\(max)\"")
            }
            if let def, let min, def < min {
                throw .badRequest("\(path).default: default duration \"\(def)\" is less than min duration \"\(min)\"")
            }
            if let def, let max, def > max {
                throw .badRequest("\(path).default: default duration \"\(def)\" is greater than max duration \"\(max)\"")
            }
        }
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
