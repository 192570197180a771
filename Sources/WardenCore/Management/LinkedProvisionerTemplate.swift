import Foundation

/// A starting document for a new provisioner of any type, for people who write it by hand (the console opens it
/// in `$EDITOR`): every field linkedca defines for the type is present with an empty value, so the operator sees
/// what exists without reading the schema, and ``LinkedProvisionerTemplate/droppingEmptyFields(_:)`` removes
/// the ones left empty before the document is validated.
public enum LinkedProvisionerTemplate {
    public static func document(type: ProvisionerType, name: String) -> JSONValue {
        var details: [String: JSONValue] = [:]
        for (key, kind) in LinkedProvisionerSchema.types[type]?.fields ?? [:] {
            details[key] = emptyValue(kind)
        }
        return .object([
            "type": .string(type.enumName),
            "name": .string(name),
            "details": .object([LinkedProvisioner.detailsKey(for: type): .object(details)]),
            "claims": .object([
                "x509": .object(["enabled": .bool(true), "durations": .object(["default": .string(""), "min": .string(""), "max": .string("")])]),
                "disableRenewal": .bool(false),
                "allowRenewalAfterExpiry": .bool(false),
            ]),
        ])
    }

    /// Removes empty strings, empty lists, `false`, zero and empty objects, recursively: in a template they mean
    /// "not set". The details wrapper stays, since its key names the type even when no field is set (SSHPOP has none).
    public static func droppingEmptyFields(_ document: JSONValue) -> JSONValue {
        guard case .object(var object) = pruned(document) else { return document }
        if case .object(let wrapper)? = document["details"], wrapper.count == 1, let (key, fields) = wrapper.first {
            let kept = pruned(fields)
            object["details"] = .object([key: isEmpty(kept) ? .object([:]) : kept])
        }
        return .object(object)
    }

    static func pruned(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let object):
            var out: [String: JSONValue] = [:]
            for (key, inner) in object {
                let kept = pruned(inner)
                if !isEmpty(kept) { out[key] = kept }
            }
            return .object(out)
        default:
            return value
        }
    }

    static func isEmpty(_ value: JSONValue) -> Bool {
        switch value {
        case .null, .bool(false), .number(0): true
        case .string(let text): text.isEmpty
        case .array(let items): items.isEmpty
        case .object(let object): object.isEmpty
        default: false
        }
    }

    static func emptyValue(_ kind: LinkedProvisionerSchema.Kind) -> JSONValue {
        switch kind {
        case .string, .duration, .bytes: .string("")
        case .bool: .bool(false)
        case .int: .number(0)
        case .strings, .bytesList, .enumList: .array([])
        case .object(let fields): .object(fields.mapValues(emptyValue))
        }
    }
}
