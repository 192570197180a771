import Foundation
import WardenCore
import Yams

/// YAML ↔ ``JSONValue`` for `warden apply` and `warden export` (Yams does the parsing and printing).
enum YAMLConversion {
    static func parse(_ text: String) throws(WardenError) -> JSONValue {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch {
            throw .badRequest("invalid YAML: \(error)")
        }
        guard let node else { return .object([:]) }
        return convert(node)
    }

    static func convert(_ node: Node) -> JSONValue {
        switch node {
        case .mapping(let mapping):
            var object: [String: JSONValue] = [:]
            for (key, value) in mapping { object[key.string ?? "\(key)"] = convert(value) }
            return .object(object)
        case .sequence(let sequence):
            return .array(sequence.map(convert))
        case .scalar(let scalar):
            // Quoted scalars stay strings; plain ones may be bools, numbers or null.
            if scalar.style == .plain {
                if let bool = Bool.construct(from: scalar) { return .bool(bool) }
                if let int = Int.construct(from: scalar) { return .number(Double(int)) }
                if let double = Double.construct(from: scalar), scalar.string.contains(".") { return .number(double) }
                if scalar.string == "null" || scalar.string == "~" { return .null }
            }
            return .string(scalar.string)
        case .alias:
            return .null
        }
    }

    static func node(_ value: JSONValue) -> Node {
        switch value {
        case .null: return Node("null", Tag(.null))
        case .bool(let b): return Node(b ? "true" : "false", Tag(.bool))
        case .number(let n): return Int64(exactly: n).map { Node(String($0), Tag(.int)) } ?? Node(String(n), Tag(.float))
        case .string(let s): return Node(s, Tag(.str), .doubleQuoted)
        case .array(let items): return Node(items.map(node))
        case .object(let object):
            let order = ["name", "type", "subject", "provisioner", "role", "claims", "details", "provisioners", "admins"]
            let keys = object.keys.sorted { (order.firstIndex(of: $0) ?? 99, $0) < (order.firstIndex(of: $1) ?? 99, $1) }
            return Node(keys.map { (Node($0), node(object[$0]!)) })
        }
    }

    static func dump(_ value: JSONValue) throws -> String {
        try Yams.serialize(node: node(value))
    }
}
