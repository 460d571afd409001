import Foundation
import Plan

/// A journal read back from disk with its hash chain verified: what a run did, change by change.
public struct Journal: Sendable, Equatable {
    public let path: String
    public let records: [JournalRecord]
    /// Digest of the last line: the `prev` the next appended record must carry.
    public let lastDigest: String
    /// Bytes of the complete lines: where the next record goes (less than the file's size when an incomplete last
    /// line was dropped).
    public let validLength: Int
    /// An incomplete last line was dropped (`allowingIncompleteTail`): the writer died mid-append.
    public let droppedIncompleteTail: Bool

    public var runId: String { records.first?.runId ?? "" }
    public var planId: String { records.first?.planId ?? "" }

    /// Reads and verifies `path`: every line must decode, follow its predecessor's digest, and be numbered in order.
    /// Refuses (naming the line) rather than guessing, since rollback trusts the before-images it finds here.
    ///
    /// - Parameter allowingIncompleteTail: drop a last line without its newline instead of refusing. A record is
    ///   durable only once its whole line is fsync'ed and no step starts before that, so a torn last line is a
    ///   step that had not started (an `applied`/`verified` torn off leaves its change in doubt, which rollback
    ///   resolves from live state). Rollback uses it; `journal verify` does not.
    public static func read(path: String, allowingIncompleteTail: Bool = false) throws(JournalError) -> Journal {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .cannotOpen(
                path: path,
                reason: FileManager.default.fileExists(atPath: path) ? "permission denied" : "no such file"
            )
        }
        return try parse(data, path: path, allowingIncompleteTail: allowingIncompleteTail)
    }

    /// Parses journal bytes (see `read(path:)`).
    public static func parse(_ data: Data, path: String, allowingIncompleteTail: Bool = false) throws(JournalError)
        -> Journal
    {
        var lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        guard !lines.isEmpty else { throw .empty(path: path) }
        var validLength = data.count
        var dropped = false
        if data.last != UInt8(ascii: "\n") {
            guard allowingIncompleteTail, lines.count > 1 else {
                throw .malformed(
                    path: path,
                    line: lines.count,
                    reason: "the last line is incomplete (the writer stopped mid-line)"
                )
            }
            validLength -= lines.removeLast().count
            dropped = true
        }
        var records: [JournalRecord] = []
        var digest = JournalRecord.genesis
        for (index, slice) in lines.enumerated() {
            let number = index + 1
            let line = Data(slice)
            let record: JournalRecord
            do {
                record = try JournalCoding.decode(line)
            } catch {
                throw .malformed(path: path, line: number, reason: "not a JSON journal record")
            }
            guard record.prev == digest else { throw .brokenChain(path: path, line: number) }
            guard record.seq == number else {
                throw .outOfSequence(path: path, line: number, expected: number, found: record.seq)
            }
            if let first = records.first, record.runId != first.runId || record.planId != first.planId {
                throw .malformed(path: path, line: number, reason: "runId/planId differ from the first line")
            }
            records.append(record)
            digest = JournalCoding.digest(line)
        }
        return Journal(
            path: path,
            records: records,
            lastDigest: digest,
            validLength: validLength,
            droppedIncompleteTail: dropped
        )
    }

    /// Where each change stands after the last record that mentions it.
    public var outcomes: [ChangeOutcome] {
        var order: [String] = []
        var latest: [String: JournalRecord] = [:]
        var intents: [String: JournalRecord] = [:]
        for record in records {
            guard let change = record.change else { continue }
            if latest[change] == nil { order.append(change) }
            latest[change] = record
            if record.type == .intent { intents[change] = record }
        }
        return order.compactMap { change in
            guard let last = latest[change] else { return nil }
            let state: ChangeOutcome.State =
                switch last.type {
                case .intent: .inDoubt
                case .applied: .applied
                case .verified: .verified
                case .failed: .failed
                case .rollbackIntent: .rollbackInDoubt
                case .rolledBack: .rolledBack
                case .begin, .end: .inDoubt
                }
            let intent = intents[change]
            return ChangeOutcome(
                change: change,
                state: state,
                target: intent?.target ?? last.target,
                before: intent?.before ?? last.before,
                after: intent?.after ?? last.after,
                message: last.message
            )
        }
    }

    /// True when the run wrote its `end` record (it was not interrupted).
    public var isComplete: Bool { records.last?.type == .end }
}

/// One change's standing in a journal.
public struct ChangeOutcome: Sendable, Equatable {
    public enum State: String, Sendable, Equatable {
        /// `intent` is durable but no `applied`/`failed` followed: the write may or may not have happened (crash).
        case inDoubt = "in-doubt"
        case applied
        case verified
        case failed
        /// A rollback started for the change but did not record its result.
        case rollbackInDoubt = "rollback-in-doubt"
        case rolledBack = "rolled-back"
    }

    public var change: String
    public var state: State
    public var target: JSONValue?
    public var before: JSONValue?
    public var after: JSONValue?
    public var message: String?

    /// Whether live state may differ from the before-image because of this change (rollback must look at it).
    public var mayHaveWritten: Bool { state != .rolledBack }
}

extension Journal {
    /// The organization URL the run wrote to (from its first `begin` record).
    public var organization: String? {
        records.first { $0.type == .begin }?.target?["organization"]?.stringValue
    }

    /// When the run started.
    public var startedAt: String { records.first?.at ?? "" }

    /// Who approved the run's changes.
    public var approvedBy: String? { records.first { $0.type == .begin }?.approvedBy }

    /// One word for `journal list`: `applied`, `rolled-back`, `failed`, `interrupted`, `in-progress`.
    public var status: String {
        let outcomes = self.outcomes
        if !isComplete {
            let doubts = outcomes.count { $0.state == .inDoubt || $0.state == .rollbackInDoubt }
            return doubts > 0 ? "interrupted (\(doubts) in doubt)" : "interrupted"
        }
        if outcomes.isEmpty { return "empty" }
        if outcomes.allSatisfy({ $0.state == .rolledBack }) { return "rolled-back" }
        if outcomes.allSatisfy({ $0.state == .verified }) { return "applied" }
        if outcomes.contains(where: { $0.state == .failed }) { return "failed" }
        return "partly rolled back"
    }
}
