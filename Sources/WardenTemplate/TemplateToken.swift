/// One lexical item of a template, as Go's `text/template/parse` lexer produces them.
struct TemplateToken: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case text
        case leftDelimiter
        case rightDelimiter
        case space
        case identifier
        case keyword
        case bool
        case field
        case variable
        case dot
        case `nil`
        case string
        case rawString
        case character
        case number
        case pipe
        case leftParen
        case rightParen
        case declare
        case assign
        case comma
        case end
    }

    var kind: Kind
    /// The source text of the item (for strings, the quoted source; for text, the text after trimming).
    var text: String
    var position: SourcePosition
}
