/// A subject resolved against an organization.
public enum BoundSubject: Sendable, Hashable {
    /// A user, group, service principal or build service named directly (identity, descriptor or group).
    case identity(IdentityDescriptor)
    /// A pipeline: its job identity is decided by `JobScope` under the current settings.
    case pipeline(definitionId: Int, projectId: String)
    /// A service connection: the identity of its backing service principal, or nil when that principal is not an
    /// organization user (then nothing can be granted to it until it is added).
    case serviceConnection(endpointId: String, identity: IdentityDescriptor?)
}

/// A resource resolved to the security namespace and token ADO checks.
public struct ResolvedResource: Sendable, Hashable {
    /// What kind of object the token names; drives blast-radius wording and the TF401027 `scope`.
    public enum Kind: String, Sendable, Hashable {
        case organization
        case project
        case allRepositories = "all-repositories"
        case repository
        case branch
        case allDefinitions = "all-definitions"
        case buildFolder = "build-folder"
        case definition
        case area
        case wiki
        case process
        case raw
    }

    public var namespaceId: String
    public var token: String
    public var kind: Kind
    /// Lower-case project id, when the resource lives in a project.
    public var projectId: String?
    /// Human label: `Payments/payments-api`, `branch agent of Payments/payments-api`, `pipeline Deploy-Canary`.
    public var label: String

    public init(namespaceId: String, token: String, kind: Kind, projectId: String?, label: String) {
        self.namespaceId = namespaceId.lowercased()
        self.token = token
        self.kind = kind
        self.projectId = projectId?.lowercased()
        self.label = label
    }
}

/// One (subject, token, bits) question the evaluator answers: an expanded `allow` entry or a `forbid` rule.
public struct BoundCheck: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        case allow
        case forbid
    }

    /// Requirement or forbid-rule id.
    public var requirementId: String
    public var kind: Kind
    public var subjectRef: SubjectRef
    public var subject: BoundSubject
    public var resource: ResolvedResource
    /// Action names as the live namespace spells them, in bit order.
    public var permissionNames: [String]
    public var bits: Int
    public var authoritative: Bool
    public var location: SourceLocation?
    /// Why the check exists when a profile or agent tool derived it (`add-pr-comment`, `xopero-restore`).
    public var reason: String?
    /// The ado-aw agent behind the subject, when there is one (remedies 1 and 2 use it).
    public var agent: AgentContext?
    /// See `PermissionCheck.jobIdentityOnly`.
    public var jobIdentityOnly: Bool = false

    public init(
        requirementId: String,
        kind: Kind,
        subjectRef: SubjectRef,
        subject: BoundSubject,
        resource: ResolvedResource,
        permissionNames: [String],
        bits: Int,
        authoritative: Bool = false,
        location: SourceLocation? = nil,
        reason: String? = nil,
        agent: AgentContext? = nil
    ) {
        self.reason = reason
        self.agent = agent
        self.requirementId = requirementId
        self.kind = kind
        self.subjectRef = subjectRef
        self.subject = subject
        self.resource = resource
        self.permissionNames = permissionNames
        self.bits = bits
        self.authoritative = authoritative
        self.location = location
    }
}

/// Desired pipeline settings of one project, bound to its id.
public struct BoundSetting: Sendable, Hashable {
    public var projectId: String
    public var projectName: String
    public var values: [String: Bool]
    public var location: SourceLocation?

    public init(projectId: String, projectName: String, values: [String: Bool], location: SourceLocation? = nil) {
        self.projectId = projectId.lowercased()
        self.projectName = projectName
        self.values = values
        self.location = location
    }
}

/// The desired state bound to one organization: every name resolved, every permission turned into bits.
public struct BoundDesiredState: Sendable, Hashable {
    public var desired: DesiredState
    /// In manifest order: requirements' allow entries, then forbid rules.
    public var checks: [BoundCheck]
    public var settings: [BoundSetting]
    /// The manifest's remediation service connection, resolved (endpoint id), if named and found.
    public var writeConnectionId: String?
    /// Non-fatal diagnostics (warnings, notes) found while binding.
    public var warnings: [Diagnostic]

    public init(
        desired: DesiredState,
        checks: [BoundCheck],
        settings: [BoundSetting],
        writeConnectionId: String?,
        warnings: [Diagnostic] = []
    ) {
        self.desired = desired
        self.checks = checks
        self.settings = settings
        self.writeConnectionId = writeConnectionId
        self.warnings = warnings
    }
}
