/// Splits template text into tokens with Go's rules: `{{`/`}}` delimiters, `{{- ` and ` -}}` trimming white space
/// around an action, `{{/* comments */}}`, and Go's literal syntax inside actions.
///
/// Errors are thrown as ``TemplateError`` of kind `.parse` with the position of the offending character.
struct TemplateLexer {
    private let scalars: [Unicode.Scalar]
    private let name: String
    private var index = 0
    private var line = 1
    private var column = 1
    private var tokens: [TemplateToken] = []
    private var parenDepth = 0

    init(text: String, name: String) {
        scalars = Array(text.unicodeScalars)
        self.name = name
    }

    static func tokens(of text: String, name: String) throws(TemplateError) -> [TemplateToken] {
        var lexer = TemplateLexer(text: text, name: name)
        try lexer.run()
        return lexer.tokens
    }

    private var position: SourcePosition { SourcePosition(line: line, column: column) }

    private func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        index + offset < scalars.count ? scalars[index + offset] : nil
    }

    private func hasPrefix(_ text: String, at offset: Int) -> Bool {
        var position = offset
        for scalar in text.unicodeScalars {
            guard position < scalars.count, scalars[position] == scalar else { return false }
            position += 1
        }
        return true
    }

    private mutating func advance() {
        if scalars[index] == "\n" {
            line += 1
            column = 1
        } else {
            column += 1
        }
        index += 1
    }

    private func error(_ message: String, at position: SourcePosition) -> TemplateError {
        TemplateError(kind: .parse, templateName: name, line: position.line, column: position.column, message: message)
    }

    private static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || scalar == "\t" || scalar == "\r" || scalar == "\n"
    }

    static func isAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "_" || scalar.properties.isAlphabetic && scalar.properties.generalCategory != .letterNumber
            || scalar.properties.generalCategory == .decimalNumber
    }

    private mutating func run() throws(TemplateError) {
        var trimNextText = false
        while index < scalars.count {
            // Text up to the next left delimiter.
            let start = position
            var text = String.UnicodeScalarView()
            while index < scalars.count && !hasPrefix("{{", at: index) {
                text.append(scalars[index])
                advance()
            }
            var textValue = String(text)
            if trimNextText {
                textValue = String(textValue.unicodeScalars.drop(while: TemplateLexer.isSpace))
                trimNextText = false
            }
            guard index < scalars.count else {
                if !textValue.isEmpty { tokens.append(TemplateToken(kind: .text, text: textValue, position: start)) }
                break
            }
            // A left delimiter; "{{- " trims the text before it.
            let trimBefore = peek(2) == "-" && peek(3).map(TemplateLexer.isSpace) == true
            if trimBefore {
                var trimmed = textValue.unicodeScalars
                while let last = trimmed.last, TemplateLexer.isSpace(last) { trimmed.removeLast() }
                textValue = String(trimmed)
            }
            if !textValue.isEmpty { tokens.append(TemplateToken(kind: .text, text: textValue, position: start)) }
            let delimiterPosition = position
            advance()
            advance()
            if trimBefore {
                advance()
                advance()
            }
            // A comment fills the whole action.
            if hasPrefix("/*", at: index) {
                guard let end = (index..<scalars.count).first(where: { hasPrefix("*/", at: $0) }) else {
                    throw error("unclosed comment", at: delimiterPosition)
                }
                while index < end + 2 { advance() }
                if hasPrefix(" -}}", at: index) {
                    trimNextText = true
                    for _ in 0..<4 { advance() }
                } else if hasPrefix("}}", at: index) {
                    advance()
                    advance()
                } else {
                    throw error("comment ends before closing delimiter", at: position)
                }
                continue
            }
            tokens.append(TemplateToken(kind: .leftDelimiter, text: "{{", position: delimiterPosition))
            trimNextText = try lexInsideAction()
        }
    }

    /// Lexes the inside of an action up to and including its right delimiter; returns whether it ended with ` -}}`.
    private mutating func lexInsideAction() throws(TemplateError) -> Bool {
        parenDepth = 0
        while true {
            // Right delimiter, with or without trim marker.
            if hasPrefix(" -}}", at: index) || hasPrefix("\t-}}", at: index) || hasPrefix("\n-}}", at: index) || hasPrefix("\r-}}", at: index) {
                guard parenDepth == 0 else { throw error("unclosed left paren", at: position) }
                advance()
                let at = position
                for _ in 0..<3 { advance() }
                tokens.append(TemplateToken(kind: .rightDelimiter, text: "}}", position: at))
                return true
            }
            if hasPrefix("}}", at: index) {
                guard parenDepth == 0 else { throw error("unclosed left paren", at: position) }
                let at = position
                advance()
                advance()
                tokens.append(TemplateToken(kind: .rightDelimiter, text: "}}", position: at))
                return false
            }
            guard let scalar = peek() else { throw error("unclosed action", at: position) }
            let start = position
            let startIndex = index
            switch scalar {
            case " ", "\t", "\r", "\n":
                while let next = peek(), TemplateLexer.isSpace(next) {
                    if hasPrefix(" -}}", at: index) || hasPrefix("\t-}}", at: index) || hasPrefix("\n-}}", at: index)
                        || hasPrefix("\r-}}", at: index)
                    {
                        break
                    }
                    advance()
                }
                if index > startIndex { tokens.append(TemplateToken(kind: .space, text: " ", position: start)) }
            case "=":
                advance()
                tokens.append(TemplateToken(kind: .assign, text: "=", position: start))
            case ":":
                advance()
                guard peek() == "=" else { throw error("expected :=", at: start) }
                advance()
                tokens.append(TemplateToken(kind: .declare, text: ":=", position: start))
            case "|":
                advance()
                tokens.append(TemplateToken(kind: .pipe, text: "|", position: start))
            case ",":
                advance()
                tokens.append(TemplateToken(kind: .comma, text: ",", position: start))
            case "(":
                advance()
                parenDepth += 1
                tokens.append(TemplateToken(kind: .leftParen, text: "(", position: start))
            case ")":
                advance()
                parenDepth -= 1
                guard parenDepth >= 0 else { throw error("unexpected right paren", at: start) }
                tokens.append(TemplateToken(kind: .rightParen, text: ")", position: start))
            case "\"":
                advance()
                while true {
                    guard let next = peek(), next != "\n" else { throw error("unterminated quoted string", at: start) }
                    advance()
                    if next == "\\" {
                        guard let escaped = peek(), escaped != "\n" else { throw error("unterminated quoted string", at: start) }
                        advance()
                    } else if next == "\"" {
                        break
                    }
                }
                tokens.append(TemplateToken(kind: .string, text: source(from: startIndex), position: start))
            case "`":
                advance()
                while true {
                    guard let next = peek() else { throw error("unterminated raw quoted string", at: start) }
                    advance()
                    if next == "`" { break }
                }
                tokens.append(TemplateToken(kind: .rawString, text: source(from: startIndex), position: start))
            case "'":
                advance()
                while true {
                    guard let next = peek(), next != "\n" else { throw error("unterminated character constant", at: start) }
                    advance()
                    if next == "\\" {
                        guard let escaped = peek(), escaped != "\n" else { throw error("unterminated character constant", at: start) }
                        advance()
                    } else if next == "'" {
                        break
                    }
                }
                tokens.append(TemplateToken(kind: .character, text: source(from: startIndex), position: start))
            case "$":
                advance()
                while let next = peek(), TemplateLexer.isAlphanumeric(next) { advance() }
                tokens.append(TemplateToken(kind: .variable, text: source(from: startIndex), position: start))
            case ".":
                if let next = peek(1), next >= "0" && next <= "9" {
                    try lexNumber(start: start, startIndex: startIndex)
                } else if let next = peek(1), TemplateLexer.isAlphanumeric(next) {
                    advance()
                    while let next = peek(), TemplateLexer.isAlphanumeric(next) { advance() }
                    tokens.append(TemplateToken(kind: .field, text: source(from: startIndex), position: start))
                } else {
                    advance()
                    tokens.append(TemplateToken(kind: .dot, text: ".", position: start))
                }
            case "+", "-", "0"..."9":
                try lexNumber(start: start, startIndex: startIndex)
            default:
                guard TemplateLexer.isAlphanumeric(scalar) else {
                    throw error("unrecognized character in action: \(GoString.quote(String(scalar), quote: "'"))", at: start)
                }
                while let next = peek(), TemplateLexer.isAlphanumeric(next) { advance() }
                let word = source(from: startIndex)
                let kind: TemplateToken.Kind
                switch word {
                case "true", "false": kind = .bool
                case "nil": kind = .nil
                case "block", "break", "continue", "define", "else", "end", "if", "range", "template", "with": kind = .keyword
                default: kind = .identifier
                }
                // A keyword followed by a field is an identifier in Go only for fields; keep Go's behaviour simple.
                tokens.append(TemplateToken(kind: kind, text: word, position: start))
            }
        }
    }

    private func source(from start: Int) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[start..<index])
        return String(view)
    }

    /// Go's number syntax: optional sign, decimal/hex/octal/binary with underscores, fraction, exponent.
    private mutating func lexNumber(start: SourcePosition, startIndex: Int) throws(TemplateError) {
        if peek() == "+" || peek() == "-" { advance() }
        var digitSet = "0123456789_"
        if peek() == "0", let base = peek(1), "xXoObB".unicodeScalars.contains(base) {
            advance()
            advance()
            switch base {
            case "x", "X": digitSet = "0123456789abcdefABCDEF_"
            case "o", "O": digitSet = "01234567_"
            default: digitSet = "01_"
            }
        }
        func accept(_ set: String) -> Bool {
            guard let next = peek(), set.unicodeScalars.contains(next) else { return false }
            advance()
            return true
        }
        while accept(digitSet) {}
        if accept(".") { while accept(digitSet) {} }
        let exponentSet = digitSet.contains("a") ? "pP" : "eE"
        if digitSet.count > 3 && accept(exponentSet) {
            _ = accept("+-")
            while accept("0123456789_") {}
        }
        _ = accept("i")
        if let next = peek(), TemplateLexer.isAlphanumeric(next) || next == "." {
            advance()
            throw error("bad number syntax: \(GoString.quote(source(from: startIndex)))", at: start)
        }
        tokens.append(TemplateToken(kind: .number, text: source(from: startIndex), position: start))
    }
}
