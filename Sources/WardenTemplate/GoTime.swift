import Foundation
import WardenCore

/// Go's `time.Time` for templates (sprig's date functions): an instant (Unix seconds and nanoseconds) with a zone
/// offset and name. Formats and parses Go layouts ("2006-01-02T15:04:05Z07:00"); `Local` is UTC on the CA.
public struct GoTime: Sendable, Hashable {
    public var seconds: Int64
    public var nanoseconds: Int32
    /// Seconds east of UTC.
    public var offset: Int
    public var zone: String

    public init(seconds: Int64, nanoseconds: Int32 = 0, offset: Int = 0, zone: String = "UTC") {
        self.seconds = seconds
        self.nanoseconds = nanoseconds
        self.offset = offset
        self.zone = zone
    }

    public static func now() -> GoTime {
        let interval = Date().timeIntervalSince1970
        let whole = interval.rounded(.down)
        return GoTime(seconds: Int64(whole), nanoseconds: Int32(min(999_999_999, (interval - whole) * 1e9)))
    }

    /// The same instant in another zone.
    func inZone(offset: Int, zone: String) -> GoTime {
        GoTime(seconds: seconds, nanoseconds: nanoseconds, offset: offset, zone: zone)
    }

    /// The zone named `name` (an IANA name, "UTC" or "Local", which is UTC here), or UTC when unknown, as sprig's
    /// `dateInZone` falls back.
    func inZone(named name: String) -> GoTime {
        if name == "Local" || name == "UTC" || name.isEmpty { return inZone(offset: 0, zone: "UTC") }
        guard let zone = TimeZone(identifier: name) else { return inZone(offset: 0, zone: "UTC") }
        let date = Date(timeIntervalSince1970: TimeInterval(seconds))
        return inZone(offset: zone.secondsFromGMT(for: date), zone: zone.abbreviation(for: date) ?? name)
    }

    /// Civil fields in the time's own zone: proleptic Gregorian, from days since 1970-01-01.
    struct Civil {
        var year: Int64, month: Int, day: Int, hour: Int, minute: Int, second: Int, weekday: Int, yearDay: Int
    }

    var civil: Civil {
        let (days, rest) = CivilDate.split(seconds &+ Int64(offset))
        let date = CivilDate(daysSinceEpoch: days)
        let (year, month, day) = (date.year, date.month, date.day)
        let weekday = Int(((days % 7) + 11) % 7)  // 1970-01-01 was a Thursday (4)
        let leap = CivilDate.isLeap(year)
        let cumulative = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334]
        let yearDay = cumulative[month - 1] + day + (leap && month > 2 ? 1 : 0)
        return Civil(
            year: year, month: month, day: day, hour: Int(rest / 3600), minute: Int(rest % 3600 / 60), second: Int(rest % 60),
            weekday: weekday, yearDay: yearDay)
    }

    static let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
    static let weekdays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

    /// Go's `Time.String()`: "2006-01-02 15:04:05.999999999 -0700 MST".
    public var description: String { format("2006-01-02 15:04:05.999999999 -0700 MST") }

    /// RFC 3339 with nanoseconds, as `encoding/json` writes a `time.Time`.
    public var rfc3339Nano: String { format("2006-01-02T15:04:05.999999999Z07:00") }
}
