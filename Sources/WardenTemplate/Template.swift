/// A parsed template in Go's `text/template` language with the functions step-ca offers (Go's builtins and the sprig
/// functions listed in ``TemplateFunctions``).
///
/// Parsing checks what Go checks: syntax, undefined variables and unknown functions (a function Warden does not
/// implement is refused here, naming it, never ignored). Rendering is pure: no I/O, no clock unless a time function
/// is called, bounded output (``Limits``).
///
/// ```swift
/// let template = try Template(parsing: #"{"subject": {{ toJson .Subject }}}"#, name: "x509")
/// let json = try template.render(data)
/// ```
public struct Template: Sendable {
    /// Bounds on one rendering, so that no template can exhaust the CA's memory, stack or CPU.
    public struct Limits: Sendable {
        /// Bytes of output, and of the strings given to one function call in all (default 1 MiB).
        public var maximumOutput: Int
        /// Nested `{{template}}` calls (Go allows 100,000; Warden 200).
        public var maximumDepth: Int
        /// Elements of a list a function builds (`until`, `list`, …) and range iterations in all.
        public var maximumIterations: Int
        /// Units of work in all: one per function call, per list or map element and per 16 bytes of string given
        /// to a function, per range iteration, per step of a regular-expression match (default 10,000,000, about a
        /// second of CPU at most).
        public var maximumWork: Int
        /// Nesting of lists and maps a function is given (default 1,000; JSON data nests at most 512 deep).
        public var maximumNesting: Int

        public init(
            maximumOutput: Int = 1 << 20, maximumDepth: Int = 200, maximumIterations: Int = 1_000_000,
            maximumWork: Int = 10_000_000, maximumNesting: Int = 1_000
        ) {
            self.maximumOutput = maximumOutput
            self.maximumDepth = maximumDepth
            self.maximumIterations = maximumIterations
            self.maximumWork = maximumWork
            self.maximumNesting = maximumNesting
        }
    }

    public let name: String
    let root: [TemplateNode]
    let definitions: [String: [TemplateNode]]
    let functions: [String: TemplateFunction]
    public var limits: Limits

    /// Parses `text`. Throws ``TemplateError`` (kind `.parse`) with the line and column of the problem.
    public init(
        parsing text: String, name: String = "template", functions: [String: TemplateFunction] = TemplateFunctions.step,
        limits: Limits = Limits()
    ) throws(TemplateError) {
        let tokens = try TemplateLexer.tokens(of: text, name: name)
        var parser = TemplateParser(tokens: tokens, name: name, functions: Set(functions.keys))
        root = try parser.parse()
        var definitions: [String: [TemplateNode]] = [:]
        for (definedName, body) in parser.definitions { definitions[definedName] = body }
        self.definitions = definitions
        self.name = name
        self.functions = functions
        self.limits = limits
    }

    /// Renders the template with `data` as dot. Throws ``TemplateError`` (kind `.execution`, or `.failed` for `fail`).
    public func render(_ data: TemplateValue) throws(TemplateError) -> String {
        var execution = TemplateExecution(template: self)
        return try execution.run(data)
    }
}
