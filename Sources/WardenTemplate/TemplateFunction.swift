/// A function templates can call, with Go's parameter types: the executor checks arguments as `text/template` does
/// (a JSON number is a `float64` and is refused where a function takes an `int` or a `string`).
public struct TemplateFunction: Sendable {
    /// The Go type of a parameter.
    public enum Parameter: Sendable {
        /// `interface{}`: any value; a missing value arrives as `null`.
        case any
        /// `reflect.Value`: any value, a missing one arrives as `missing` (Go's builtins `and`, `eq`, `index`, …).
        case reflected
        case string
        case int
        case float64
        case bool
        /// `map[string]interface{}`.
        case anyMap

        var goName: String {
            switch self {
            case .any: return "interface {}"
            case .reflected: return "reflect.Value"
            case .string: return "string"
            case .int: return "int"
            case .float64: return "float64"
            case .bool: return "bool"
            case .anyMap: return "map[string]interface {}"
            }
        }
    }

    /// An error a function returns; the executor reports it as `error calling NAME: message`.
    public struct Failure: Error, Sendable {
        public let message: String
        /// Set by `fail`: the template's own message, reported without position (as step-ca does).
        public let isTemplateFailure: Bool

        public init(_ message: String, isTemplateFailure: Bool = false) {
            self.message = message
            self.isTemplateFailure = isTemplateFailure
        }
    }

    public var parameters: [Parameter]
    public var variadic: Parameter?
    /// The function: its arguments and the rendering's remaining work (``Template/Limits/maximumWork``), which a
    /// function whose cost is not proportional to its arguments' size (a regular expression) spends as it goes.
    public var body: @Sendable ([TemplateValue], inout Int) throws(Failure) -> TemplateValue

    /// A function whose cost is proportional to the size of its arguments (the executor charges that).
    public init(
        _ parameters: [Parameter], variadic: Parameter? = nil,
        _ body: @escaping @Sendable ([TemplateValue]) throws(Failure) -> TemplateValue
    ) {
        self.parameters = parameters
        self.variadic = variadic
        self.body = { (arguments, _) throws(Failure) in try body(arguments) }
    }

    /// A function that spends the rendering's remaining work itself (`work` is decremented; below zero the
    /// executor fails the rendering).
    public init(
        _ parameters: [Parameter], variadic: Parameter? = nil,
        metered body: @escaping @Sendable ([TemplateValue], inout Int) throws(Failure) -> TemplateValue
    ) {
        self.parameters = parameters
        self.variadic = variadic
        self.body = body
    }
}
