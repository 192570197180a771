import Foundation

extension TemplateFunctions {
    private static func unary(_ transform: @escaping @Sendable (String) -> String) -> TemplateFunction {
        TemplateFunction([.string]) { arguments in .string(transform(arguments[0].stringValue)) }
    }

    private static func binary(_ transform: @escaping @Sendable (String, String) -> TemplateValue) -> TemplateFunction {
        TemplateFunction([.string, .string]) { arguments in transform(arguments[0].stringValue, arguments[1].stringValue) }
    }

    private static let goSpace: Set<Unicode.Scalar> = [" ", "\t", "\n", "\u{0B}", "\u{0C}", "\r", "\u{85}", "\u{A0}"]

    /// Go's `unicode.IsSpace`.
    static func isGoSpace(_ scalar: Unicode.Scalar) -> Bool {
        goSpace.contains(scalar) || scalar.properties.isWhitespace && scalar.value > 0xFF
    }

    /// Go's `strings.TrimSpace` (Unicode white space).
    static func trimSpace(_ text: String) -> String {
        let scalars = text.unicodeScalars
        let isSpace: (Unicode.Scalar) -> Bool = isGoSpace
        guard let first = scalars.firstIndex(where: { !isSpace($0) }), let last = scalars.lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(scalars[first...last])
    }

    /// Go's `strings.Trim(s, cutset)`.
    static func trim(_ text: String, cutset: String) -> String {
        let set = Set(cutset.unicodeScalars)
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !set.contains($0) }), let last = scalars.lastIndex(where: { !set.contains($0) }) else {
            return ""
        }
        return String(scalars[first...last])
    }

    /// Go's `strings.Title`: upper-cases letters that start a word (after a separator).
    static func title(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var previous: Unicode.Scalar = " "
        for scalar in text.unicodeScalars {
            let separator: Bool
            if previous.isASCII {
                separator = !(previous.properties.isAlphabetic || ("0"..."9").contains(previous) || previous == "_")
            } else {
                separator = previous.properties.isWhitespace
            }
            if separator, let upper = scalar.properties.titlecaseMapping.unicodeScalars.first,
                scalar.properties.titlecaseMapping.unicodeScalars.count == 1
            {
                out.append(upper)
            } else {
                out.append(scalar)
            }
            previous = scalar
        }
        return String(out)
    }

    /// Go's `strings.Split` (an empty separator splits into UTF-8 sequences).
    static func split(_ text: String, separator: String, limit: Int = -1) -> [String] {
        if limit == 0 { return [] }
        if separator.isEmpty {
            var parts = text.unicodeScalars.map { String($0) }
            if limit > 0 && parts.count > limit {
                parts = Array(parts.prefix(limit - 1)) + [String(text.unicodeScalars.dropFirst(limit - 1))]
            }
            return parts
        }
        var parts: [String] = []
        var rest = Substring(text)
        while limit < 0 || parts.count < limit - 1, let range = rest.range(of: separator, options: .literal) {
            parts.append(String(rest[..<range.lowerBound]))
            rest = rest[range.upperBound...]
        }
        parts.append(String(rest))
        return parts
    }

    /// Byte-range slicing as Go does on strings, refusing cuts that are out of range (Go panics: an error here).
    static func byteSlice(_ text: String, _ start: Int, _ end: Int) throws(Failure) -> String {
        let bytes = Array(text.utf8)
        guard start >= 0, end <= bytes.count, start <= end else {
            throw Failure("runtime error: slice bounds out of range [\(start):\(end)]")
        }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    static let sprigStrings: [String: TemplateFunction] = [
        "trim": unary(trimSpace),
        "upper": unary { $0.uppercased() },
        "lower": unary { $0.lowercased() },
        "title": unary(title),
        "untitle": unary { text in
            var out = ""
            var previousSpace = true
            for character in text {
                out += previousSpace ? character.lowercased() : String(character)
                previousSpace = character.isWhitespace
            }
            return out
        },
        "substr": TemplateFunction([.int, .int, .string]) { (arguments) throws(Failure) in
            let start = arguments[0].intValue
            let end = arguments[1].intValue
            let text = arguments[2].stringValue
            if start < 0 { return .string(try byteSlice(text, 0, end)) }
            if end < 0 || end > text.utf8.count { return .string(try byteSlice(text, start, text.utf8.count)) }
            return .string(try byteSlice(text, start, end))
        },
        "repeat": TemplateFunction([.int, .string]) { (arguments) throws(Failure) in
            let count = arguments[0].intValue
            let text = arguments[1].stringValue
            guard count >= 0 else { throw Failure("strings: negative Repeat count") }
            let size = count.multipliedReportingOverflow(by: max(text.utf8.count, 1))
            try ensureResult(size.overflow ? Int.max : size.partialValue, of: "repeat")
            return .string(String(repeating: text, count: count))
        },
        "trimAll": binary { cutset, text in .string(trim(text, cutset: cutset)) },
        "trimSuffix": binary { suffix, text in .string(text.hasSuffix(suffix) ? String(text.utf8.dropLast(suffix.utf8.count)) ?? text : text) },
        "trimPrefix": binary { prefix, text in .string(text.hasPrefix(prefix) ? String(text.utf8.dropFirst(prefix.utf8.count)) ?? text : text) },
        // goutils works on bytes, each taken as the rune of the same value: kept as Go does it.
        "nospace": unary { text in
            var out = String.UnicodeScalarView()
            for byte in text.utf8 where !isGoSpace(Unicode.Scalar(byte)) { out.append(Unicode.Scalar(byte)) }
            return String(out)
        },
        "initials": unary { text in
            var out = String.UnicodeScalarView()
            var lastWasGap = true
            for byte in text.utf8 {
                let scalar = Unicode.Scalar(byte)
                if isGoSpace(scalar) {
                    lastWasGap = true
                } else if lastWasGap {
                    out.append(scalar)
                    lastWasGap = false
                }
            }
            return String(out)
        },
        "contains": binary { sub, text in .bool(sub.isEmpty || text.range(of: sub, options: .literal) != nil) },
        "hasPrefix": binary { prefix, text in .bool(text.utf8.starts(with: prefix.utf8)) },
        "hasSuffix": binary { suffix, text in .bool(text.utf8.reversed().starts(with: suffix.utf8.reversed())) },
        "quote": TemplateFunction([], variadic: .any) { arguments in
            .string(arguments.filter { $0 != .null }.map { GoString.quote(stringValue($0)) }.joined(separator: " "))
        },
        "squote": TemplateFunction([], variadic: .any) { arguments in
            .string(arguments.filter { $0 != .null }.map { "'" + GoFormat.format($0, verb: "v") + "'" }.joined(separator: " "))
        },
        "cat": TemplateFunction([], variadic: .any) { arguments in
            .string(arguments.filter { $0 != .null }.map { GoFormat.format($0, verb: "v") }.joined(separator: " "))
        },
        "indent": TemplateFunction([.int, .string]) { (arguments) throws(Failure) in
            .string(try indent(arguments[0].intValue, arguments[1].stringValue, name: "indent"))
        },
        "nindent": TemplateFunction([.int, .string]) { (arguments) throws(Failure) in
            .string("\n" + (try indent(arguments[0].intValue, arguments[1].stringValue, name: "nindent")))
        },
        "replace": TemplateFunction([.string, .string, .string]) { (arguments) throws(Failure) in
            let old = arguments[0].stringValue
            let new = arguments[1].stringValue
            let text = arguments[2].stringValue
            if old.isEmpty {
                // Go inserts the replacement before every UTF-8 sequence and at the end.
                try ensureResult(text.utf8.count + (text.unicodeScalars.count + 1) * new.utf8.count, of: "replace")
                return .string(new + text.unicodeScalars.map { String($0) + new }.joined())
            }
            if new.utf8.count > old.utf8.count {
                var occurrences = 0
                var rest = text[...]
                while let range = rest.range(of: old, options: .literal) {
                    occurrences += 1
                    rest = rest[range.upperBound...]
                }
                try ensureResult(text.utf8.count + occurrences * (new.utf8.count - old.utf8.count), of: "replace")
            }
            return .string(text.replacingOccurrences(of: old, with: new, options: .literal))
        },
        "plural": TemplateFunction([.string, .string, .int]) { arguments in
            arguments[2].intValue == 1 ? arguments[0] : arguments[1]
        },
        "trunc": TemplateFunction([.int, .string]) { (arguments) throws(Failure) in
            let count = arguments[0].intValue
            let text = arguments[1].stringValue
            let length = text.utf8.count
            if count < 0 && length + count > 0 { return .string(try byteSlice(text, length + count, length)) }
            if count >= 0 && length > count { return .string(try byteSlice(text, 0, count)) }
            return .string(text)
        },
        "abbrev": TemplateFunction([.int, .string]) { arguments in
            let width = arguments[0].intValue
            let text = arguments[1].stringValue
            // goutils.Abbreviate: widths below 4 leave the text as it is (sprig ignores the error).
            guard width >= 4 else { return .string(text) }
            let characters = Array(text.unicodeScalars)
            guard characters.count > width else { return .string(text) }
            var view = String.UnicodeScalarView()
            view.append(contentsOf: characters.prefix(width - 3))
            return .string(String(view) + "...")
        },
        "splitList": binary { separator, text in .stringList(split(text, separator: separator)) },
        "split": binary { separator, text in
            var parts: [String: TemplateValue] = [:]
            for (index, part) in split(text, separator: separator).enumerated() { parts["_\(index)"] = .string(part) }
            return .map(parts, element: .string)
        },
        "splitn": TemplateFunction([.string, .int, .string]) { arguments in
            var parts: [String: TemplateValue] = [:]
            let pieces = split(arguments[2].stringValue, separator: arguments[0].stringValue, limit: arguments[1].intValue)
            for (index, part) in pieces.enumerated() { parts["_\(index)"] = .string(part) }
            return .map(parts, element: .string)
        },
        "join": TemplateFunction([.string, .any]) { arguments in
            .string(stringSlice(arguments[1]).joined(separator: arguments[0].stringValue))
        },
        "b64enc": unary { Data($0.utf8).base64EncodedString() },
        "b64dec": unary { text in
            guard !text.contains("\n"), !text.contains("\r"), let data = Data(base64Encoded: text) else {
                return "illegal base64 data at input byte \(base64ErrorOffset(text))"
            }
            return String(decoding: data, as: UTF8.self)
        },
        "toString": TemplateFunction([.any]) { arguments in .string(stringValue(arguments[0])) },
        "toStrings": TemplateFunction([.any]) { arguments in .stringList(stringSlice(arguments[0])) },
        "base": unary { GoPath.base($0) },
        "dir": unary { GoPath.dir($0) },
        "clean": unary { GoPath.clean($0) },
        "ext": unary { GoPath.ext($0) },
        "isAbs": TemplateFunction([.string]) { arguments in .bool(arguments[0].stringValue.hasPrefix("/")) },
    ]

    /// Where Go's base64 decoder reports the first bad byte (sprig returns the error's text).
    private static func base64ErrorOffset(_ text: String) -> Int {
        let alphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        let bytes = Array(text.utf8)
        if let offset = bytes.firstIndex(where: { !alphabet.contains($0) && $0 != UInt8(ascii: "=") }) { return offset }
        return bytes.count - bytes.count % 4
    }
}

extension TemplateFunctions {
    /// sprig's `indent`: `width` spaces (0…65,536) before every line; the size is checked before the text is built.
    static func indent(_ width: Int, _ text: String, name: String) throws(TemplateFunction.Failure) -> String {
        let pad = String(repeating: " ", count: max(0, min(width, 1 << 16)))
        let lines = text.utf8.reduce(1) { $1 == 10 ? $0 + 1 : $0 }
        try ensureResult(text.utf8.count + 1 + lines * pad.utf8.count, of: name)
        return pad + text.replacingOccurrences(of: "\n", with: "\n" + pad)
    }
}
