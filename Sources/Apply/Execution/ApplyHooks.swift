import Foundation

/// A point in a run where the test hook `ADOPERM_TEST_PAUSE_AFTER=KIND:N` stops the process (so a test can
/// SIGKILL it there and prove that `rollback` recovers). Kinds: `begin` (the `begin` record is durable, nothing
/// written), `intent` (the N-th intent record is durable, its write not sent), `written` (the N-th write returned,
/// `applied` not yet journaled), `applied`, `verified`, `end` (the `end` record is durable, the lock still held):
/// together a pause after every journal record and between every write and its record.
/// Test hook only: nothing in normal use sets it.
public struct PausePoint: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, CaseIterable {
        case begin, intent, written, applied, verified, end
    }

    public var kind: Kind
    public var count: Int

    public init(kind: Kind, count: Int) {
        self.kind = kind
        self.count = count
    }

    /// `intent:2`.
    public static func parse(_ text: String) -> PausePoint? {
        let parts = text.split(separator: ":").map(String.init)
        guard parts.count == 2, let kind = Kind(rawValue: parts[0]), let count = Int(parts[1]), count > 0 else {
            return nil
        }
        return PausePoint(kind: kind, count: count)
    }

    public var description: String { "\(kind.rawValue):\(count)" }
}

/// Run ids: UTC time to the second and six random hex digits (`20261201T223000Z-3f9a1c`), so journals sort by
/// start time and two runs in the same second still differ.
public enum RunId {
    public static func make(at date: Date, suffix: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter.string(from: date) + "-" + suffix
    }

    public static func generate(at date: Date) -> String {
        make(at: date, suffix: String(format: "%06x", UInt32.random(in: 0..<0x100_0000)))
    }
}
