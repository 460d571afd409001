import Foundation

/// What `adoperm drift` remembers between runs (`.adoperm/drift-state.json`, `"format": "adoperm-drift-state/1"`):
/// the baseline later runs are compared with.
public struct DriftState: Codable, Sendable, Equatable {
    public static let formatName = "adoperm-drift-state/1"

    public var format: String
    public var checkedAt: String
    /// Collection id of the organization the state belongs to (a state of another organization is not used).
    public var collectionId: String
    public var organization: String
    public var manifestSha256: String
    /// Keys of the checks seen satisfied (in any run since the state began, or made so by a journal change):
    /// such a check that fails later is drift.
    public var satisfied: [String]
    /// Definition id → the build identity its job token is expected to run as (the one recorded when it first
    /// appeared, or accepted since because the manifest's settings or a journal change explain it).
    public var identities: [String: PipelineIdentity]
    /// The previous run's drift items, by key order.
    public var items: [DriftItem]
    /// Digests of the watched objects (see `DriftReport.changedObjects`).
    public var fingerprints: [String: String]

    public init(
        checkedAt: String,
        collectionId: String,
        organization: String,
        manifestSha256: String,
        satisfied: [String],
        identities: [String: PipelineIdentity],
        items: [DriftItem],
        fingerprints: [String: String]
    ) {
        self.format = Self.formatName
        self.checkedAt = checkedAt
        self.collectionId = collectionId
        self.organization = organization
        self.manifestSha256 = manifestSha256
        self.satisfied = satisfied
        self.identities = identities
        self.items = items
        self.fingerprints = fingerprints
    }

    /// Canonical file bytes: sorted keys, two-space indent, trailing newline.
    public func fileData() -> Data { CanonicalJSON.pretty(self) }

    /// Reads state file bytes; refuses another format version.
    public static func parse(_ data: Data) throws(DriftStateError) -> DriftState {
        let value: JSONValue
        do {
            value = try JSONValue.parse(data)
        } catch {
            throw .malformed("not JSON")
        }
        guard let format = value["format"]?.stringValue else { throw .malformed("no \"format\" member") }
        guard format == formatName else { throw .unsupportedFormat(format) }
        do {
            return try JSONDecoder().decode(DriftState.self, from: data)
        } catch {
            throw .malformed("a member is missing or has the wrong type")
        }
    }
}

/// Why a state file cannot be used. One line each.
public enum DriftStateError: Error, Sendable, Equatable, CustomStringConvertible {
    case malformed(String)
    case unsupportedFormat(String)

    public var description: String {
        switch self {
        case .malformed(let why): "the drift state is not readable (\(why)); delete it to start a new baseline"
        case .unsupportedFormat(let format):
            "the drift state has format '\(format)', expected '\(DriftState.formatName)'; delete it to start a new "
                + "baseline"
        }
    }
}

/// One change of a journal (CONTRACTS.md §4) as drift compares it: the CLI reads the journals and passes their
/// changes in the order they were made.
public struct JournalChange: Sendable, Equatable {
    public var runId: String
    public var change: String
    /// The journal file (for messages).
    public var journal: String
    /// `verified`, `rolled-back`, … (`ChangeOutcome.State` raw values). Only `verified` changes are compared.
    public var state: String
    /// `{kind, namespaceId, token, descriptor}`, `{kind, scope, projectId, setting}`, `{kind, definitionId, …}`.
    public var target: JSONValue
    /// Images as the journal wrote them (`{allow, deny, present}`, `{value}`, `{jobAuthorizationScope}`).
    public var before: JSONValue?
    public var after: JSONValue?
    /// The change's summary (the intent's message).
    public var summary: String?

    public init(
        runId: String,
        change: String,
        journal: String,
        state: String,
        target: JSONValue,
        before: JSONValue?,
        after: JSONValue?,
        summary: String? = nil
    ) {
        self.runId = runId
        self.change = change
        self.journal = journal
        self.state = state
        self.target = target
        self.before = before
        self.after = after
        self.summary = summary
    }
}
