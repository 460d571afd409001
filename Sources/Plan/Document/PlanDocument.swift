/// `plan.json` (CONTRACTS.md §3, `"format": "adoperm-plan/1"`). Optional members are omitted when nil, so the
/// canonical encoding (sorted keys, no escaped slashes) is a stable function of the content.
public struct PlanDocument: Codable, Sendable, Equatable {
    public static let formatName = "adoperm-plan/1"

    public var format: String
    /// SHA-256 (hex) of the canonical body: this document without `planId`. Nil only while it is computed.
    public var planId: String?
    public var createdAt: String
    public var organization: String
    public var manifestSha256: String
    /// `<namespaceId>|<token>`, `settings|<projectId>`, `settings|organization`, `definition|<id>`,
    /// `file|<project>/<repo>/<path>` or `file|<local path>` → SHA-256 of what the plan saw (see `Fingerprint`).
    public var fingerprints: [String: String]
    public var summary: PlanSummary
    public var findings: [Finding]
    /// Non-fatal diagnostics of the manifest and agents (stale locks, disabled repositories), one line each.
    public var warnings: [String]?

    public init(
        createdAt: String,
        organization: String,
        manifestSha256: String,
        fingerprints: [String: String],
        summary: PlanSummary,
        findings: [Finding],
        warnings: [String]? = nil
    ) {
        self.format = Self.formatName
        self.createdAt = createdAt
        self.organization = organization
        self.manifestSha256 = manifestSha256
        self.fingerprints = fingerprints
        self.summary = summary
        self.findings = findings
        self.warnings = warnings
    }
}

public struct PlanSummary: Codable, Sendable, Equatable {
    /// Checks evaluated (allow entries, forbid rules and settings), i.e. findings.
    public var requirements: Int
    public var satisfied: Int
    public var gaps: Int
    public var excess: Int
    public var unresolvable: Int
    /// Distinct changes of the recommended remedies (what approving every recommendation would write).
    public var changes: Int

    public init(requirements: Int, satisfied: Int, gaps: Int, excess: Int, unresolvable: Int, changes: Int) {
        self.requirements = requirements
        self.satisfied = satisfied
        self.gaps = gaps
        self.excess = excess
        self.unresolvable = unresolvable
        self.changes = changes
    }
}

/// One evaluated check: an allow entry, a forbid rule or a setting.
public struct Finding: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable {
        case satisfied
        case gap
        case excess
        case unresolvable
    }

    public var requirement: String
    public var status: Status
    /// Where the check is written (`adoperm.yaml:9:7`, or the agent tool's position).
    public var location: String?
    /// The profile or agent tool the check comes from.
    public var origin: String?
    public var subject: SubjectInfo?
    public var namespace: NamespaceInfo?
    public var token: String?
    /// Human name of the resource (`Payments/payments-api`).
    public var resource: String?
    public var requested: [String]?
    public var requestedBits: Int?
    public var missing: [String]?
    public var missingBits: Int?
    /// Forbidden bits the subject effectively holds.
    public var excess: [String]?
    public var excessBits: Int?
    /// The first cause of `causes` (the contract's single cause).
    public var cause: Cause?
    /// Every cause when the missing bits have more than one.
    public var causes: [Cause]?
    /// Where excess bits come from.
    public var grants: [Cause]?
    public var setting: SettingInfo?
    /// Why a finding is unresolvable.
    public var message: String?
    public var remedies: [Remedy]

    public init(requirement: String, status: Status, remedies: [Remedy] = []) {
        self.requirement = requirement
        self.status = status
        self.remedies = remedies
    }
}

public struct SubjectInfo: Codable, Sendable, Equatable {
    public var descriptor: String?
    public var displayName: String
    /// `pipeline`, `service-connection`, `identity`, `group`.
    public var kind: String
    /// `pipeline Payments/payments-pr-reviewer`, …
    public var label: String
    /// For pipelines: `collection` or `project`, and why.
    public var jobScope: String?
    public var jobScopeReason: String?
}

public struct NamespaceInfo: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
}

/// Why bits are denied (or, in `grants`, where excess bits come from).
public struct Cause: Codable, Sendable, Equatable {
    /// `explicit-deny`, `inherited-deny`, `group-deny`, `not-set`; in `grants`: `explicit-allow`,
    /// `inherited-allow`, `group-allow`.
    public var kind: String
    public var token: String?
    public var descriptor: String?
    public var displayName: String?
    /// Membership path from the subject to the group, by display name.
    public var via: [String]?
    public var bits: Int
    public var permissions: [String]
    /// Set when an ancestor's ACE is cut off by `inheritPermissions: false` at this token.
    public var inheritanceBlockedAt: String?
}

public struct SettingInfo: Codable, Sendable, Equatable {
    /// `project` or `organization`.
    public var scope: String
    public var projectId: String?
    public var projectName: String?
    /// Wire name (`enforceJobAuthScope`).
    public var name: String
    public var desired: Bool
    public var actual: Bool
}

public struct Remedy: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable {
        case serviceConnection = "service-connection"
        case jobScope = "job-scope"
        case liftDeny = "lift-deny"
        case childAllow = "child-allow"
        case grant
        /// Excess: clear the Allow where it lives.
        case revoke
        /// Excess: an explicit Deny for the subject on the token.
        case deny
        /// Setting findings.
        case setting
    }

    public enum Status: String, Codable, Sendable {
        case viable
        case needsCompanion = "needs-companion"
        case blocked
        case notApplicable = "not-applicable"
        case manual
    }

    public var rank: Int
    public var kind: Kind
    public var status: Status
    public var reason: String
    public var recommended: Bool
    public var blastRadius: BlastRadius?
    public var changes: [Change]

    public init(rank: Int, kind: Kind, status: Status, reason: String, blastRadius: BlastRadius? = nil,
                changes: [Change] = []) {
        self.rank = rank
        self.kind = kind
        self.status = status
        self.reason = reason
        self.recommended = false
        self.blastRadius = blastRadius
        self.changes = changes
    }
}

public struct BlastRadius: Codable, Sendable, Equatable {
    /// `organization`, `project`, `repository`, `branch`, `definition`, `build-folder`, `area`, `process`.
    public var scope: String
    /// Identities whose effective permissions the change alters (members of a group count one each).
    public var identities: Int
    /// Pipelines whose job identity is among them.
    public var pipelines: Int

    public init(scope: String, identities: Int, pipelines: Int) {
        self.scope = scope
        self.identities = identities
        self.pipelines = pipelines
    }
}
