import ADOClient
import Foundation
import Plan

/// What rollback did with one change.
public struct RollbackResult: Sendable, Equatable {
    public enum Status: String, Sendable, Equatable {
        case restored
        case nothingToDo = "nothing-to-do"
        /// Live state matched neither image; left alone.
        case conflict
        case failed
    }

    public var change: String
    public var resource: String
    public var status: Status
    public var message: String

    /// Whether the change is now at its before-image.
    public var isUndone: Bool { status == .restored || status == .nothingToDo }
}

/// Undoes journaled changes: reads each resource, decides (`RollbackPlan.decide`), journals `rollback-intent`
/// before writing the before-image back, reads it back, journals `rolled-back`. Used by `apply` after a failure
/// and by `adoperm rollback`.
public struct Rollbacker: Sendable {
    public let io: ResourceIO
    public let clock: any RetryClock
    public let policy: ReadBackPolicy

    public init(io: ResourceIO, clock: any RetryClock, policy: ReadBackPolicy = ReadBackPolicy()) {
        self.io = io
        self.clock = clock
        self.policy = policy
    }

    /// Undoes `entries` in the order given (callers pass them most recent first).
    public func run(
        _ entries: [RollbackEntry],
        journal: JournalWriter,
        progress: @Sendable (RollbackResult) -> Void = { _ in }
    ) async -> [RollbackResult] {
        var results: [RollbackResult] = []
        for entry in entries {
            let result = await undo(entry, journal: journal)
            progress(result)
            results.append(result)
        }
        return results
    }

    func undo(_ entry: RollbackEntry, journal: JournalWriter) async -> RollbackResult {
        func result(_ status: RollbackResult.Status, _ message: String) -> RollbackResult {
            RollbackResult(change: entry.change, resource: entry.resource.label, status: status, message: message)
        }
        func record(_ type: JournalRecord.Kind, before: Image? = nil, after: Image? = nil, _ message: String)
            throws(JournalError)
        {
            try journal.append(
                JournalRecord(
                    seq: 0,
                    runId: "",
                    planId: "",
                    type: type,
                    change: entry.change,
                    target: entry.resource.journalTarget,
                    before: before?.json,
                    after: after?.json,
                    at: timestamp(),
                    message: message
                )
            )
        }
        let live: Image
        do {
            live = try await io.read(entry.resource)
        } catch {
            let message = "rollback: cannot read \(entry.resource.label): \(error)"
            try? record(.failed, message)
            return result(.failed, message)
        }
        do {
            switch RollbackPlan.decide(entry, live: live) {
            case .nothingToDo:
                let why =
                    entry.state == .inDoubt || entry.state == .failed
                    ? "the write did not take effect; live state equals the before-image"
                    : "live state already equals the before-image"
                try record(.rolledBack, before: live, after: entry.before, "nothing to undo: \(why)")
                return result(.nothingToDo, "nothing to undo (\(why))")
            case .conflict:
                let message =
                    "not restored: live state (\(live.summary)) matches neither the before-image "
                    + "(\(entry.before.summary)) nor the after-image (\(entry.after.summary)); it was changed since. "
                    + "Restore \(entry.resource.label) by hand if needed"
                try record(.failed, before: live, after: entry.before, message)
                return result(.conflict, message)
            case .restore:
                // Write-ahead: the intent to restore is durable before the write is sent.
                try record(.rollbackIntent, before: live, after: entry.before, "restoring the before-image")
                do {
                    try await io.write(entry.before, to: entry.resource)
                } catch {
                    let message = "rollback write failed: \(error)"
                    try record(.failed, message)
                    return result(.failed, message)
                }
                switch await io.readBack(entry.resource, expecting: entry.before, policy: policy, clock: clock) {
                case .matches(let image):
                    try record(.rolledBack, after: image, "restored")
                    return result(.restored, "restored (\(entry.before.summary))")
                case .differs(let image):
                    let message = "rollback unverified: read back \(image.summary), expected \(entry.before.summary)"
                    try record(.failed, after: image, message)
                    return result(.failed, message)
                case .unreadable(let error):
                    let message = "rollback unverified: cannot read back: \(error)"
                    try record(.failed, message)
                    return result(.failed, message)
                }
            }
        } catch {
            return result(.failed, "journal: \(error)")
        }
    }

    func timestamp() -> String { JournalClock.timestamp(clock) }
}

/// Journal timestamps from the injected clock.
enum JournalClock {
    static func timestamp(_ clock: any RetryClock) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: clock.wallClock())
    }
}
