import Plan

/// One line of a run's journal (CONTRACTS.md §4). Lines are appended and fsync'ed before the next step, and each
/// carries the SHA-256 of the previous line's exact bytes, so a truncated or edited journal is detected.
public struct JournalRecord: Sendable, Hashable, Codable {
    /// The step a record marks.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case begin
        /// Durable before its write is sent; carries the full before-image.
        case intent
        case applied
        case verified
        case failed
        case rollbackIntent = "rollback-intent"
        case rolledBack = "rolled-back"
        case end
    }

    public var seq: Int
    public var runId: String
    public var planId: String
    public var type: Kind
    /// Change id (`c-…`), for per-change records.
    public var change: String?
    public var target: JSONValue?
    public var before: JSONValue?
    public var after: JSONValue?
    /// ISO 8601 time the record was written (from the injected clock).
    public var at: String
    public var approvedBy: String?
    /// Why a step failed, or what a rollback found.
    public var message: String?
    /// For rollback records: the run whose change is being undone, when it differs from `runId`.
    public var rollsBack: String?
    /// SHA-256 (hex) of the previous line's bytes; `JournalRecord.genesis` for the first line.
    public var prev: String

    /// `prev` of the first line of every journal.
    public static let genesis = String(repeating: "0", count: 64)

    public init(
        seq: Int,
        runId: String,
        planId: String,
        type: Kind,
        change: String? = nil,
        target: JSONValue? = nil,
        before: JSONValue? = nil,
        after: JSONValue? = nil,
        at: String,
        approvedBy: String? = nil,
        message: String? = nil,
        rollsBack: String? = nil,
        prev: String = JournalRecord.genesis
    ) {
        self.seq = seq
        self.runId = runId
        self.planId = planId
        self.type = type
        self.change = change
        self.target = target
        self.before = before
        self.after = after
        self.at = at
        self.approvedBy = approvedBy
        self.message = message
        self.rollsBack = rollsBack
        self.prev = prev
    }
}
