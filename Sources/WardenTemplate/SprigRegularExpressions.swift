import Foundation

/// sprig's regular-expression functions. Go uses RE2 syntax; Warden compiles with ICU (`NSRegularExpression`), which
/// accepts RE2's common syntax (classes, anchors, groups, `(?P<name>…)` is rewritten to `(?<name>…)`, repetition) and
/// expands replacements with Go's rules (`$1`, `${1}`, `${name}`, `$$`; `$1x` names a group `1x`).
extension TemplateFunctions {
    struct Pattern {
        let expression: NSRegularExpression
        let groupNames: [String]
    }

    static func compile(_ pattern: String) throws(Failure) -> Pattern {
        var translated = pattern.replacingOccurrences(of: "(?P<", with: "(?<")
        if translated.contains("\\z") { translated = translated.replacingOccurrences(of: "\\z", with: "\\z") }
        do {
            let expression = try NSRegularExpression(pattern: translated, options: [])
            var names: [String] = []
            if let finder = try? NSRegularExpression(pattern: "\\(\\?<([A-Za-z_][A-Za-z0-9_]*)>", options: []) {
                let range = NSRange(translated.startIndex..., in: translated)
                for match in finder.matches(in: translated, range: range) {
                    if let nameRange = Range(match.range(at: 1), in: translated) { names.append(String(translated[nameRange])) }
                }
            }
            return Pattern(expression: expression, groupNames: names)
        } catch {
            throw Failure("error parsing regexp: invalid regular expression: `\(pattern)`")
        }
    }

    private static func matches(_ pattern: Pattern, in text: String, limit: Int = -1) -> [NSTextCheckingResult] {
        let all = pattern.expression.matches(in: text, range: NSRange(text.startIndex..., in: text))
        return limit < 0 ? all : Array(all.prefix(limit))
    }

    private static func substring(_ text: String, _ range: NSRange) -> String {
        guard range.location != NSNotFound, let swiftRange = Range(range, in: text) else { return "" }
        return String(text[swiftRange])
    }

    /// Go's `Regexp.Expand` template syntax.
    private static func expand(_ template: String, match: NSTextCheckingResult, in text: String, pattern: Pattern) -> String {
        var out = ""
        var scalars = Substring(template).unicodeScalars[...]
        while let first = scalars.first {
            scalars = scalars.dropFirst()
            guard first == "$" else {
                out.unicodeScalars.append(first)
                continue
            }
            if scalars.first == "$" {
                out += "$"
                scalars = scalars.dropFirst()
                continue
            }
            var name = ""
            if scalars.first == "{" {
                let body = scalars.dropFirst()
                guard let close = body.firstIndex(of: "}") else {
                    out += "$"
                    continue
                }
                name = String(String.UnicodeScalarView(body[..<close]))
                guard !name.isEmpty, name.unicodeScalars.allSatisfy({ TemplateLexer.isAlphanumeric($0) && $0.isASCII }) else {
                    out += "$"
                    continue
                }
                scalars = body[body.index(after: close)...]
            } else {
                while let next = scalars.first, next.isASCII, TemplateLexer.isAlphanumeric(next) {
                    name.unicodeScalars.append(next)
                    scalars = scalars.dropFirst()
                }
                if name.isEmpty {
                    out += "$"
                    continue
                }
            }
            if let number = Int(name), name.allSatisfy(\.isASCII) {
                if number < match.numberOfRanges { out += substring(text, match.range(at: number)) }
            } else if pattern.groupNames.contains(name) {
                out += substring(text, match.range(withName: name))
            }
        }
        return out
    }

    private static func replaceAll(_ pattern: Pattern, _ text: String, literal: Bool, replacement: String) -> String {
        var out = ""
        var last = text.startIndex
        for match in matches(pattern, in: text) {
            guard let range = Range(match.range, in: text) else { continue }
            out += text[last..<range.lowerBound]
            out += literal ? replacement : expand(replacement, match: match, in: text, pattern: pattern)
            last = range.upperBound
        }
        out += text[last...]
        return out
    }

    static let sprigRegularExpressions: [String: TemplateFunction] = [
        "regexMatch": TemplateFunction([.string, .string]) { arguments in
            guard let pattern = try? compile(arguments[0].stringValue) else { return .bool(false) }
            return .bool(!matches(pattern, in: arguments[1].stringValue, limit: 1).isEmpty)
        },
        "mustRegexMatch": TemplateFunction([.string, .string]) { (arguments) throws(Failure) in
            .bool(!matches(try compile(arguments[0].stringValue), in: arguments[1].stringValue, limit: 1).isEmpty)
        },
        "regexFind": TemplateFunction([.string, .string]) { (arguments) throws(Failure) in
            let text = arguments[1].stringValue
            return .string(matches(try compile(arguments[0].stringValue), in: text, limit: 1).first.map { substring(text, $0.range) } ?? "")
        },
        "regexFindAll": TemplateFunction([.string, .string, .int]) { (arguments) throws(Failure) in
            let text = arguments[1].stringValue
            let found = matches(try compile(arguments[0].stringValue), in: text, limit: arguments[2].intValue)
            return found.isEmpty ? .list([], element: .string) : .stringList(found.map { substring(text, $0.range) })
        },
        "regexReplaceAll": TemplateFunction([.string, .string, .string]) { (arguments) throws(Failure) in
            .string(
                replaceAll(try compile(arguments[0].stringValue), arguments[1].stringValue, literal: false, replacement: arguments[2].stringValue))
        },
        "regexReplaceAllLiteral": TemplateFunction([.string, .string, .string]) { (arguments) throws(Failure) in
            .string(replaceAll(try compile(arguments[0].stringValue), arguments[1].stringValue, literal: true, replacement: arguments[2].stringValue))
        },
        "regexSplit": TemplateFunction([.string, .string, .int]) { (arguments) throws(Failure) in
            let text = arguments[1].stringValue
            let limit = arguments[2].intValue
            if limit == 0 { return .list([], element: .string) }
            let pattern = try compile(arguments[0].stringValue)
            var parts: [String] = []
            var last = text.startIndex
            for match in matches(pattern, in: text) {
                if limit > 0 && parts.count == limit - 1 { break }
                guard let range = Range(match.range, in: text) else { continue }
                if range.isEmpty && range.lowerBound == text.startIndex { continue }
                parts.append(String(text[last..<range.lowerBound]))
                last = range.upperBound
            }
            parts.append(String(text[last...]))
            return .stringList(parts)
        },
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
