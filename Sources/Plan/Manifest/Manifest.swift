/// A parsed `adoperm.yaml` (CONTRACTS.md §1): syntax only, every name still as written, every value with its
/// position. `ManifestExpander` turns profiles and `from-agent` entries into plain requirements; `Binder` resolves
/// the names against an organization.
public struct Manifest: Sendable, Hashable {
    /// File name used in diagnostics.
    public var file: String
    public var version: Int
    public var organization: String?
    public var entries: [RequirementEntry]
    public var forbids: [ForbidRule]
    public var settings: [SettingRequirement]
    public var remediation: RemediationPolicy
    /// SHA-256 (hex) of the manifest text's UTF-8 bytes.
    public var manifestSha256: String

    public init(
        file: String,
        version: Int = 1,
        organization: String? = nil,
        entries: [RequirementEntry] = [],
        forbids: [ForbidRule] = [],
        settings: [SettingRequirement] = [],
        remediation: RemediationPolicy = RemediationPolicy(),
        manifestSha256: String = ""
    ) {
        self.file = file
        self.version = version
        self.organization = organization
        self.entries = entries
        self.forbids = forbids
        self.settings = settings
        self.remediation = remediation
        self.manifestSha256 = manifestSha256
    }
}

/// One entry of `requirements:` as written.
public struct RequirementEntry: Sendable, Hashable {
    public enum Body: Sendable, Hashable {
        /// `subject:` + `allow:`.
        case explicit(subject: SubjectRef, allow: [PermissionCheck])
        /// `subject:` + `profile:` (+ `scope:`), optionally with extra `allow:` entries.
        case profile(name: String, subject: SubjectRef, scope: ProfileScope, allow: [PermissionCheck])
        /// `from-agent:`: subject and checks come from the agent's front matter and compiled lock.
        case fromAgent(AgentSource)
    }

    public var id: String
    public var description: String?
    public var body: Body
    public var location: SourceLocation?
    public var subjectLocation: SourceLocation?
    /// Where `profile:`'s value is written.
    public var profileLocation: SourceLocation?

    public init(
        id: String,
        description: String? = nil,
        body: Body,
        location: SourceLocation? = nil,
        subjectLocation: SourceLocation? = nil,
        profileLocation: SourceLocation? = nil
    ) {
        self.id = id
        self.description = description
        self.body = body
        self.location = location
        self.subjectLocation = subjectLocation
        self.profileLocation = profileLocation
    }
}

/// `scope:` of a profile requirement: which projects (Xopero profiles) or which targets (ado-aw tool profiles).
public struct ProfileScope: Sendable, Hashable {
    /// `projects:` — nil or `["*"]` means every project.
    public var projects: [String]?
    /// `project:` — the project ado-aw tool targets live in.
    public var project: String?
    /// `repository:`/`repositories:`, `area:`/`areas:`, `definition:`/`definitions:`, `wiki:`/`wikis:` values.
    public var targets: [String]
    public var location: SourceLocation?
    /// Positions of `projects[i]` / `targets[i]` / `project`.
    public var fieldLocations: [String: SourceLocation]

    public init(
        projects: [String]? = nil,
        project: String? = nil,
        targets: [String] = [],
        location: SourceLocation? = nil,
        fieldLocations: [String: SourceLocation] = [:]
    ) {
        self.projects = projects
        self.project = project
        self.targets = targets
        self.location = location
        self.fieldLocations = fieldLocations
    }

    /// True when every project is meant.
    public var allProjects: Bool { projects == nil || projects == ["*"] }
}

/// Where an ado-aw agent's markdown lives: in a repository (read through `OrgState.files`) or on local disk.
public struct AgentSource: Sendable, Hashable {
    public var project: String
    public var repository: String?
    /// Repository path (`agents/triage.md`).
    public var path: String?
    /// Local file path (`file:`), read by the CLI and passed in.
    public var file: String?
    public var location: SourceLocation?
    public var fieldLocations: [String: SourceLocation]

    public init(
        project: String,
        repository: String? = nil,
        path: String? = nil,
        file: String? = nil,
        location: SourceLocation? = nil,
        fieldLocations: [String: SourceLocation] = [:]
    ) {
        self.project = project
        self.repository = repository
        self.path = path
        self.file = file
        self.location = location
        self.fieldLocations = fieldLocations
    }

    public func location(of field: String) -> SourceLocation? { fieldLocations[field] ?? location }
}
