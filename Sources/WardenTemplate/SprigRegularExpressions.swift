/// sprig's regular-expression functions, with Go's `regexp` (RE2 syntax, leftmost-first, linear-time matching:
/// ``GoRegexp``). Each compilation and match spends the rendering's work budget, so a pattern on a long text ends
/// with an error rather than holding a CPU.
extension TemplateFunctions {
    /// Compiles `pattern` and charges its cost; a syntax error is Go's message.
    private static func compile(_ pattern: String, work: inout Int) throws(Failure) -> GoRegexp {
        let expression: GoRegexp
        do {
            expression = try GoRegexp(pattern)
        } catch {
            throw Failure(error.message)
        }
        work -= expression.compileCost
        return expression
    }

    private static func exhausted() -> Failure {
        Failure("regular expression: the template's work limit was reached")
    }

    /// `text` as scalars, its length charged.
    private static func scalars(_ text: String, work: inout Int) -> [Unicode.Scalar] {
        let scalars = Array(text.unicodeScalars)
        work -= scalars.count
        return scalars
    }

    private static func matches(_ pattern: String, _ text: String, limit: Int, work: inout Int) throws(Failure) -> [String] {
        let expression = try compile(pattern, work: &work)
        let input = scalars(text, work: &work)
        do {
            return try expression.allMatches(in: input, limit: limit, budget: &work).map { GoRegexp.string(input[$0[0]..<$0[1]]) }
        } catch {
            throw exhausted()
        }
    }

    private static func replaceAll(_ arguments: [TemplateValue], literal: Bool, work: inout Int) throws(Failure) -> TemplateValue {
        let expression = try compile(arguments[0].stringValue, work: &work)
        let input = scalars(arguments[1].stringValue, work: &work)
        do {
            return .string(
                try expression.replaceAll(
                    in: input, with: arguments[2].stringValue, literal: literal, maximumLength: maximumResult, budget: &work))
        } catch {
            throw Failure("regexReplaceAll: the result exceeds 1 MiB or the template's work limit was reached")
        }
    }

    static let sprigRegularExpressions: [String: TemplateFunction] = [
        // regexMatch ignores a pattern that does not compile (false), as sprig does.
        "regexMatch": TemplateFunction(
            [.string, .string],
            metered: { (arguments, work) throws(Failure) in
                guard let expression = try? compile(arguments[0].stringValue, work: &work) else { return .bool(false) }
                do {
                    return .bool(try expression.firstMatch(in: scalars(arguments[1].stringValue, work: &work), from: 0, budget: &work) != nil)
                } catch {
                    throw exhausted()
                }
            }),
        "mustRegexMatch": TemplateFunction(
            [.string, .string],
            metered: { (arguments, work) throws(Failure) in
                .bool(!(try matches(arguments[0].stringValue, arguments[1].stringValue, limit: 1, work: &work)).isEmpty)
            }),
        "regexFind": TemplateFunction(
            [.string, .string],
            metered: { (arguments, work) throws(Failure) in
                .string(try matches(arguments[0].stringValue, arguments[1].stringValue, limit: 1, work: &work).first ?? "")
            }),
        "regexFindAll": TemplateFunction(
            [.string, .string, .int],
            metered: { (arguments, work) throws(Failure) in
                let found = try matches(arguments[0].stringValue, arguments[1].stringValue, limit: arguments[2].intValue, work: &work)
                return found.isEmpty ? .list([], element: .string) : .stringList(found)
            }),
        "regexReplaceAll": TemplateFunction(
            [.string, .string, .string],
            metered: { (arguments, work) throws(Failure) in
                try replaceAll(arguments, literal: false, work: &work)
            }),
        "regexReplaceAllLiteral": TemplateFunction(
            [.string, .string, .string],
            metered: { (arguments, work) throws(Failure) in
                try replaceAll(arguments, literal: true, work: &work)
            }),
        "regexSplit": TemplateFunction(
            [.string, .string, .int],
            metered: { (arguments, work) throws(Failure) in
                let pattern = arguments[0].stringValue
                let expression = try compile(pattern, work: &work)
                do {
                    let parts = try expression.split(
                        scalars(arguments[1].stringValue, work: &work), limit: arguments[2].intValue, isEmptyPattern: pattern.isEmpty, budget: &work)
                    return .stringList(parts)
                } catch {
                    throw exhausted()
                }
            }),
        "regexQuoteMeta": TemplateFunction([.string]) { arguments in
            var out = ""
            for scalar in arguments[0].stringValue.unicodeScalars {
                if #"\.+*?()|[]{}^$"#.unicodeScalars.contains(scalar) { out += "\\" }
                out.unicodeScalars.append(scalar)
            }
            return .string(out)
        },
    ]
}
