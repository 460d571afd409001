import Foundation

/// Why a schedule cannot be used. One line each.
public enum ScheduleError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidCron(String, String)
    case invalidInterval(String, String)

    public var description: String {
        switch self {
        case .invalidCron(let expression, let why): "invalid cron expression '\(expression)': \(why)"
        case .invalidInterval(let text, let why): "invalid interval '\(text)': \(why)"
        }
    }
}

/// When `adoperm drift --watch` runs: every fixed interval (`--every 1h`) or on a cron schedule (`--cron`), with a
/// bounded random delay (jitter) so that many watchers do not call the API at the same instant.
///
/// Times are Unix seconds (fractional); the caller passes the clock reading and a random fraction in [0, 1), so
/// the schedule itself is pure and testable.
public enum WatchSchedule: Sendable, Hashable, CustomStringConvertible {
    case every(seconds: Double)
    case cron(CronSchedule)

    /// Jitter is at most this share of the interval to the next run…
    public static let jitterShare = 0.1
    /// …and never more than this many seconds.
    public static let maximumJitter = 300.0

    public var description: String {
        switch self {
        case .every(let seconds): "every \(Interval.format(seconds))"
        case .cron(let cron): "cron \"\(cron.expression)\" (UTC)"
        }
    }

    /// The planned (un-jittered) time of the run after one planned at `previous`, given that it is now `now`.
    /// Fixed-interval schedules keep their rhythm (`previous + k·interval`, the first such time after `now`, so an
    /// overrunning check skips ticks instead of piling them up); cron schedules take the next fire time after `now`.
    public func nextPlanned(after previous: Double, now: Double) -> Double {
        switch self {
        case .every(let seconds):
            var next = previous + seconds
            if next <= now { next += (((now - next) / seconds).rounded(.down) + 1) * seconds }
            return next
        case .cron(let cron):
            let fire = cron.next(after: Int64((now).rounded(.down))) ?? Int64(now) + 60
            return Double(fire)
        }
    }

    /// The jitter bound for a run planned at `planned` when the one before was planned at `previous`:
    /// `min(jitterShare × interval, maximumJitter)`.
    public func jitterBound(planned: Double, previous: Double) -> Double {
        let interval: Double
        switch self {
        case .every(let seconds): interval = seconds
        case .cron: interval = max(planned - previous, 0)
        }
        return min(interval * Self.jitterShare, Self.maximumJitter)
    }

    /// When to start the run planned at `planned`: `planned + fraction × jitterBound` (`fraction` in [0, 1)).
    public func start(planned: Double, previous: Double, fraction: Double) -> Double {
        planned + min(max(fraction, 0), 1) * jitterBound(planned: planned, previous: previous)
    }
}

/// Durations as people write them on the command line: `90s`, `5m`, `1h`, `1h30m`, `2d`, `500ms`.
public enum Interval {
    static let units: [(suffix: String, seconds: Double)] = [
        ("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86400),
    ]

    /// Seconds of `text`; at least `minimum`.
    public static func parse(_ text: String, minimum: Double = 1) throws(ScheduleError) -> Double {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard !trimmed.isEmpty else { throw .invalidInterval(text, "it is empty, expected e.g. 30s, 5m, 1h or 1h30m") }
        var total = 0.0
        var rest = Substring(trimmed)
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isNumber || $0 == "." }
            guard !digits.isEmpty, let number = Double(digits) else {
                throw .invalidInterval(text, "expected a number before each unit (e.g. 30s, 5m, 1h or 1h30m)")
            }
            rest = rest.dropFirst(digits.count)
            let letters = rest.prefix { $0.isLetter }
            guard let unit = units.first(where: { $0.suffix == letters }) else {
                let found = letters.isEmpty ? "no unit" : "unit '\(letters)'"
                throw .invalidInterval(text, "found \(found), expected one of ms, s, m, h, d")
            }
            rest = rest.dropFirst(letters.count)
            total += number * unit.seconds
        }
        guard total >= minimum else {
            throw .invalidInterval(text, "it is shorter than \(format(minimum)), the shortest interval allowed")
        }
        return total
    }

    /// `3600` → `1h`, `90` → `1m30s`, `0.5` → `500ms`.
    public static func format(_ seconds: Double) -> String {
        if seconds < 1 { return "\(Int((seconds * 1000).rounded()))ms" }
        var rest = Int(seconds.rounded())
        var parts: [String] = []
        for (suffix, size) in [("d", 86400), ("h", 3600), ("m", 60), ("s", 1)] where rest >= size {
            parts.append("\(rest / size)\(suffix)")
            rest %= size
        }
        return parts.joined()
    }
}
