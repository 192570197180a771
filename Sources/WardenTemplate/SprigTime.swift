import WardenCore

/// sprig's date functions (`now`, `date`, `dateInZone`, `htmlDate`, `htmlDateInZone`, `toDate`, `mustToDate`,
/// `unixEpoch`, `dateModify`, `mustDateModify`, `duration`) with sprig's argument rules: `date` takes a `time.Time`
/// or Unix seconds as an `int`/`int64` — anything else, a JSON number included, means now, as in sprig. `Local` is
/// UTC on the CA; unknown zones fall back to UTC, as sprig does.
extension TemplateFunctions {
    private static func instant(_ value: TemplateValue) -> GoTime {
        switch value {
        case .time(let time): return time
        case .int(let seconds, let type) where type == .int || type == .int64 || type == .int32: return GoTime(seconds: seconds)
        default: return GoTime.now()
        }
    }

    private static func time(_ value: TemplateValue) throws(Failure) -> GoTime {
        guard case .time(let time) = value else { throw Failure("wrong type for value; expected time.Time; got \(value.goTypeName)") }
        return time
    }

    /// `time` moved by a Go duration, or nil when `duration` is not one.
    private static func modified(_ time: GoTime, by duration: String) -> GoTime? {
        GoDuration(parsing: duration).map { time.adding(nanoseconds: $0.nanoseconds) }
    }

    static let sprigTime: [String: TemplateFunction] = [
        "now": TemplateFunction([]) { _ in .time(GoTime.now()) },
        "date": TemplateFunction([.string, .any]) { arguments in
            .string(instant(arguments[1]).inZone(named: "Local").format(arguments[0].stringValue))
        },
        "dateInZone": TemplateFunction([.string, .any, .string]) { arguments in
            .string(instant(arguments[1]).inZone(named: arguments[2].stringValue).format(arguments[0].stringValue))
        },
        "htmlDate": TemplateFunction([.any]) { arguments in .string(instant(arguments[0]).inZone(named: "Local").format("2006-01-02")) },
        "htmlDateInZone": TemplateFunction([.any, .string]) { arguments in
            .string(instant(arguments[0]).inZone(named: arguments[1].stringValue).format("2006-01-02"))
        },
        "toDate": TemplateFunction([.string, .string]) { arguments in
            // sprig ignores the error: the zero time.
            .time((try? GoTime.parse(arguments[0].stringValue, arguments[1].stringValue)) ?? GoTime(seconds: -62_135_596_800))
        },
        "mustToDate": TemplateFunction([.string, .string]) { (arguments) throws(Failure) in
            do throws(GoTime.ParseError) {
                return .time(try GoTime.parse(arguments[0].stringValue, arguments[1].stringValue))
            } catch {
                throw Failure(error.message)
            }
        },
        "unixEpoch": TemplateFunction([.any]) { (arguments) throws(Failure) in .string(String(try time(arguments[0]).seconds)) },
        "dateModify": TemplateFunction([.string, .any]) { (arguments) throws(Failure) in
            let start = try time(arguments[1])
            return .time(modified(start, by: arguments[0].stringValue) ?? start)
        },
        "mustDateModify": TemplateFunction([.string, .any]) { (arguments) throws(Failure) in
            guard let moved = modified(try time(arguments[1]), by: arguments[0].stringValue) else {
                throw Failure("time: invalid duration \(GoString.quote(arguments[0].stringValue))")
            }
            return .time(moved)
        },
        "duration": TemplateFunction([.any]) { arguments in
            // sprig: a string or an int64 of seconds; anything else (a JSON number, an int) is 0.
            let seconds: Int64
            switch arguments[0] {
            case .string(let text): seconds = Int64(text) ?? 0
            case .int(let value, .int64): seconds = value
            default: seconds = 0
            }
            let product = seconds.multipliedReportingOverflow(by: 1_000_000_000)
            return .string(GoDuration(nanoseconds: product.partialValue).description)
        },
    ]
}

extension GoTime {
    func adding(nanoseconds delta: Int64) -> GoTime {
        let total = Int64(nanoseconds) &+ delta % 1_000_000_000
        var copy = self
        copy.seconds = seconds &+ delta / 1_000_000_000 &+ (total >= 1_000_000_000 ? 1 : total < 0 ? -1 : 0)
        copy.nanoseconds = Int32(((total % 1_000_000_000) + 1_000_000_000) % 1_000_000_000)
        return copy
    }
}
