import Foundation
import WardenCore

/// Go's time layouts (`time.Format` and `time.Parse`): the reference time Mon Jan 2 15:04:05 MST 2006 written the
/// way the output should look.
extension GoTime {
    enum Chunk: Equatable {
        case literal(String)
        case longYear, year, month, longMonth, numMonth, zeroMonth, weekDay, longWeekDay, day, underDay, zeroDay
        case underYearDay, zeroYearDay, hour, hour12, zeroHour12, minute, zeroMinute, second, zeroSecond
        case upperPM, lowerPM, zoneName
        /// `-0700` style; `iso` prints Z for UTC; `colon` adds ':'; `hoursOnly` is `-07`; `seconds` adds seconds.
        case numericZone(iso: Bool, colon: Bool, hoursOnly: Bool, seconds: Bool)
        /// `.000` (zeros kept) or `.999` (trailing zeros dropped) with the digit count.
        case fraction(digits: Int, trimmed: Bool, separator: Character)
    }

    /// `01`…`06`: the chunk the digit after a `0` names (a lookup, not a character range: "2̈" sorts between "2"
    /// and "3" but is no digit).
    private static let zeroPadded: [Character: Chunk] = [
        "1": .zeroMonth, "2": .zeroDay, "3": .zeroHour12, "4": .zeroMinute, "5": .zeroSecond, "6": .year,
    ]

    /// Splits a layout into chunks with Go's `nextStdChunk` rules.
    static func chunks(_ layout: String) -> [Chunk] {
        let c = Array(layout)
        var out: [Chunk] = []
        var literal = ""
        var i = 0
        func has(_ s: String) -> Bool {
            let s = Array(s)
            return i + s.count <= c.count && Array(c[i..<(i + s.count)]) == s
        }
        func emit(_ chunk: Chunk, _ length: Int) {
            if !literal.isEmpty {
                out.append(.literal(literal))
                literal = ""
            }
            out.append(chunk)
            i += length
        }
        while i < c.count {
            switch c[i] {
            case "J" where has("January"): emit(.longMonth, 7)
            case "J" where has("Jan"): emit(.month, 3)
            case "M" where has("Monday"): emit(.longWeekDay, 6)
            case "M" where has("Mon"): emit(.weekDay, 3)
            case "M" where has("MST"): emit(.zoneName, 3)
            case "0" where has("002"): emit(.zeroYearDay, 3)
            case "0" where i + 1 < c.count && Self.zeroPadded[c[i + 1]] != nil:
                emit(Self.zeroPadded[c[i + 1]] ?? .zeroDay, 2)
            case "1" where has("15"): emit(.hour, 2)
            case "1": emit(.numMonth, 1)
            case "2" where has("2006"): emit(.longYear, 4)
            case "2": emit(.day, 1)
            case "_" where has("_2006"):
                literal.append("_")
                i += 1
                emit(.longYear, 4)
            case "_" where has("__2"): emit(.underYearDay, 3)
            case "_" where has("_2"): emit(.underDay, 2)
            case "3": emit(.hour12, 1)
            case "4": emit(.minute, 1)
            case "5": emit(.second, 1)
            case "P" where has("PM"): emit(.upperPM, 2)
            case "p" where has("pm"): emit(.lowerPM, 2)
            case "-" where has("-07:00:00"): emit(.numericZone(iso: false, colon: true, hoursOnly: false, seconds: true), 9)
            case "-" where has("-0700"): emit(.numericZone(iso: false, colon: false, hoursOnly: false, seconds: false), 5)
            case "-" where has("-070000"): emit(.numericZone(iso: false, colon: false, hoursOnly: false, seconds: true), 7)
            case "-" where has("-07:00"): emit(.numericZone(iso: false, colon: true, hoursOnly: false, seconds: false), 6)
            case "-" where has("-07"): emit(.numericZone(iso: false, colon: false, hoursOnly: true, seconds: false), 3)
            case "Z" where has("Z07:00:00"): emit(.numericZone(iso: true, colon: true, hoursOnly: false, seconds: true), 9)
            case "Z" where has("Z070000"): emit(.numericZone(iso: true, colon: false, hoursOnly: false, seconds: true), 7)
            case "Z" where has("Z0700"): emit(.numericZone(iso: true, colon: false, hoursOnly: false, seconds: false), 5)
            case "Z" where has("Z07:00"): emit(.numericZone(iso: true, colon: true, hoursOnly: false, seconds: false), 6)
            case "Z" where has("Z07"): emit(.numericZone(iso: true, colon: false, hoursOnly: true, seconds: false), 3)
            case ".", ",":
                if i + 1 < c.count, c[i + 1] == "0" || c[i + 1] == "9" {
                    let digit = c[i + 1]
                    var j = i + 1
                    while j < c.count && c[j] == digit { j += 1 }
                    if j >= c.count || !c[j].isASCII || !c[j].isNumber {
                        emit(.fraction(digits: j - i - 1, trimmed: digit == "9", separator: c[i]), j - i)
                        continue
                    }
                }
                literal.append(c[i])
                i += 1
            default:
                literal.append(c[i])
                i += 1
            }
        }
        if !literal.isEmpty { out.append(.literal(literal)) }
        return out
    }

    private static func pad(_ value: Int64, _ width: Int, _ fill: Character = "0") -> String {
        let digits = String(value.magnitude)
        let padded = String(repeating: fill, count: max(0, width - digits.count)) + digits
        return value < 0 ? "-" + padded : padded
    }

    /// `time.Format`.
    public func format(_ layout: String) -> String {
        let t = civil
        var out = ""
        for chunk in Self.chunks(layout) {
            switch chunk {
            case .literal(let text): out += text
            case .longYear: out += Self.pad(t.year, 4)
            case .year: out += Self.pad(((t.year % 100) + 100) % 100, 2)
            case .month: out += String(Self.months[t.month - 1].prefix(3))
            case .longMonth: out += Self.months[t.month - 1]
            case .numMonth: out += String(t.month)
            case .zeroMonth: out += Self.pad(Int64(t.month), 2)
            case .weekDay: out += String(Self.weekdays[t.weekday].prefix(3))
            case .longWeekDay: out += Self.weekdays[t.weekday]
            case .day: out += String(t.day)
            case .underDay: out += Self.pad(Int64(t.day), 2, " ")
            case .zeroDay: out += Self.pad(Int64(t.day), 2)
            case .underYearDay: out += Self.pad(Int64(t.yearDay), 3, " ")
            case .zeroYearDay: out += Self.pad(Int64(t.yearDay), 3)
            case .hour: out += Self.pad(Int64(t.hour), 2)
            case .hour12: out += String(t.hour % 12 == 0 ? 12 : t.hour % 12)
            case .zeroHour12: out += Self.pad(Int64(t.hour % 12 == 0 ? 12 : t.hour % 12), 2)
            case .minute: out += String(t.minute)
            case .zeroMinute: out += Self.pad(Int64(t.minute), 2)
            case .second: out += String(t.second)
            case .zeroSecond: out += Self.pad(Int64(t.second), 2)
            case .upperPM: out += t.hour >= 12 ? "PM" : "AM"
            case .lowerPM: out += t.hour >= 12 ? "pm" : "am"
            case .zoneName:
                if !zone.isEmpty {
                    out += zone
                } else {
                    out += numericZone(iso: false, colon: false, hoursOnly: false, seconds: false)
                }
            case .numericZone(let iso, let colon, let hoursOnly, let seconds):
                out += numericZone(iso: iso, colon: colon, hoursOnly: hoursOnly, seconds: seconds)
            case .fraction(let digits, let trimmed, let separator):
                var text = Self.pad(Int64(nanoseconds), 9)
                text = String(text.prefix(digits))
                if trimmed {
                    while text.hasSuffix("0") { text.removeLast() }
                    if text.isEmpty { continue }
                }
                out += String(separator) + text
            }
        }
        return out
    }

    private func numericZone(iso: Bool, colon: Bool, hoursOnly: Bool, seconds: Bool) -> String {
        if iso && offset == 0 { return "Z" }
        let sign = offset < 0 ? "-" : "+"
        let magnitude = abs(offset)
        var out = sign + Self.pad(Int64(magnitude / 3600), 2)
        if !hoursOnly {
            out += (colon ? ":" : "") + Self.pad(Int64(magnitude % 3600 / 60), 2)
            if seconds { out += (colon ? ":" : "") + Self.pad(Int64(magnitude % 60), 2) }
        }
        return out
    }

    public struct ParseError: Error {
        public let message: String
    }

    /// `time.Parse` (the zone is UTC unless the text gives an offset; a zone name gives a zero offset with that
    /// name, as Go does for names it does not know).
    public static func parse(_ layout: String, _ text: String) throws(ParseError) -> GoTime {
        let value = Array(text)
        var i = 0
        var year: Int64 = 1
        var month = 1
        var day = 1
        var hour = 0
        var minute = 0
        var second = 0
        var nanos: Int32 = 0
        var pm: Bool?
        var offset = 0
        var zone = "UTC"
        func fail() -> ParseError {
            ParseError(message: "parsing time \(GoString.quote(text)) as \(GoString.quote(layout)): cannot parse")
        }
        func digits(_ minimum: Int, _ maximum: Int) throws(ParseError) -> Int64 {
            var j = i
            while j < value.count && j - i < maximum && value[j].isASCII && value[j].isNumber { j += 1 }
            guard j - i >= minimum, let number = Int64(String(value[i..<j])) else { throw fail() }
            i = j
            return number
        }
        /// A run of `minimum`…`maximum` digits as the nanoseconds of a fraction (digits past the ninth are
        /// dropped, as they are below a nanosecond).
        func fraction(_ minimum: Int, _ maximum: Int) throws(ParseError) -> Int32 {
            var j = i
            while j < value.count && j - i < maximum && value[j].isASCII && value[j].isNumber { j += 1 }
            guard j - i >= minimum else { throw fail() }
            let nine = String(value[i..<min(j, i + 9)]).padding(toLength: 9, withPad: "0", startingAt: 0)
            i = j
            return Int32(nine) ?? 0
        }
        func word(_ names: [String], length: Int?) throws(ParseError) -> Int {
            for (index, name) in names.enumerated() {
                let candidate = length.map { String(name.prefix($0)) } ?? name
                let count = candidate.count
                if i + count <= value.count && String(value[i..<(i + count)]).lowercased() == candidate.lowercased() {
                    i += count
                    return index
                }
            }
            throw fail()
        }
        func expect(_ character: Character) throws(ParseError) {
            guard i < value.count, value[i] == character else { throw fail() }
            i += 1
        }
        let chunks = Self.chunks(layout)
        for (index, chunk) in chunks.enumerated() {
            switch chunk {
            case .literal(let text):
                for character in text { try expect(character) }
            case .longYear: year = try digits(4, 4)
            case .year:
                let short = try digits(2, 2)
                year = short >= 69 ? 1900 + short : 2000 + short
            case .month: month = try word(Self.months, length: 3) + 1
            case .longMonth: month = try word(Self.months, length: nil) + 1
            case .numMonth: month = Int(try digits(1, 2))
            case .zeroMonth: month = Int(try digits(2, 2))
            case .weekDay: _ = try word(Self.weekdays, length: 3)
            case .longWeekDay: _ = try word(Self.weekdays, length: nil)
            case .day: day = Int(try digits(1, 2))
            case .underDay:
                if i < value.count, value[i] == " " { i += 1 }
                day = Int(try digits(1, 2))
            case .zeroDay: day = Int(try digits(2, 2))
            case .underYearDay, .zeroYearDay: throw ParseError(message: "parsing a day of the year is not supported")
            case .hour: hour = Int(try digits(2, 2))
            case .hour12: hour = Int(try digits(1, 2))
            case .zeroHour12: hour = Int(try digits(2, 2))
            case .minute: minute = Int(try digits(1, 2))
            case .zeroMinute: minute = Int(try digits(2, 2))
            case .second, .zeroSecond:
                second = Int(chunk == .second ? try digits(1, 2) : try digits(2, 2))
                // Go accepts a fractional second right after the seconds even when the layout has none.
                let nextIsFraction: Bool
                if index + 1 < chunks.count, case .fraction = chunks[index + 1] { nextIsFraction = true } else { nextIsFraction = false }
                if !nextIsFraction, i + 1 < value.count, value[i] == "." || value[i] == ",", value[i + 1].isASCII, value[i + 1].isNumber {
                    i += 1
                    nanos = try fraction(1, 9)
                }
            case .upperPM, .lowerPM:
                let index = try word(["AM", "PM"], length: nil)
                pm = index == 1
            case .zoneName:
                var j = i
                while j < value.count && value[j].isASCII && value[j].isUppercase { j += 1 }
                guard j - i >= 3 else { throw fail() }
                zone = String(value[i..<j])
                i = j
                offset = 0
            case .numericZone(let iso, let colon, let hoursOnly, let seconds):
                if iso, i < value.count, value[i] == "Z" {
                    i += 1
                    offset = 0
                    zone = "UTC"
                    continue
                }
                guard i < value.count, value[i] == "+" || value[i] == "-" else { throw fail() }
                let negative = value[i] == "-"
                i += 1
                var total = Int(try digits(2, 2)) * 3600
                if !hoursOnly {
                    if colon { try expect(":") }
                    total += Int(try digits(2, 2)) * 60
                    if seconds {
                        if colon { try expect(":") }
                        total += Int(try digits(2, 2))
                    }
                }
                offset = negative ? -total : total
                zone = ""
            case .fraction(let count, let trimmed, let separator):
                if trimmed {
                    guard i < value.count, value[i] == separator else { continue }
                    i += 1
                    nanos = try fraction(1, 9)
                } else {
                    try expect(separator)
                    nanos = try fraction(count, count)
                }
            }
        }
        guard i == value.count else {
            throw ParseError(message: "parsing time \(GoString.quote(text)): extra text: \(GoString.quote(String(value[i...])))")
        }
        if let pm {
            guard hour >= 1 && hour <= 12 else { throw fail() }
            if pm && hour < 12 { hour += 12 } else if !pm && hour == 12 { hour = 0 }
        }
        let monthDays = [31, CivilDate.isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard (1...12).contains(month), day >= 1, day <= monthDays[month - 1], hour < 24, minute < 60, second < 60 else {
            throw ParseError(message: "parsing time \(GoString.quote(text)): value out of range")
        }
        let local = CivilDate(year: year, month: month, day: day).daysSinceEpoch * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        return GoTime(seconds: local - Int64(offset), nanoseconds: nanos, offset: offset, zone: zone)
    }
}
