import Foundation
import WardenCore
import Yams

/// YAML ↔ ``JSONValue`` for `warden apply` and `warden export` (Yams does the parsing and printing).
enum YAMLConversion {
    /// - Parameter source: the file name, for the one-line error.
    static func parse(_ text: String, source: String = "input") throws(WardenError) -> JSONValue {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw .badRequest("\(source): invalid YAML: \(describe(error))")
        } catch {
            throw .badRequest("\(source): invalid YAML")
        }
        guard let node else { return .object([:]) }
        return convert(node)
    }

    /// Yams' error in one line: "line L, column C: what" (its own description spans several lines).
    static func describe(_ error: YamlError) -> String {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _):
            return "line \(mark.line), column \(mark.column): \(problem)" + (context.map { " (\($0.text))" } ?? "")
        default:
            return String(describing: error).split(separator: "\n").first.map(String.init) ?? "unreadable"
        }
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
