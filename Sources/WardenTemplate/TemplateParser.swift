import WardenCore

/// Builds the parse tree from tokens following Go's `text/template/parse`: control structures, `define`/`block`,
/// variable scopes (an undefined variable is a parse error), and the function check (an unknown function is a parse
/// error naming it).
struct TemplateParser {
    private let tokens: [TemplateToken]
    private let name: String
    private let functions: Set<String>
    private var index = 0
    private var variables: [String] = ["$"]
    private var rangeDepth = 0
    /// Control structures and pipelines open around the current token (bounded by ``maximumNesting``).
    private var nesting = 0
    /// Deeper nesting is refused when parsing (Go refuses beyond 10,000; Warden's recursive parser and executor
    /// need a bound that fits a thread's stack, see ``TemplateExecution/maximumNesting``).
    static let maximumNesting = 300
    /// Templates named by `define` and `block`, in order of definition.
    private(set) var definitions: [(String, [TemplateNode])] = []

    init(tokens: [TemplateToken], name: String, functions: Set<String>) {
        self.tokens = tokens
        self.name = name
        self.functions = functions
    }

    private enum ListEnd {
        case end
        case elseClause(isElseIf: Bool, SourcePosition)
    }

    private var endPosition: SourcePosition {
        tokens.last?.position ?? SourcePosition(line: 1, column: 1)
    }

    private func error(_ message: String, at position: SourcePosition? = nil) -> TemplateError {
        let at = position ?? (index < tokens.count ? tokens[index].position : endPosition)
        return TemplateError(kind: .parse, templateName: name, line: at.line, column: at.column, message: message)
    }

    private func peek() -> TemplateToken? { index < tokens.count ? tokens[index] : nil }

    private mutating func next() -> TemplateToken? {
        defer { index += 1 }
        return peek()
    }

    private mutating func peekNonSpace() -> TemplateToken? {
        while let token = peek(), token.kind == .space { index += 1 }
        return peek()
    }

    private mutating func nextNonSpace() -> TemplateToken? {
        _ = peekNonSpace()
        return next()
    }

    private func describe(_ token: TemplateToken?) -> String {
        guard let token else { return "EOF" }
        switch token.kind {
        case .rightDelimiter: return "<}}>"
        case .leftDelimiter: return "<{{>"
        case .text: return GoString.quote(token.text)
        default: return "<\(token.text)>"
        }
    }

    private mutating func expect(_ kind: TemplateToken.Kind, context: String) throws(TemplateError) -> TemplateToken {
        let token = nextNonSpace()
        guard let token, token.kind == kind else { throw error("unexpected \(describe(token)) in \(context)", at: token?.position) }
        return token
    }

    /// Parses the whole text: the main template's nodes; `definitions` holds the named ones.
    mutating func parse() throws(TemplateError) -> [TemplateNode] {
        var root: [TemplateNode] = []
        while let token = peek() {
            if token.kind == .leftDelimiter {
                let mark = index
                index += 1
                if let keyword = nextNonSpace(), keyword.kind == .keyword, keyword.text == "define" {
                    try parseDefinition()
                    continue
                }
                index = mark
            }
            switch try textOrAction() {
            case .node(let node): root.append(node)
            case .end(let position): throw error("unexpected {{end}}", at: position)
            case .elseClause(_, let position): throw error("unexpected {{else}}", at: position)
            }
        }
        return root
    }

    private mutating func parseDefinition() throws(TemplateError) {
        let context = "define clause"
        let nameToken = nextNonSpace()
        let definedName = try templateName(nameToken, context: context)
        _ = try expect(.rightDelimiter, context: context)
        let saved = (variables, rangeDepth)
        variables = ["$"]
        rangeDepth = 0
        defer { (variables, rangeDepth) = saved }
        let (body, end) = try itemList()
        guard case .end = end else { throw error("unexpected {{else}} in \(context)") }
        try define(definedName, body, at: nameToken?.position ?? endPosition)
    }

    /// Go's rule within one text: an empty (white space only) definition yields to another; two non-empty ones of
    /// the same name are an error.
    private mutating func define(_ definedName: String, _ body: [TemplateNode], at position: SourcePosition) throws(TemplateError) {
        func isEmpty(_ nodes: [TemplateNode]) -> Bool {
            nodes.allSatisfy {
                if case .text(let text) = $0 { return text.unicodeScalars.allSatisfy { " \t\r\n".unicodeScalars.contains($0) } }
                return false
            }
        }
        guard let existing = definitions.firstIndex(where: { $0.0 == definedName }) else {
            definitions.append((definedName, body))
            return
        }
        if isEmpty(definitions[existing].1) {
            definitions[existing].1 = body
        } else if !isEmpty(body) {
            throw error("template: multiple definition of template \(GoString.quote(definedName))", at: position)
        }
    }

    private func templateName(_ token: TemplateToken?, context: String) throws(TemplateError) -> String {
        guard let token, token.kind == .string || token.kind == .rawString else {
            throw error("unexpected \(describe(token)) in \(context)", at: token?.position)
        }
        return try TemplateLiteral.unquote(token, templateName: name)
    }

    private enum Item {
        case node(TemplateNode)
        case end(SourcePosition)
        case elseClause(isElseIf: Bool, SourcePosition)
    }

    private mutating func itemList() throws(TemplateError) -> ([TemplateNode], ListEnd) {
        var list: [TemplateNode] = []
        while peekNonSpace() != nil {
            switch try textOrAction() {
            case .node(let node): list.append(node)
            case .end: return (list, .end)
            case .elseClause(let isElseIf, let position): return (list, .elseClause(isElseIf: isElseIf, position))
            }
        }
        throw error("unexpected EOF", at: endPosition)
    }

    private mutating func textOrAction() throws(TemplateError) -> Item {
        guard let token = nextNonSpace() else { throw error("unexpected EOF", at: endPosition) }
        switch token.kind {
        case .text: return .node(.text(token.text))
        case .leftDelimiter: return try action()
        default: throw error("unexpected \(describe(token)) in input", at: token.position)
        }
    }

    private mutating func action() throws(TemplateError) -> Item {
        guard let token = nextNonSpace() else { throw error("unclosed action", at: endPosition) }
        if token.kind == .keyword {
            switch token.text {
            case "block": return .node(try blockControl())
            case "break", "continue":
                guard rangeDepth > 0 else { throw error("{{\(token.text)}} outside {{range}}", at: token.position) }
                _ = try expect(.rightDelimiter, context: token.text)
                return .node(token.text == "break" ? .breakLoop(token.position) : .continueLoop(token.position))
            case "else":
                if let next = peekNonSpace(), next.kind == .keyword, next.text == "if" {
                    return .elseClause(isElseIf: true, token.position)
                }
                _ = try expect(.rightDelimiter, context: "else")
                return .elseClause(isElseIf: false, token.position)
            case "end":
                _ = try expect(.rightDelimiter, context: "end")
                return .end(token.position)
            case "if": return .node(try control(.if, position: token.position))
            case "range": return .node(try control(.range, position: token.position))
            case "with": return .node(try control(.with, position: token.position))
            case "template": return .node(try templateControl(position: token.position))
            default: break
            }
        }
        index -= 1
        return .node(.action(try pipeline(context: "command", end: .rightDelimiter)))
    }

    private mutating func enter(at position: SourcePosition) throws(TemplateError) {
        guard nesting < Self.maximumNesting else {
            throw error("control structures and parenthesized pipelines nest deeper than \(Self.maximumNesting)", at: position)
        }
        nesting += 1
    }

    private mutating func control(_ kind: TemplateNode.BranchKind, position: SourcePosition) throws(TemplateError) -> TemplateNode {
        try enter(at: position)
        defer { nesting -= 1 }
        let savedVariables = variables.count
        defer { variables.removeLast(variables.count - savedVariables) }
        let pipe = try pipeline(context: kind.rawValue, end: .rightDelimiter)
        if kind == .range { rangeDepth += 1 }
        let (body, end) = try itemList()
        if kind == .range { rangeDepth -= 1 }
        var elseBody: [TemplateNode]?
        if case .elseClause(let isElseIf, let elsePosition) = end {
            if isElseIf && kind == .if {
                _ = nextNonSpace()  // the "if"
                elseBody = [try control(.if, position: elsePosition)]
            } else if isElseIf {
                throw error("unexpected <if> in else", at: elsePosition)
            } else {
                let (list, elseEnd) = try itemList()
                guard case .end = elseEnd else { throw error("expected end; found {{else}}") }
                elseBody = list
            }
        }
        return .branch(kind, pipe, body: body, elseBody: elseBody, position: position)
    }

    private mutating func templateControl(position: SourcePosition) throws(TemplateError) -> TemplateNode {
        let context = "template clause"
        let calledName = try templateName(nextNonSpace(), context: context)
        if let token = peekNonSpace(), token.kind == .rightDelimiter {
            index += 1
            return .call(name: calledName, nil, position: position)
        }
        return .call(name: calledName, try pipeline(context: context, end: .rightDelimiter), position: position)
    }

    private mutating func blockControl() throws(TemplateError) -> TemplateNode {
        let context = "block clause"
        let nameToken = nextNonSpace()
        let blockName = try templateName(nameToken, context: context)
        let pipe = try pipeline(context: context, end: .rightDelimiter)
        let saved = (variables, rangeDepth)
        variables = ["$"]
        rangeDepth = 0
        let (body, end) = try itemList()
        (variables, rangeDepth) = saved
        guard case .end = end else { throw error("unexpected {{else}} in \(context)") }
        try define(blockName, body, at: nameToken?.position ?? endPosition)
        return .call(name: blockName, pipe, position: nameToken?.position ?? endPosition)
    }

    private mutating func pipeline(context: String, end: TemplateToken.Kind) throws(TemplateError) -> TemplatePipeline {
        let start = peekNonSpace()?.position ?? endPosition
        try enter(at: start)
        defer { nesting -= 1 }
        var pipe = TemplatePipeline(declarations: [], isAssignment: false, commands: [], position: start)
        declarations: while let variable = peekNonSpace(), variable.kind == .variable {
            let mark = index
            index += 1
            let next = peekNonSpace()
            switch next?.kind {
            case .assign, .declare:
                index += 1
                pipe.isAssignment = next?.kind == .assign
                pipe.declarations.append(variable.text)
                variables.append(variable.text)
                break declarations
            case .comma:
                index += 1
                pipe.declarations.append(variable.text)
                variables.append(variable.text)
                if context == "range" && pipe.declarations.count < 2 {
                    switch peekNonSpace()?.kind {
                    case .variable, .rightDelimiter, .rightParen: continue declarations
                    default: throw error("range can only initialize variables")
                    }
                }
                throw error("too many declarations in \(context)")
            default:
                index = mark
                break declarations
            }
        }
        while true {
            guard let token = nextNonSpace() else { throw error("unclosed action", at: endPosition) }
            if token.kind == end {
                guard !pipe.commands.isEmpty else { throw error("missing value for \(context)", at: token.position) }
                for (offset, command) in pipe.commands.enumerated().dropFirst() {
                    switch command.arguments.first {
                    case .bool, .dot, .nilValue, .number, .string:
                        throw error("non executable command in pipeline stage \(offset + 1)", at: command.position)
                    default: break
                    }
                }
                return pipe
            }
            switch token.kind {
            case .bool, .character, .dot, .field, .identifier, .number, .nil, .rawString, .string, .variable, .leftParen:
                index -= 1
                pipe.commands.append(try command())
            default:
                throw error("unexpected \(describe(token)) in \(context)", at: token.position)
            }
        }
    }

    private mutating func command() throws(TemplateError) -> TemplateCommand {
        let position = peekNonSpace()?.position ?? endPosition
        var command = TemplateCommand(arguments: [], position: position)
        loop: while true {
            _ = peekNonSpace()
            if let operand = try operand() { command.arguments.append(operand) }
            let token = next()
            switch token?.kind {
            case .space: continue loop
            case .rightDelimiter, .rightParen: index -= 1
            case .pipe: break
            default: throw error("unexpected \(describe(token)) in operand", at: token?.position)
            }
            break loop
        }
        guard !command.arguments.isEmpty else { throw error("empty command", at: position) }
        return command
    }

    private mutating func operand() throws(TemplateError) -> TemplateOperand? {
        guard let term = try term() else { return nil }
        guard let token = peek(), token.kind == .field else { return term }
        var fields: [String] = []
        while let token = peek(), token.kind == .field {
            fields.append(String(token.text.dropFirst()))
            index += 1
        }
        switch term {
        case .field(let names, let position): return .field(names + fields, position)
        case .variable(let variable, let names, let position): return .variable(variable, names + fields, position)
        case .bool, .string, .number, .nilValue, .dot:
            throw error("unexpected . after term \(GoString.quote(term.source))", at: token.position)
        default: return .chain(term, fields, term.position)
        }
    }

    private mutating func term() throws(TemplateError) -> TemplateOperand? {
        guard let token = nextNonSpace() else { return nil }
        switch token.kind {
        case .identifier:
            guard functions.contains(token.text) else {
                throw error("function \(GoString.quote(token.text)) not defined", at: token.position)
            }
            return .function(token.text, token.position)
        case .dot: return .dot(token.position)
        case .nil: return .nilValue(token.position)
        case .variable:
            let parts = token.text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            guard variables.contains(parts[0]) else {
                throw error("undefined variable \(GoString.quote(parts[0]))", at: token.position)
            }
            return .variable(parts[0], [], token.position)
        case .field: return .field([String(token.text.dropFirst())], token.position)
        case .bool: return .bool(token.text == "true", token.position)
        case .character, .number: return .number(try TemplateLiteral.number(token, templateName: name), token.position)
        case .leftParen: return .pipeline(try pipeline(context: "parenthesized pipeline", end: .rightParen), token.position)
        case .string, .rawString: return .string(try TemplateLiteral.unquote(token, templateName: name), token.position)
        default:
            index -= 1
            return nil
        }
    }
}
