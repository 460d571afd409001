/// The result of one drift check (`adoperm drift`, JSON `"format": "adoperm-drift/1"`): every declared check with
/// its status, the current drift items (each marked new, changed or ongoing against the previous run), the items
/// of the previous run that are resolved, and information that is not drift.
public struct DriftReport: Codable, Sendable, Equatable {
    public static let formatName = "adoperm-drift/1"

    public var format: String
    public var checkedAt: String
    public var organization: String
    public var manifestSha256: String
    /// `checkedAt` of the run this one is compared with; nil on a first run (then every item is new).
    public var previousRun: String?
    public var summary: DriftSummary
    public var checks: [DriftCheck]
    public var items: [DriftItem]
    public var resolved: [DriftItem]
    public var notes: [DriftNote]
    /// Fingerprinted objects (`<namespaceId>|<token>`, `settings|<projectId>`, `memberships`) that changed since the
    /// previous run, drift or not.
    public var changedObjects: [String]

    public init(
        checkedAt: String,
        organization: String,
        manifestSha256: String,
        previousRun: String?,
        checks: [DriftCheck],
        items: [DriftItem],
        resolved: [DriftItem],
        notes: [DriftNote],
        changedObjects: [String]
    ) {
        self.format = Self.formatName
        self.checkedAt = checkedAt
        self.organization = organization
        self.manifestSha256 = manifestSha256
        self.previousRun = previousRun
        self.checks = checks
        self.items = items
        self.resolved = resolved
        self.notes = notes
        self.changedObjects = changedObjects
        self.summary = DriftSummary(
            checks: checks.count,
            drifting: checks.count { $0.status == .drift },
            items: items.count,
            new: items.count { $0.status == .new || $0.status == .changed },
            resolved: resolved.count,
            pending: checks.count { $0.status == .pending }
        )
    }

    /// No drift item (pending requirements and notes are not drift).
    public var inSync: Bool { items.isEmpty }

    /// Items that are new or changed since the previous run.
    public var newItems: [DriftItem] { items.filter { $0.status == .new || $0.status == .changed } }
}

public struct DriftSummary: Codable, Sendable, Equatable {
    /// Report entries (requirements, forbid rules, settings, and journal/identity entries with drift).
    public var checks: Int
    /// Entries with at least one drift item.
    public var drifting: Int
    public var items: Int
    /// Items new or changed since the previous run.
    public var new: Int
    public var resolved: Int
    /// Requirements not satisfied and never seen satisfied: work for `adoperm plan`, not drift.
    public var pending: Int
}

/// One report entry (a JUnit testcase).
public struct DriftCheck: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable {
        case ok
        case drift
        /// A requirement that is not satisfied and never was (since the state began): not drift.
        case pending
    }

    public var kind: CheckRef.Kind
    public var id: String
    public var status: Status
    public var description: String?
    public var location: String?
    /// Keys of the entry's drift items.
    public var items: [String]
    /// Why an entry is pending.
    public var message: String?

    public var ref: CheckRef { CheckRef(kind, id) }
}

/// Information that is not drift.
public struct DriftNote: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable {
        /// A requirement not yet satisfied (and never seen satisfied).
        case pending
        /// Bits on the subject's own ACE the manifest does not declare (the entry is not authoritative).
        case undeclaredBits = "undeclared-bits"
        /// A verified journal change drift cannot compare (front matter, manual steps, unknown shapes).
        case journalUnchecked = "journal-unchecked"
        /// Why the previous run's state was not used.
        case state
        /// A non-fatal manifest or agent diagnostic.
        case warning
    }

    public var kind: Kind
    public var id: String?
    public var message: String

    public init(_ kind: Kind, id: String?, _ message: String) {
        self.kind = kind
        self.id = id
        self.message = message
    }
}
