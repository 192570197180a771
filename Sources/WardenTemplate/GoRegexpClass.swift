/// A character class: ranges of scalars and Unicode general categories, possibly negated.
struct GoRegexpClass: Sendable {
    var ranges: [ClosedRange<UInt32>] = []
    /// General-category prefixes (`"L"`, `"Lu"`, …) with whether each is negated (`\PL`, `\p{^L}`).
    var categories: [(prefix: String, negated: Bool)] = []
    var negated = false

    /// Sorts and merges the ranges and drops repeated categories, so that ``contains(_:)`` costs a binary search
    /// plus at most one test per distinct category, however the class was written (`[\\W\\W\\W…]`).
    mutating func normalize() {
        var merged: [ClosedRange<UInt32>] = []
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = merged.last, range.lowerBound <= last.upperBound &+ 1 {
                merged[merged.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
            } else {
                merged.append(range)
            }
        }
        ranges = merged
        var seen = Set<String>()
        categories = categories.filter { seen.insert(($0.negated ? "^" : "") + $0.prefix).inserted }
    }

    /// Whether the class matches `scalar`; ranges must be normalized (``normalize()``).
    func contains(_ scalar: Unicode.Scalar) -> Bool {
        var low = 0
        var high = ranges.count
        while low < high {
            let middle = (low + high) / 2
            if ranges[middle].upperBound < scalar.value { low = middle + 1 } else { high = middle }
        }
        var found = low < ranges.count && ranges[low].contains(scalar.value)
        if !found && !categories.isEmpty {
            let category = GoRegexpClass.category(of: scalar)
            found = categories.contains { category.hasPrefix($0.prefix) != $0.negated }
        }
        return found != negated
    }

    /// Unicode general category as its two-letter name (`Lu`, `Nd`, …), as Go's `unicode` tables name them.
    static func category(of scalar: Unicode.Scalar) -> String {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter: return "Lu"
        case .lowercaseLetter: return "Ll"
        case .titlecaseLetter: return "Lt"
        case .modifierLetter: return "Lm"
        case .otherLetter: return "Lo"
        case .nonspacingMark: return "Mn"
        case .spacingMark: return "Mc"
        case .enclosingMark: return "Me"
        case .decimalNumber: return "Nd"
        case .letterNumber: return "Nl"
        case .otherNumber: return "No"
        case .connectorPunctuation: return "Pc"
        case .dashPunctuation: return "Pd"
        case .openPunctuation: return "Ps"
        case .closePunctuation: return "Pe"
        case .initialPunctuation: return "Pi"
        case .finalPunctuation: return "Pf"
        case .otherPunctuation: return "Po"
        case .mathSymbol: return "Sm"
        case .currencySymbol: return "Sc"
        case .modifierSymbol: return "Sk"
        case .otherSymbol: return "So"
        case .spaceSeparator: return "Zs"
        case .lineSeparator: return "Zl"
        case .paragraphSeparator: return "Zp"
        case .control: return "Cc"
        case .format: return "Cf"
        case .surrogate: return "Cs"
        case .privateUse: return "Co"
        case .unassigned: return "Cn"
        @unknown default: return "Cn"
        }
    }

    static let categoryNames: Set<String> = [
        "L", "Lu", "Ll", "Lt", "Lm", "Lo", "M", "Mn", "Mc", "Me", "N", "Nd", "Nl", "No", "P", "Pc", "Pd", "Ps", "Pe", "Pi",
        "Pf", "Po", "S", "Sm", "Sc", "Sk", "So", "Z", "Zs", "Zl", "Zp", "C", "Cc", "Cf", "Cs", "Co",
    ]

    /// `\d \s \w` (Go: ASCII only; `\s` is `[\t\n\f\r ]`).
    static func perl(_ letter: Unicode.Scalar) -> GoRegexpClass? {
        switch letter {
        case "d", "D": return GoRegexpClass(ranges: [48...57], negated: letter == "D")
        case "s", "S": return GoRegexpClass(ranges: [9...10, 12...13, 32...32], negated: letter == "S")
        case "w", "W": return GoRegexpClass(ranges: [48...57, 65...90, 95...95, 97...122], negated: letter == "W")
        default: return nil
        }
    }

    /// `[:name:]` (ASCII, as Go's `regexp/syntax`).
    static func posix(_ name: String) -> [ClosedRange<UInt32>]? {
        switch name {
        case "alnum": return [48...57, 65...90, 97...122]
        case "alpha": return [65...90, 97...122]
        case "ascii": return [0...0x7F]
        case "blank": return [9...9, 32...32]
        case "cntrl": return [0...31, 127...127]
        case "digit": return [48...57]
        case "graph": return [33...126]
        case "lower": return [97...122]
        case "print": return [32...126]
        case "punct": return [33...47, 58...64, 91...96, 123...126]
        case "space": return [9...13, 32...32]
        case "upper": return [65...90]
        case "word": return [48...57, 65...90, 95...95, 97...122]
        case "xdigit": return [48...57, 65...70, 97...102]
        default: return nil
        }
    }

    /// The complement of sorted or unsorted ranges within 0…0x10FFFF.
    static func complement(_ ranges: [ClosedRange<UInt32>]) -> [ClosedRange<UInt32>] {
        var out: [ClosedRange<UInt32>] = []
        var next: UInt32 = 0
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if range.lowerBound > next { out.append(next...(range.lowerBound - 1)) }
            next = max(next, range.upperBound &+ 1)
        }
        if next <= 0x10FFFF { out.append(next...0x10FFFF) }
        return out
    }
}
