import WardenCore

/// Runs a parsed template the way Go's `text/template` executes one: dot, variables with lexical scopes, pipelines
/// feeding the previous value as last argument, Go's argument type checks, `and`/`or` short-circuit, `break`/`continue`.
struct TemplateExecution {
    private let template: Template
    private var output = ""
    private var variables: [(name: String, value: TemplateValue)] = []
    private var depth = 0
    private var iterations = 0
    /// Bodies and pipelines being evaluated, one inside the other (bounded by ``maximumNesting``).
    private var nesting = 0
    /// Remaining units of ``Template/Limits/maximumWork``.
    private var work: Int
    private var position = SourcePosition(line: 1, column: 1)
    private var operand = ""
    private var templateName: String

    init(template: Template) {
        self.template = template
        templateName = template.name
        work = template.limits.maximumWork
    }

    private enum Signal: Error {
        case failure(TemplateError)
        case breakLoop
        case continueLoop
    }

    mutating func run(_ data: TemplateValue) throws(TemplateError) -> String {
        variables = [("$", data)]
        do {
            try walk(data, template.root)
        } catch .failure(let error) {
            throw error
        } catch {
            throw TemplateError(kind: .execution, templateName: template.name, line: 1, column: 1, message: "break or continue outside range")
        }
        return output
    }

    private func failure(_ message: String) -> Signal {
        let context = operand.isEmpty ? "" : " at <\(operand)>"
        return .failure(
            TemplateError(
                kind: .execution, templateName: template.name, line: position.line, column: position.column,
                message: "executing \(GoString.quote(templateName))\(context): \(message)"))
    }

    private mutating func at(_ position: SourcePosition, _ operand: String) {
        self.position = position
        self.operand = operand
    }

    // MARK: Walking the tree

    /// How deep bodies (`if`, `range`, `with`, `{{template}}`) and pipelines (parentheses) may nest while
    /// running, templates calling templates included: deeper would exhaust the stack of the thread that renders.
    static let maximumNesting = 400

    private mutating func enter() throws(Signal) {
        guard nesting < Self.maximumNesting else {
            throw failure("exceeded maximum nesting of bodies and pipelines (\(Self.maximumNesting))")
        }
        nesting += 1
    }

    private mutating func walk(_ dot: TemplateValue, _ nodes: [TemplateNode]) throws(Signal) {
        try enter()
        defer { nesting -= 1 }
        for node in nodes {
            switch node {
            case .text(let text):
                try emit(text)
            case .action(let pipeline):
                let value = try evalPipeline(dot, pipeline)
                if pipeline.declarations.isEmpty {
                    try emit(value == .missing ? "<no value>" : GoFormat.format(value, verb: "v"))
                }
            case .branch(let kind, let pipeline, let body, let elseBody, let position):
                at(position, "")
                if kind == .range {
                    try walkRange(dot, pipeline, body: body, elseBody: elseBody)
                    continue
                }
                let mark = variables.count
                defer { variables.removeLast(variables.count - mark) }
                let value = try evalPipeline(dot, pipeline)
                if value.isTrue {
                    try walk(kind == .with ? value : dot, body)
                } else if let elseBody {
                    try walk(dot, elseBody)
                }
            case .call(let name, let pipeline, let position):
                at(position, "")
                guard let body = template.definitions[name] else { throw failure("template \(GoString.quote(name)) not defined") }
                guard depth < template.limits.maximumDepth else {
                    throw failure("exceeded maximum template depth (\(template.limits.maximumDepth))")
                }
                let newDot = try pipeline.map { (pipeline) throws(Signal) in try evalPipeline(dot, pipeline) } ?? .missing
                let savedVariables = variables
                let savedName = templateName
                variables = [("$", newDot)]
                templateName = name
                depth += 1
                defer {
                    depth -= 1
                    variables = savedVariables
                    templateName = savedName
                }
                try walk(newDot, body)
            case .breakLoop:
                throw .breakLoop
            case .continueLoop:
                throw .continueLoop
            }
        }
    }

    private mutating func emit(_ text: String) throws(Signal) {
        output += text
        if output.utf8.count > template.limits.maximumOutput {
            throw failure("output exceeds \(template.limits.maximumOutput) bytes")
        }
    }

    private mutating func walkRange(_ dot: TemplateValue, _ pipeline: TemplatePipeline, body: [TemplateNode], elseBody: [TemplateNode]?)
        throws(Signal)
    {
        let mark = variables.count
        defer { variables.removeLast(variables.count - mark) }
        let value = try evalPipeline(dot, pipeline)
        let bodyMark = variables.count
        var elements: [(TemplateValue, TemplateValue)] = []
        switch value {
        case .list(let values, _):
            elements = values.enumerated().map { (.goInt($0.offset), $0.element) }
        case .map(let values, _):
            elements = values.keys.sorted(by: GoString.less).map { (.string($0), values[$0] ?? .null) }
        case .missing:
            break
        default:
            throw failure("range can't iterate over \(GoFormat.format(value, verb: "v"))")
        }
        if elements.isEmpty {
            if let elseBody { try walk(dot, elseBody) }
            return
        }
        loop: for (index, element) in elements {
            iterations += 1
            guard iterations <= template.limits.maximumIterations else {
                throw failure("more than \(template.limits.maximumIterations) range iterations")
            }
            try spend(1)
            if pipeline.declarations.count > 0 { variables[variables.count - 1].value = element }
            if pipeline.declarations.count > 1 { variables[variables.count - 2].value = index }
            do {
                try walk(element, body)
            } catch .breakLoop {
                variables.removeLast(variables.count - bodyMark)
                break loop
            } catch .continueLoop {
            } catch {
                throw error
            }
            variables.removeLast(variables.count - bodyMark)
        }
    }

    // MARK: Pipelines and commands

    private mutating func evalPipeline(_ dot: TemplateValue, _ pipeline: TemplatePipeline) throws(Signal) -> TemplateValue {
        try enter()
        defer { nesting -= 1 }
        at(pipeline.position, "")
        var value: TemplateValue?
        for command in pipeline.commands {
            value = try evalCommand(dot, command, final: value).dug
        }
        let result = value ?? .missing
        for name in pipeline.declarations {
            if pipeline.isAssignment {
                guard let index = variables.lastIndex(where: { $0.name == name }) else {
                    throw failure("undefined variable: \(name)")
                }
                variables[index].value = result
            } else {
                variables.append((name, result))
            }
        }
        return result
    }

    private mutating func evalCommand(_ dot: TemplateValue, _ command: TemplateCommand, final: TemplateValue?) throws(Signal) -> TemplateValue {
        let first = command.arguments[0]
        switch first {
        case .field(let names, let position):
            at(position, first.source)
            return try evalFieldChain(dot, receiver: dot, names, arguments: command.arguments, final: final)
        case .chain(let inner, let names, let position):
            let receiver = try evalArgument(dot, inner, as: nil)
            at(position, first.source)
            return try evalFieldChain(dot, receiver: receiver, names, arguments: command.arguments, final: final)
        case .function(let name, let position):
            at(position, first.source)
            return try evalCall(dot, name, arguments: Array(command.arguments.dropFirst()), final: final)
        case .pipeline(let pipeline, let position):
            at(position, first.source)
            try notAFunction(command.arguments, final: final)
            return try evalPipeline(dot, pipeline)
        case .variable(let name, let names, let position):
            at(position, first.source)
            let value = try variable(name)
            if names.isEmpty {
                try notAFunction(command.arguments, final: final)
                return value
            }
            return try evalFieldChain(dot, receiver: value, names, arguments: command.arguments, final: final)
        case .bool(let value, let position):
            at(position, first.source)
            try notAFunction(command.arguments, final: final)
            return .bool(value)
        case .dot(let position):
            at(position, first.source)
            try notAFunction(command.arguments, final: final)
            return dot
        case .nilValue(let position):
            at(position, first.source)
            try notAFunction(command.arguments, final: final)
            throw failure("nil is not a command")
        case .number(let number, let position):
            at(position, first.source)
            try notAFunction(command.arguments, final: final)
            return try idealConstant(number)
        case .string(let text, let position):
            at(position, first.source)
            try notAFunction(command.arguments, final: final)
            return .string(text)
        }
    }

    private func notAFunction(_ arguments: [TemplateOperand], final: TemplateValue?) throws(Signal) {
        if arguments.count > 1 || final != nil {
            throw failure("can't give argument to non-function \(arguments[0].source)")
        }
    }

    /// A variable's value; the scan of the scope is charged (one unit per 8 variables in scope).
    private mutating func variable(_ name: String) throws(Signal) -> TemplateValue {
        try spend(variables.count / 8)
        guard let entry = variables.last(where: { $0.name == name }) else { throw failure("undefined variable: \(name)") }
        return entry.value
    }

    private func idealConstant(_ number: TemplateNumber) throws(Signal) -> TemplateValue {
        if number.isFloatSyntax, let float = number.float { return .float(float) }
        if let integer = number.integer { return .int(integer, .int) }
        throw failure("\(number.text) overflows int")
    }

    // MARK: Fields

    private mutating func evalFieldChain(
        _ dot: TemplateValue, receiver: TemplateValue, _ names: [String], arguments: [TemplateOperand], final: TemplateValue?
    ) throws(Signal) -> TemplateValue {
        var receiver = receiver
        for name in names.dropLast() {
            receiver = try field(name, of: receiver, hasArguments: false)
        }
        return try field(names[names.count - 1], of: receiver, hasArguments: arguments.count > 1 || final != nil)
    }

    private func field(_ name: String, of receiver: TemplateValue, hasArguments: Bool) throws(Signal) -> TemplateValue {
        switch receiver {
        case .missing:
            return .missing
        case .null:
            throw failure("nil pointer evaluating interface {}.\(name)")
        case .map(let values, _):
            if hasArguments { throw failure("\(name) is not a method but has arguments") }
            return values[name] ?? .missing
        case .object(let object):
            guard let value = object[name] else {
                throw failure("can't evaluate field \(name) in type \(object.typeName)")
            }
            if hasArguments { throw failure("\(name) has arguments but cannot be invoked as function") }
            return value
        default:
            throw failure("can't evaluate field \(name) in type \(receiver.goTypeName)")
        }
    }

    // MARK: Arguments

    /// Go's `evalArg`: evaluates an operand for a parameter of type `parameter` (nil: untyped, as for a chain's receiver).
    private mutating func evalArgument(_ dot: TemplateValue, _ operand: TemplateOperand, as parameter: TemplateFunction.Parameter?)
        throws(Signal) -> TemplateValue
    {
        at(operand.position, operand.source)
        switch operand {
        case .dot:
            return try validate(dot, parameter)
        case .nilValue:
            switch parameter {
            case .any, .anyMap, nil: return .null
            case .reflected: return .missing
            case .some(let parameter): throw failure("cannot assign nil to \(parameter.goName)")
            }
        case .field(let names, _):
            return try validate(try evalFieldChain(dot, receiver: dot, names, arguments: [operand], final: nil), parameter)
        case .variable(let name, let names, _):
            let value = try variable(name)
            if names.isEmpty { return try validate(value, parameter) }
            return try validate(try evalFieldChain(dot, receiver: value, names, arguments: [operand], final: nil), parameter)
        case .pipeline(let pipeline, _):
            return try validate(try evalPipeline(dot, pipeline), parameter)
        case .function(let name, _):
            return try validate(try evalCall(dot, name, arguments: [], final: nil), parameter)
        case .chain(let inner, let names, _):
            let receiver = try evalArgument(dot, inner, as: nil)
            at(operand.position, operand.source)
            return try validate(try evalFieldChain(dot, receiver: receiver, names, arguments: [operand], final: nil), parameter)
        case .bool(let value, _):
            switch parameter {
            case .bool, .any, .reflected, nil: return .bool(value)
            case .some(let parameter): throw failure("expected \(parameter.goName); found \(operand.source)")
            }
        case .string(let text, _):
            switch parameter {
            case .string, .any, .reflected, nil: return .string(text)
            case .some(let parameter): throw failure("expected \(parameter.goName); found \(operand.source)")
            }
        case .number(let number, _):
            switch parameter {
            case .int:
                guard let integer = number.integer, !number.isFloatSyntax || number.float == Double(integer) else {
                    throw failure("expected integer; found \(operand.source)")
                }
                return .int(integer, .int)
            case .float64:
                guard let float = number.float else { throw failure("expected float; found \(operand.source)") }
                return .float(float)
            case .any, .reflected, nil:
                return try idealConstant(number)
            case .some(let parameter):
                throw failure("expected \(parameter.goName); found \(operand.source)")
            }
        }
    }

    /// Go's `validateType`: the value must have exactly the parameter's type (interfaces take anything).
    private func validate(_ value: TemplateValue, _ parameter: TemplateFunction.Parameter?) throws(Signal) -> TemplateValue {
        guard let parameter else { return value }
        if value == .missing {
            switch parameter {
            case .any: return .null
            case .reflected: return .missing
            case .anyMap: return .map([:], element: .any)
            default: throw failure("invalid value; expected \(parameter.goName)")
            }
        }
        let matches: Bool
        switch (parameter, value) {
        case (.any, _), (.reflected, _): return value
        case (.string, .string), (.bool, .bool), (.float64, .float), (.int, .int(_, .int)): matches = true
        case (.anyMap, .map(_, .any)): matches = true
        default: matches = false
        }
        guard matches else {
            let got = value == .null ? "interface {}" : value.goTypeName
            throw failure("wrong type for value; expected \(parameter.goName); got \(got)")
        }
        return value
    }

    // MARK: Calls

    private mutating func evalCall(_ dot: TemplateValue, _ name: String, arguments: [TemplateOperand], final: TemplateValue?)
        throws(Signal) -> TemplateValue
    {
        guard let function = template.functions[name] else { throw failure("\(GoString.quote(name)) is not a defined function") }
        let count = arguments.count + (final == nil ? 0 : 1)
        if function.variadic != nil {
            if count < function.parameters.count {
                throw failure("wrong number of args for \(name): want at least \(function.parameters.count) got \(arguments.count)")
            }
        } else if count != function.parameters.count {
            throw failure("wrong number of args for \(name): want \(function.parameters.count) got \(count)")
        }
        let position = self.position
        let operandText = self.operand
        // and/or evaluate their arguments lazily and return the deciding one.
        if name == "and" || name == "or" {
            var value: TemplateValue = .missing
            for argument in arguments {
                value = try evalArgument(dot, argument, as: .reflected)
                if value.isTrue == (name == "or") { return value }
            }
            if let final { value = final }
            return value
        }
        var values: [TemplateValue] = []
        for (index, argument) in arguments.enumerated() {
            let parameter = index < function.parameters.count ? function.parameters[index] : function.variadic
            values.append(try evalArgument(dot, argument, as: parameter))
        }
        if let final {
            let index = values.count
            let parameter = index < function.parameters.count ? function.parameters[index] : function.variadic
            values.append(try validate(final, parameter))
        }
        at(position, operandText)
        try measure(values, for: name)
        let result: TemplateValue
        do throws(TemplateFunction.Failure) {
            result = try function.body(values, &work)
            if work < 0 { throw TemplateFunction.Failure("more than \(template.limits.maximumWork) units of work") }
        } catch {
            if error.isTemplateFailure {
                throw .failure(
                    TemplateError(kind: .failed, templateName: template.name, line: position.line, column: position.column, message: error.message))
            }
            throw failure("error calling \(name): \(error.message)")
        }
        if case .string(let text) = result, text.utf8.count > template.limits.maximumOutput {
            throw failure("error calling \(name): result longer than \(template.limits.maximumOutput) bytes")
        }
        var built = 0
        if case .list(let elements, _) = result { built = elements.count }
        if case .map(let entries, _) = result { built = entries.count }
        if built > 0 {
            iterations += built
            try spend(built)
            if iterations > template.limits.maximumIterations {
                throw failure("more than \(template.limits.maximumIterations) list elements built")
            }
        }
        return result
    }

    // MARK: Work

    private mutating func spend(_ units: Int) throws(Signal) {
        work -= units
        if work < 0 { throw failure("more than \(template.limits.maximumWork) units of work") }
    }

    /// Charges a call for the size of its arguments and refuses arguments that are too large or nest too deeply,
    /// before the function runs (so that no function's result can grow beyond a constant factor of the limits).
    private mutating func measure(_ values: [TemplateValue], for name: String) throws(Signal) {
        var bytes = 0
        var units = 1
        var pending: [(TemplateValue, Int)] = values.map { ($0, 1) }
        while let (value, level) = pending.popLast() {
            units += 1
            switch value {
            case .string(let text):
                bytes += text.utf8.count
                units += text.utf8.count / 16
            case .list, .map:
                guard level <= template.limits.maximumNesting else {
                    throw failure("error calling \(name): arguments nest deeper than \(template.limits.maximumNesting)")
                }
                if case .list(let elements, _) = value { pending += elements.lazy.map { ($0, level + 1) } }
                if case .map(let entries, _) = value {
                    bytes += entries.keys.reduce(entries.count) { $0 + $1.utf8.count }
                    pending += entries.values.lazy.map { ($0, level + 1) }
                }
            default:
                break
            }
            if bytes > template.limits.maximumOutput {
                throw failure("error calling \(name): arguments longer than \(template.limits.maximumOutput) bytes")
            }
            if units > work { try spend(units) }
        }
        try spend(units)
    }
}
