/// A date in the proleptic Gregorian calendar (as Go and PostgreSQL count; ICU switches to the Julian calendar
/// before 1582), converted to and from days since 1970-01-01 with Howard Hinnant's algorithms — exact over the whole
/// `Int64` range of days that matters for times.
public struct CivilDate: Sendable, Hashable {
    public var year: Int64
    /// 1–12.
    public var month: Int
    /// 1–31.
    public var day: Int

    public init(year: Int64, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// The date `days` after 1970-01-01 (`days_to_civil`).
    public init(daysSinceEpoch days: Int64) {
        let z = days &+ 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        day = Int(dayOfYear - (153 * mp + 2) / 5 + 1)
        month = Int(mp < 10 ? mp + 3 : mp - 9)
        year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    }

    /// Days from 1970-01-01 (`days_from_civil`).
    public var daysSinceEpoch: Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let m = Int64(month)
        let dayOfYear = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// Unix seconds as whole days since 1970-01-01 and the second of that day (0–86399), for negative times too.
    public static func split(_ seconds: Int64) -> (days: Int64, secondOfDay: Int64) {
        let remainder = seconds % 86_400
        return remainder < 0 ? (seconds / 86_400 - 1, remainder + 86_400) : (seconds / 86_400, remainder)
    }

    public static func isLeap(_ year: Int64) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }
}
