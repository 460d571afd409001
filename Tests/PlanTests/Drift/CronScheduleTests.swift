import Foundation
import Plan
import PropertyBased
import Testing

/// The cron parser and next-fire computation of `adoperm drift --watch --cron` (UTC).
@Suite struct CronScheduleTests {
    /// Unix seconds of a UTC date.
    static func utc(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0, _ second: Int = 0)
        -> Int64
    {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let date = calendar.date(
            from: DateComponents(
                year: year,
                month: month,
                day: day,
                hour: hour,
                minute: minute,
                second: second
            )
        )!
        return Int64(date.timeIntervalSince1970)
    }

    static func next(_ expression: String, after time: Int64) throws -> Int64? {
        try CronSchedule(expression).next(after: time)
    }

    @Test(arguments: [
        // expression, after, expected next fire
        ("0 * * * *", utc(2026, 11, 24, 10, 0, 0), utc(2026, 11, 24, 11, 0)),
        ("0 * * * *", utc(2026, 11, 24, 10, 59, 59), utc(2026, 11, 24, 11, 0)),
        ("*/15 * * * *", utc(2026, 11, 24, 10, 7), utc(2026, 11, 24, 10, 15)),
        ("*/15 * * * *", utc(2026, 11, 24, 10, 45), utc(2026, 11, 24, 11, 0)),
        ("30 2 * * *", utc(2026, 11, 24, 3, 0), utc(2026, 11, 25, 2, 30)),
        ("0 0 1 * *", utc(2026, 12, 15), utc(2027, 1, 1)),
        ("0 0 29 2 *", utc(2026, 3, 1), utc(2028, 2, 29)),
        ("0 9 * * mon-fri", utc(2026, 11, 27, 9, 0), utc(2026, 11, 30, 9, 0)),  // Friday 09:00 → Monday
        ("0 9 * * 0", utc(2026, 11, 24), utc(2026, 11, 29, 9, 0)),  // Sunday
        ("0 9 * * 7", utc(2026, 11, 24), utc(2026, 11, 29, 9, 0)),  // 7 is Sunday too
        ("0 0 13 * 5", utc(2026, 11, 1), utc(2026, 11, 6)),  // day 13 OR Friday: Friday the 6th comes first
        ("0 0 * jan,jul *", utc(2026, 11, 24), utc(2027, 1, 1)),
        ("5-10/5 3 * * *", utc(2026, 11, 24, 3, 6), utc(2026, 11, 24, 3, 10)),
        ("59 23 31 12 *", utc(2026, 12, 31, 23, 59), utc(2027, 12, 31, 23, 59)),
        ("0 12 * * *", utc(1969, 12, 31, 18), utc(1970, 1, 1, 12)),
    ])
    func nextFireTimes(_ expression: String, _ after: Int64, _ expected: Int64) throws {
        #expect(try Self.next(expression, after: after) == expected, "\(expression)")
    }

    @Test(arguments: [
        ("0 * * *", "found 4 fields, expected 5"),
        ("60 * * * *", "minute field '60': 60 is outside 0-59"),
        ("* 24 * * *", "hour field '24': 24 is outside 0-23"),
        ("* * 0 * *", "day-of-month field '0': 0 is outside 1-31"),
        ("* * * 13 *", "month field '13': 13 is outside 1-12"),
        ("* * * * 8", "day-of-week field '8': 8 is outside 0-7"),
        ("*/0 * * * *", "step '0' is not a positive number"),
        ("10-5 * * * *", "range 10-5 runs backwards"),
        ("x * * * *", "minute field 'x': 'x' is not a number"),
        ("1,,2 * * * *", "empty list element"),
        ("0 0 31 2 *", "never fires"),
        ("0 0 30 feb *", "never fires"),
    ])
    func invalidExpressionsAreOneLineErrors(_ expression: String, _ fragment: String) {
        let result = Result { () throws(ScheduleError) in try CronSchedule(expression) }
        guard case .failure(let error) = result else {
            Issue.record("'\(expression)' parsed")
            return
        }
        #expect(error.description.hasPrefix("invalid cron expression '\(expression)': "))
        #expect(error.description.contains(fragment), "\(error)")
        #expect(!error.description.contains("\n"))
    }

    @Test func namesAreCaseInsensitiveAndTheExpressionIsNormalised() throws {
        let cron = try CronSchedule("  0   9  *  JAN-Mar  Sun ")
        #expect(cron.expression == "0 9 * JAN-Mar Sun")
        #expect(cron.next(after: Self.utc(2026, 11, 24)) == Self.utc(2027, 1, 3, 9))
    }

    /// Independent oracle: Foundation's calendar decides whether a minute matches the fields.
    static func matches(_ time: Int64, minute: Set<Int>, hour: Set<Int>, weekdays: Set<Int>) -> Bool {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents(
            [.minute, .hour, .weekday],
            from: Date(timeIntervalSince1970: Double(time))
        )
        return minute.contains(parts.minute!) && hour.contains(parts.hour!) && weekdays.contains(parts.weekday! - 1)
    }

    @Test func nextIsTheFirstMatchingMinuteAfterTheInstant() async {
        await propertyCheck(count: 60, input: Gen.int(in: 0...2_000_000_000)) { start in
            let time = Int64(start)
            let cron = try! CronSchedule("*/7 9-17 * * 1-5")
            guard let next = cron.next(after: time) else {
                Issue.record("no next fire")
                return
            }
            let minutes = Set(stride(from: 0, through: 59, by: 7))
            #expect(next > time && next % 60 == 0)
            #expect(Self.matches(next, minute: minutes, hour: Set(9...17), weekdays: Set(1...5)))
            // Nothing in between matches (at most 3 days ahead for this expression).
            var probe = (time / 60 + 1) * 60
            while probe < next {
                #expect(!Self.matches(probe, minute: minutes, hour: Set(9...17), weekdays: Set(1...5)))
                probe += 60
            }
        }
    }
}

/// Intervals (`--every`) and the watch schedule's timing with jitter.
@Suite struct WatchScheduleTests {
    @Test(arguments: [
        ("1s", 1.0), ("90s", 90), ("5m", 300), ("1h", 3600), ("1h30m", 5400), ("2d", 172_800),
        ("1500ms", 1.5), (" 1H ", 3600),
    ])
    func intervalsParse(_ text: String, _ seconds: Double) throws {
        #expect(try Interval.parse(text) == seconds)
    }

    @Test(arguments: ["", "h", "10", "10x", "1h-5m", "500ms", "0s"])
    func badIntervalsAreRejected(_ text: String) {
        let result = Result { () throws(ScheduleError) in try Interval.parse(text) }
        guard case .failure(let error) = result else {
            Issue.record("'\(text)' parsed")
            return
        }
        #expect(error.description.hasPrefix("invalid interval '\(text)': "))
    }

    @Test func intervalsFormatBack() {
        #expect(Interval.format(3600) == "1h")
        #expect(Interval.format(5400) == "1h30m")
        #expect(Interval.format(1) == "1s")
        #expect(Interval.format(0.25) == "250ms")
    }

    @Test func fixedIntervalsKeepTheirRhythmAndSkipMissedTicks() {
        let schedule = WatchSchedule.every(seconds: 60)
        #expect(schedule.nextPlanned(after: 1000, now: 1010) == 1060)
        // The run overran three ticks: the next one is the first tick still ahead.
        #expect(schedule.nextPlanned(after: 1000, now: 1200) == 1240)
        #expect(schedule.nextPlanned(after: 1000, now: 1060) == 1120)
    }

    @Test func cronSchedulesTakeTheNextFireTime() throws {
        let schedule = WatchSchedule.cron(try CronSchedule("0 * * * *"))
        let now = Double(CronScheduleTests.utc(2026, 11, 24, 10, 20))
        #expect(schedule.nextPlanned(after: now - 100, now: now) == Double(CronScheduleTests.utc(2026, 11, 24, 11)))
    }

    @Test func jitterIsBounded() async {
        await propertyCheck(input: Gen.double(in: 1...200_000), Gen.double(in: 0..<1)) { interval, fraction in
            let schedule = WatchSchedule.every(seconds: interval)
            let start = schedule.start(planned: 5000, previous: 5000 - interval, fraction: fraction)
            let bound = min(interval * WatchSchedule.jitterShare, WatchSchedule.maximumJitter)
            #expect(start >= 5000 && start <= 5000 + bound)
        }
        let hourly = WatchSchedule.every(seconds: 3600)
        #expect(hourly.jitterBound(planned: 0, previous: -3600) == 300)
        #expect(WatchSchedule.every(seconds: 1).jitterBound(planned: 0, previous: -1) == 0.1)
    }
}
