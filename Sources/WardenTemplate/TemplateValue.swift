import WardenCore

/// A value seen by a template, modelled on the Go values `text/template` works with when the data is decoded JSON
/// (`map[string]interface{}`, `[]interface{}`, `float64`, `string`, `bool`, `nil`) plus what template functions return
/// (`int`, `int64`, `[]string`, `map[string]string`, …).
///
/// The Go type matters: it decides what `printf "%d"`, `eq`, `typeOf` and typed function parameters accept, exactly as in
/// Go, where a JSON number is a `float64` and `eq .n 3` is an error ("incompatible types for comparison").
public enum TemplateValue: Sendable, Equatable {
    /// Go's invalid `reflect.Value`: a missing map key or a nil that reached the end of a pipeline. Prints `<no value>`.
    case missing
    /// A nil `interface{}` held in a map or a slice (JSON `null`). Prints `<nil>` through `fmt`.
    case null
    case bool(Bool)
    /// A Go integer; `type` says which (`int`, `int64`, `int32` for rune literals).
    case int(Int64, IntegerType)
    case float(Double)
    case string(String)
    /// A Go slice; `element` is its element type.
    case list([TemplateValue], element: ElementType)
    /// A Go map with string keys; `element` is its value type. Iterated and printed in key order, as Go does.
    case map([String: TemplateValue], element: ElementType)
    /// A value of a Go type the data model exposes without fields, e.g. a CSR's public key (`*rsa.PublicKey`).
    case opaque(typeName: String, description: String)
    /// A Go struct of step's data model (`x509util.Subject`, `x509util.SubjectAlternativeName`, …): fields are read by
    /// their Go names (`.Subject.CommonName`) and `toJson` writes their JSON names (`commonName`).
    case object(TemplateObject)
    /// Go's `time.Time` (sprig's date functions).
    case time(GoTime)

    public enum IntegerType: String, Sendable {
        case int, int64, int32, uint8
    }

    /// The element type of a slice or map.
    public enum ElementType: String, Sendable {
        case any = "interface {}"
        case string
        case int
        case list = "[]interface {}"
        /// step's `x509util.SubjectAlternativeName` (`.SANs`).
        case subjectAlternativeName = "x509util.SubjectAlternativeName"
        /// Go's `*x509.Certificate` (`.AuthorizationChain`).
        case certificate = "*x509.Certificate"
    }

    /// Go's `%T` of the value.
    public var goTypeName: String {
        switch self {
        case .missing, .null: return "<nil>"
        case .bool: return "bool"
        case .int(_, let type): return type.rawValue
        case .float: return "float64"
        case .string: return "string"
        case .list(_, let element): return "[]" + element.rawValue
        case .map(_, let element): return "map[string]" + element.rawValue
        case .opaque(let typeName, _): return typeName
        case .object(let object): return object.typeName
        case .time: return "time.Time"
        }
    }

    /// Go's `reflect.Kind` name of the value (sprig's `kindOf`).
    public var goKindName: String {
        switch self {
        case .missing, .null: return "invalid"
        case .bool: return "bool"
        case .int(_, let type): return type.rawValue
        case .float: return "float64"
        case .string: return "string"
        case .list: return "slice"
        case .map: return "map"
        case .opaque(let typeName, _): return typeName.hasPrefix("*") ? "ptr" : "struct"
        case .object(let object): return object.typeName.hasPrefix("*") ? "ptr" : "struct"
        case .time: return "struct"
        }
    }

    /// Go's truth for `if`, `with`, `and`, `or`, `not`: false for the zero value of the type, nil, and empty collections.
    public var isTrue: Bool {
        switch self {
        case .missing, .null: return false
        case .bool(let value): return value
        case .int(let value, _): return value != 0
        case .float(let value): return value != 0
        case .string(let value): return !value.isEmpty
        case .list(let values, _): return !values.isEmpty
        case .map(let values, _): return !values.isEmpty
        case .opaque, .object, .time: return true
        }
    }

    /// sprig's `empty`: like Go's zero-value test, where structs are never empty.
    var isEmpty: Bool { !isTrue }

    /// A nil inside a container becomes invalid at the end of a pipeline, as `reflect.ValueOf(v.Interface())` does in Go.
    var dug: TemplateValue { self == .null ? .missing : self }

    /// An `[]interface{}` of the values.
    public static func anyList(_ values: [TemplateValue]) -> TemplateValue { .list(values, element: .any) }

    /// A `[]string` of the strings.
    public static func stringList(_ values: [String]) -> TemplateValue { .list(values.map { .string($0) }, element: .string) }

    /// A `map[string]interface{}`.
    public static func anyMap(_ values: [String: TemplateValue]) -> TemplateValue { .map(values, element: .any) }

    /// A Go `int`.
    public static func goInt(_ value: Int) -> TemplateValue { .int(Int64(value), .int) }

    /// Builds template data from JSON-shaped Swift values: `[String: Any]`, `[Any]`, `String`, `Bool`, integers and
    /// doubles (both become `float64`, as Go's JSON decoder makes them), `nil`/`NSNull` as `null`.
    public init(json: TemplateJSON) {
        switch json {
        case .null: self = .null
        case .bool(let value): self = .bool(value)
        case .number(let value): self = .float(value)
        case .string(let value): self = .string(value)
        case .array(let values): self = .list(values.map(TemplateValue.init(json:)), element: .any)
        case .object(let values): self = .map(values.mapValues(TemplateValue.init(json:)), element: .any)
        }
    }
}
