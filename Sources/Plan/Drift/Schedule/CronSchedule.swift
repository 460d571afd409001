/// A five-field cron expression (`minute hour day-of-month month day-of-week`), evaluated in UTC.
///
/// Fields take `*`, numbers, ranges `a-b`, lists `a,b`, steps `*/n`, `a-b/n` and `a/n` (from `a` to the field's
/// maximum), month names `JAN`–`DEC` and day names `SUN`–`SAT` (case-insensitive); day-of-week 0 and 7 are both
/// Sunday. As in Vixie cron, when both day-of-month and day-of-week are restricted (neither starts with `*`), a day
/// matches if EITHER matches. Pure: `next(after:)` is arithmetic on Unix seconds, no calendar or clock.
public struct CronSchedule: Sendable, Hashable, CustomStringConvertible {
    public let expression: String
    let minutes: Set<Int>
    let hours: Set<Int>
    let daysOfMonth: Set<Int>
    let months: Set<Int>
    /// 0 = Sunday … 6 = Saturday.
    let daysOfWeek: Set<Int>
    let dayOfMonthRestricted: Bool
    let dayOfWeekRestricted: Bool

    public var description: String { expression }

    /// Parses `expression`, throwing a one-line error that names the field.
    public init(_ expression: String) throws(ScheduleError) {
        let fields = expression.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard fields.count == 5 else {
            throw .invalidCron(
                expression,
                "found \(fields.count) field\(fields.count == 1 ? "" : "s"), expected 5 "
                    + "(minute hour day-of-month month day-of-week)"
            )
        }
        self.expression = fields.joined(separator: " ")
        minutes = try Self.field(fields[0], "minute", 0...59, names: [:], in: expression)
        hours = try Self.field(fields[1], "hour", 0...23, names: [:], in: expression)
        daysOfMonth = try Self.field(fields[2], "day-of-month", 1...31, names: [:], in: expression)
        months = try Self.field(fields[3], "month", 1...12, names: Self.monthNames, in: expression)
        let weekdays = try Self.field(fields[4], "day-of-week", 0...7, names: Self.dayNames, in: expression)
        daysOfWeek = Set(weekdays.map { $0 % 7 })
        dayOfMonthRestricted = !fields[2].hasPrefix("*")
        dayOfWeekRestricted = !fields[4].hasPrefix("*")
        if next(after: 0) == nil {
            throw .invalidCron(expression, "no date matches it (e.g. day 31 of a 30-day month), so it never fires")
        }
    }

    /// The first fire time strictly after `seconds` (Unix time, UTC), on a whole minute. Nil only for an
    /// expression no date matches (rejected by `init`).
    public func next(after seconds: Int64) -> Int64? {
        // Start at the next whole minute.
        let startMinute = Self.floorDiv(seconds, 60) + 1
        var day = Self.floorDiv(startMinute, 1440)
        var minuteOfDay = Int(startMinute - day * 1440)
        // 400 Gregorian years repeat exactly; a matching day exists within one cycle if it ever does.
        let lastDay = day + 146_097
        let sortedHours = hours.sorted()
        let sortedMinutes = minutes.sorted()
        while day <= lastDay {
            if matches(day: day), let time = firstTime(atOrAfter: minuteOfDay, sortedHours, sortedMinutes) {
                return (day * 1440 + Int64(time)) * 60
            }
            day += 1
            minuteOfDay = 0
        }
        return nil
    }

    private func firstTime(atOrAfter minuteOfDay: Int, _ hours: [Int], _ minutes: [Int]) -> Int? {
        let hour = minuteOfDay / 60
        let minute = minuteOfDay % 60
        for candidate in hours where candidate >= hour {
            let from = candidate == hour ? minute : 0
            if let first = minutes.first(where: { $0 >= from }) { return candidate * 60 + first }
        }
        return nil
    }

    private func matches(day: Int64) -> Bool {
        let (_, month, dayOfMonth) = Self.civil(fromDays: day)
        guard months.contains(month) else { return false }
        // 1970-01-01 was a Thursday (4).
        let weekday = Int(((day % 7) + 7 + 4) % 7)
        let domMatch = daysOfMonth.contains(dayOfMonth)
        let dowMatch = daysOfWeek.contains(weekday)
        if dayOfMonthRestricted && dayOfWeekRestricted { return domMatch || dowMatch }
        return domMatch && dowMatch
    }

    // MARK: Parsing

    static let monthNames = [
        "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10,
        "nov": 11, "dec": 12,
    ]
    static let dayNames = ["sun": 0, "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6]

    private static func field(
        _ text: String,
        _ name: String,
        _ range: ClosedRange<Int>,
        names: [String: Int],
        in expression: String
    ) throws(ScheduleError) -> Set<Int> {
        var values: Set<Int> = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false).map(String.init) {
            func fail(_ why: String) -> ScheduleError {
                .invalidCron(expression, "\(name) field '\(text)': \(why)")
            }
            guard !part.isEmpty else { throw fail("empty list element") }
            let pieces = part.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            guard pieces.count <= 2 else { throw fail("more than one '/' in '\(part)'") }
            var step = 1
            if pieces.count == 2 {
                guard let value = Int(pieces[1]), value > 0 else {
                    throw fail("step '\(pieces[1])' is not a positive number")
                }
                step = value
            }
            let base = pieces[0]
            let low: Int
            let high: Int
            if base == "*" {
                (low, high) = (range.lowerBound, range.upperBound)
            } else if let dash = base.firstIndex(of: "-") {
                guard let a = value(String(base[..<dash]), names),
                    let b = value(String(base[base.index(after: dash)...]), names)
                else { throw fail("'\(base)' is not a range of numbers") }
                (low, high) = (a, b)
                guard low <= high else { throw fail("range \(base) runs backwards") }
            } else {
                guard let single = value(base, names) else { throw fail("'\(base)' is not a number") }
                (low, high) = (single, pieces.count == 2 ? range.upperBound : single)
            }
            guard range.contains(low), range.contains(high) else {
                throw fail(
                    "\(low == high ? "\(low)" : "\(low)-\(high)") is outside \(range.lowerBound)-\(range.upperBound)"
                )
            }
            values.formUnion(stride(from: low, through: high, by: step))
        }
        return values
    }

    private static func value(_ text: String, _ names: [String: Int]) -> Int? {
        if let number = Int(text), text.allSatisfy(\.isNumber) { return number }
        return names[text.lowercased()]
    }

    // MARK: Calendar arithmetic

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : -((-a + b - 1) / b) }

    /// Year, month (1–12) and day (1–31) of a day number (days since 1970-01-01), proleptic Gregorian
    /// (H. Hinnant's `civil_from_days`).
    static func civil(fromDays days: Int64) -> (year: Int64, month: Int, day: Int) {
        let z = days + 719_468
        let era = floorDiv(z, 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = Int(dayOfYear - (153 * mp + 2) / 5 + 1)
        let month = Int(mp < 10 ? mp + 3 : mp - 9)
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
