import Foundation

/// Go's literal syntax inside actions: `strconv.Unquote` for strings, raw strings and characters, and the number
/// forms `text/template/parse` accepts (decimal, `0x`, `0o`, `0b`, legacy octal, underscores, floats, characters).
enum TemplateLiteral {
    static func unquote(_ token: TemplateToken, templateName: String) throws(TemplateError) -> String {
        let fail = TemplateError(
            kind: .parse, templateName: templateName, line: token.position.line, column: token.position.column,
            message: "invalid syntax: \(token.text)")
        let scalars = Array(token.text.unicodeScalars)
        guard scalars.count >= 2 else { throw fail }
        if token.kind == .rawString {
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars[1..<(scalars.count - 1)].filter { $0 != "\r" })
            return String(view)
        }
        guard let text = unescape(scalars[1..<(scalars.count - 1)], quote: scalars[0]) else { throw fail }
        return text
    }

    /// Decodes Go escapes; nil when an escape is invalid (as `strconv.Unquote` reports `invalid syntax`).
    static func unescape(_ body: ArraySlice<Unicode.Scalar>, quote: Unicode.Scalar) -> String? {
        var out = String.UnicodeScalarView()
        var bytes: [UInt8] = []  // \x and octal escapes are bytes, joined as UTF-8
        func flushBytes() -> Bool {
            guard !bytes.isEmpty else { return true }
            guard let text = String(validating: bytes, as: UTF8.self) else { return false }
            out.append(contentsOf: text.unicodeScalars)
            bytes.removeAll()
            return true
        }
        var index = body.startIndex
        while index < body.endIndex {
            let scalar = body[index]
            index += 1
            guard scalar == "\\" else {
                guard scalar != quote, flushBytes() else { return nil }
                out.append(scalar)
                continue
            }
            guard index < body.endIndex else { return nil }
            let escape = body[index]
            index += 1
            func hexDigits(_ count: Int) -> UInt32? {
                guard body.endIndex - index >= count else { return nil }
                var value: UInt32 = 0
                for _ in 0..<count {
                    guard let digit = Int(String(body[index]), radix: 16) else { return nil }
                    value = value * 16 + UInt32(digit)
                    index += 1
                }
                return value
            }
            switch escape {
            case "x":
                guard let value = hexDigits(2) else { return nil }
                bytes.append(UInt8(value))
                continue
            case "0"..."7":
                var value = escape.value - 48
                for _ in 0..<2 {
                    guard index < body.endIndex, body[index] >= "0", body[index] <= "7" else { return nil }
                    value = value * 8 + body[index].value - 48
                    index += 1
                }
                guard value <= 255 else { return nil }
                bytes.append(UInt8(value))
                continue
            default: break
            }
            guard flushBytes() else { return nil }
            switch escape {
            case "a": out.append("\u{07}")
            case "b": out.append("\u{08}")
            case "f": out.append("\u{0C}")
            case "n": out.append("\n")
            case "r": out.append("\r")
            case "t": out.append("\t")
            case "v": out.append("\u{0B}")
            case "\\": out.append("\\")
            case "\"", "'":
                guard escape == quote else { return nil }
                out.append(escape)
            case "u", "U":
                guard let value = hexDigits(escape == "u" ? 4 : 8), let decoded = Unicode.Scalar(value) else { return nil }
                out.append(decoded)
            default: return nil
            }
        }
        guard flushBytes() else { return nil }
        return String(out)
    }

    static func number(_ token: TemplateToken, templateName: String) throws(TemplateError) -> TemplateNumber {
        let fail = TemplateError(
            kind: .parse, templateName: templateName, line: token.position.line, column: token.position.column,
            message: "illegal number syntax: \(GoString.quote(token.text))")
        if token.kind == .character {
            guard let text = unescape(Array(token.text.unicodeScalars).dropFirst().dropLast(), quote: "'"),
                text.unicodeScalars.count == 1, let scalar = text.unicodeScalars.first
            else { throw fail }
            let value = Int64(scalar.value)
            return TemplateNumber(text: token.text, integer: value, float: Double(value), isFloatSyntax: false, isCharacter: true)
        }
        var text = token.text
        if text.hasSuffix("i") { throw fail }  // complex constants are not supported
        var negative = false
        if text.hasPrefix("+") || text.hasPrefix("-") {
            negative = text.hasPrefix("-")
            text.removeFirst()
        }
        let lower = text.lowercased()
        let digits = lower.replacingOccurrences(of: "_", with: "")
        var integer: Int64?
        var radix = 10
        var body = Substring(digits)
        if lower.hasPrefix("0x") {
            radix = 16
            body = body.dropFirst(2)
        } else if lower.hasPrefix("0o") {
            radix = 8
            body = body.dropFirst(2)
        } else if lower.hasPrefix("0b") {
            radix = 2
            body = body.dropFirst(2)
        } else if digits.count > 1 && digits.hasPrefix("0") && digits.allSatisfy(\.isNumber) {
            radix = 8
            body = body.dropFirst()
        }
        if !body.isEmpty, let magnitude = UInt64(body, radix: radix) {
            if negative {
                if magnitude <= UInt64(Int64.max) + 1 { integer = magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude) }
            } else if magnitude <= UInt64(Int64.max) {
                integer = Int64(magnitude)
            }
        }
        let isHex = radix == 16
        let isFloatSyntax = !isHex && digits.contains(where: { ".ep".contains($0) })
        var float: Double?
        if let integer {
            float = Double(integer)
        } else if !isHex && radix != 2 && !(radix == 8 && lower.hasPrefix("0o")), let value = Double(digits), value.isFinite {
            float = negative ? -value : value
            if let value = float, value == value.rounded(), abs(value) < 9.2e18 { integer = Int64(value) }
        }
        guard integer != nil || float != nil else { throw fail }
        return TemplateNumber(text: token.text, integer: integer, float: float, isFloatSyntax: isFloatSyntax, isCharacter: false)
    }
}
