/// Terminal column widths of text, so tables line up with CJK, emoji and combining marks (console.md: never
/// use `String.count` for layout). A compact wcwidth: wide East Asian ranges are 2, combining marks and
/// zero-width characters 0, control characters shown escaped elsewhere.
public enum DisplayWidth {
    public static func of(_ scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v == 0 { return 0 }
        if v < 0x20 || (0x7F..<0xA0).contains(v) { return 0 }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
            || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
            || (0xFFE0...0xFFE6).contains(v) || (0x1F300...0x1F64F).contains(v) || (0x1F900...0x1F9FF).contains(v)
            || (0x20000...0x3FFFD).contains(v)
        {
            return 2
        }
        return 1
    }

    public static func of(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { $0 + of($1) }
    }

    /// `text` cut or padded to exactly `width` columns, with "…" when cut.
    public static func fit(_ text: String, _ width: Int) -> String {
        guard width > 0 else { return "" }
        var out = ""
        var used = 0
        let total = of(text)
        let limit = total > width ? width - 1 : width
        for scalar in text.unicodeScalars {
            let w = of(scalar)
            if used + w > limit { break }
            out.unicodeScalars.append(scalar)
            used += w
        }
        if total > width {
            out += "…"
            used += 1
        }
        return out + String(repeating: " ", count: max(0, width - used))
    }
}
