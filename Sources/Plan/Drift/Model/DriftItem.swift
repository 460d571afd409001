/// One thing that drifted from the declared (or applied) state, with what it was, what it is now and the plan's
/// remedy for it. `key` is stable across runs (it is how a later run knows an item is new, ongoing or resolved).
public struct DriftItem: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// A requirement that was satisfied (last run, or made so by a journal's verified change) no longer is.
        case requirement
        /// A forbid rule now matches: the subject effectively holds forbidden bits.
        case forbid
        /// A declared pipeline setting differs from the manifest.
        case setting
        /// A change a journal recorded as verified (not rolled back) is no longer in effect.
        case journal
        /// A pipeline's job token now runs as a different build identity.
        case identity
        /// An `authoritative: true` allow entry's subject holds bits the manifest does not declare.
        case authoritative
    }

    /// Relative to the previous run.
    public enum Status: String, Codable, Sendable {
        case new
        /// Still drifting, but what it is now differs from last run.
        case changed
        case ongoing
        case resolved
    }

    public var key: String
    public var kind: Kind
    public var status: Status
    /// Requirement, forbid-rule or setting id; the change id for a journal item with no requirement; `Project/name`
    /// for an identity item with no requirement.
    public var id: String
    /// The report entry (JUnit testcase) the item belongs to.
    public var check: CheckRef
    /// One line: what drifted.
    public var summary: String
    public var before: String
    public var now: String
    public var location: String?
    public var ace: DriftACE?
    public var setting: DriftSetting?
    public var pipeline: DriftPipeline?
    /// Journal changes the item is about (the change that was reverted, or that had made the requirement hold).
    public var journal: [DriftJournalRef]?
    public var remedy: DriftRemedy?

    public init(
        key: String,
        kind: Kind,
        id: String,
        check: CheckRef,
        summary: String,
        before: String,
        now: String,
        status: Status = .new
    ) {
        self.key = key
        self.kind = kind
        self.status = status
        self.id = id
        self.check = check
        self.summary = summary
        self.before = before
        self.now = now
    }
}

/// A report entry: one per requirement, forbid rule and declared setting (JUnit: classname = kind, name = id), plus
/// one per journal change or pipeline that drifted without belonging to any of them.
public struct CheckRef: Codable, Sendable, Hashable, Comparable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case requirement, forbid, setting, journal, identity
    }

    public var kind: Kind
    public var id: String

    public init(_ kind: Kind, _ id: String) {
        self.kind = kind
        self.id = id
    }

    public static func < (lhs: CheckRef, rhs: CheckRef) -> Bool {
        (Kind.allCases.firstIndex(of: lhs.kind)!, lhs.id) < (Kind.allCases.firstIndex(of: rhs.kind)!, rhs.id)
    }
}

/// The ACE a drift item is about.
public struct DriftACE: Codable, Sendable, Equatable {
    public var namespaceId: String
    public var namespace: String
    public var token: String
    /// Human name of the resource (`Payments/payments-api`).
    public var resource: String?
    public var descriptor: String
    public var displayName: String
    /// The live entry (nil when the descriptor has no entry on the token).
    public var allow: Int?
    public var deny: Int?

    public init(
        namespaceId: String,
        namespace: String,
        token: String,
        resource: String?,
        descriptor: String,
        displayName: String,
        allow: Int?,
        deny: Int?
    ) {
        self.namespaceId = namespaceId
        self.namespace = namespace
        self.token = token
        self.resource = resource
        self.descriptor = descriptor
        self.displayName = displayName
        self.allow = allow
        self.deny = deny
    }
}

/// The pipeline setting a drift item is about.
public struct DriftSetting: Codable, Sendable, Equatable {
    /// `project` or `organization`.
    public var scope: String
    public var projectId: String?
    public var project: String?
    /// Wire name (`enforceJobAuthScope`).
    public var name: String
    /// Declared in the manifest (or recorded as a journal after-image).
    public var expected: Bool
    public var actual: Bool
}

/// A pipeline whose job identity changed.
public struct DriftPipeline: Codable, Sendable, Equatable {
    public var definitionId: Int
    public var project: String
    public var name: String
    public var before: PipelineIdentity
    public var now: PipelineIdentity
}

/// The build identity a pipeline's job token runs as, and why.
public struct PipelineIdentity: Codable, Sendable, Equatable {
    public var descriptor: String
    public var displayName: String
    /// `project` or `collection`.
    public var scope: String
    /// `JobIdentity.Reason` raw value.
    public var reason: String

    public init(descriptor: String, displayName: String, scope: String, reason: String) {
        self.descriptor = descriptor
        self.displayName = displayName
        self.scope = scope
        self.reason = reason
    }

    init(_ job: JobIdentity) {
        self.init(
            descriptor: job.descriptor.rawValue,
            displayName: job.displayName,
            scope: job.scope.rawValue,
            reason: job.reason.rawValue
        )
    }

    /// `Payments Build Service (contoso) (project-scoped: the project limits …)`.
    public var text: String {
        let why = JobIdentity.Reason(rawValue: reason).map { ": \($0.text)" } ?? ""
        return "\(displayName) (\(scope)-scoped\(why))"
    }
}

/// A journal change a drift item refers to.
public struct DriftJournalRef: Codable, Sendable, Equatable {
    public enum State: String, Codable, Sendable {
        /// Live equals the change's before-image again.
        case reverted
        /// Live equals neither image.
        case altered
        /// Live still equals the after-image.
        case inEffect = "in-effect"
    }

    public var change: String
    public var runId: String
    public var journal: String
    public var state: State
    /// The change's summary as the journal recorded it.
    public var summary: String?
}

/// What to do about a drift item: the planner's recommended remedy (or the journal's after-image to re-apply).
public struct DriftRemedy: Codable, Sendable, Equatable {
    /// A plan remedy kind (`lift-deny`, `setting`, `revoke`, …) or `reapply` (a journal change's after-image).
    public var kind: String
    public var status: String
    public var reason: String
    public var changes: [Change]

    public init(kind: String, status: String, reason: String, changes: [Change]) {
        self.kind = kind
        self.status = status
        self.reason = reason
        self.changes = changes
    }

    init(_ remedy: Remedy) {
        self.init(
            kind: remedy.kind.rawValue,
            status: remedy.status.rawValue,
            reason: remedy.reason,
            changes: remedy.changes
        )
    }

    /// The recommended remedy of a finding, else its first.
    static func of(_ finding: Finding) -> DriftRemedy? {
        (finding.remedies.first(where: \.recommended) ?? finding.remedies.first).map(DriftRemedy.init)
    }
}
