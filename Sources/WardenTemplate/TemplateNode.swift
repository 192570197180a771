import WardenCore

/// The parse tree of a template, shaped like Go's `text/template/parse` nodes.
indirect enum TemplateNode: Sendable {
    case text(String)
    /// `{{pipeline}}`: the value is printed unless the pipeline declares variables.
    case action(TemplatePipeline)
    /// `{{if}}`, `{{with}}` and `{{range}}`; `elseBody` is nil when there is no `{{else}}`.
    case branch(BranchKind, TemplatePipeline, body: [TemplateNode], elseBody: [TemplateNode]?, position: SourcePosition)
    /// `{{template "name" pipeline}}`.
    case call(name: String, TemplatePipeline?, position: SourcePosition)
    case breakLoop(SourcePosition)
    case continueLoop(SourcePosition)

    enum BranchKind: String, Sendable {
        case `if`, with, range
    }
}

/// `$x := cmd | cmd …`: declarations, then commands each feeding its value to the next as the last argument.
struct TemplatePipeline: Sendable {
    var declarations: [String]
    /// `=` rather than `:=`.
    var isAssignment: Bool
    var commands: [TemplateCommand]
    var position: SourcePosition
}

/// One command of a pipeline: an operand and its arguments.
struct TemplateCommand: Sendable {
    var arguments: [TemplateOperand]
    var position: SourcePosition
}

/// A number literal with the interpretations Go's parser gives it.
struct TemplateNumber: Sendable {
    var text: String
    var integer: Int64?
    var float: Double?
    /// Whether the literal is written as a float (has `.`, `e` or `p`, and is not a hex integer or a rune).
    var isFloatSyntax: Bool
    var isCharacter: Bool
}

indirect enum TemplateOperand: Sendable {
    case field([String], SourcePosition)
    /// `$name.Field…`; `$` alone is the data passed to the template.
    case variable(String, [String], SourcePosition)
    case dot(SourcePosition)
    case nilValue(SourcePosition)
    case bool(Bool, SourcePosition)
    case number(TemplateNumber, SourcePosition)
    case string(String, SourcePosition)
    case function(String, SourcePosition)
    case pipeline(TemplatePipeline, SourcePosition)
    /// `(pipeline).Field…` or `function.Field…`.
    case chain(TemplateOperand, [String], SourcePosition)

    var position: SourcePosition {
        switch self {
        case .field(_, let position), .variable(_, _, let position), .dot(let position), .nilValue(let position),
            .bool(_, let position), .number(_, let position), .string(_, let position), .function(_, let position),
            .pipeline(_, let position), .chain(_, _, let position):
            return position
        }
    }

    /// The operand as written, for error messages (`<.Subject.CommonName>`).
    var source: String {
        switch self {
        case .field(let names, _): return names.map { "." + $0 }.joined()
        case .variable(let name, let fields, _): return name + fields.map { "." + $0 }.joined()
        case .dot: return "."
        case .nilValue: return "nil"
        case .bool(let value, _): return value ? "true" : "false"
        case .number(let number, _): return number.text
        case .string(let text, _): return GoString.quote(text)
        case .function(let name, _): return name
        case .pipeline: return "(…)"
        case .chain(let operand, let fields, _): return operand.source + fields.map { "." + $0 }.joined()
        }
    }
}
