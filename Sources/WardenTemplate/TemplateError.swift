/// A template that does not parse, or fails while it runs, with the position in the template text.
///
/// `line` and `column` are 1-based and count Unicode scalars; `description` reads like Go's
/// (`template: NAME:LINE:COLUMN: message`) so that operators moving from step-ca recognise it.
public struct TemplateError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// The template text is not a valid template.
        case parse
        /// The template failed while rendering (a function error, a type mismatch, a missing template).
        case execution
        /// The template called `fail "message"`; `message` is the template's own text, as step-ca reports it.
        case failed
    }

    public let kind: Kind
    public let templateName: String
    public let line: Int
    public let column: Int
    public let message: String

    public init(kind: Kind, templateName: String, line: Int, column: Int, message: String) {
        self.kind = kind
        self.templateName = templateName
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        kind == .failed ? message : "template: \(templateName):\(line):\(column): \(message)"
    }
}

/// A position in the template text: 1-based line and column.
struct SourcePosition: Sendable, Equatable {
    var line: Int
    var column: Int
}
