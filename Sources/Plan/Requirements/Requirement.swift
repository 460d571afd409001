/// Who a requirement is about, as the manifest names it (resolved to descriptors by the planner).
public enum SubjectRef: Sendable, Hashable {
    /// The identity the pipeline's job token runs as under the current settings.
    case pipeline(project: String, name: String)
    /// The service principal behind a service connection.
    case serviceConnection(project: String, name: String)
    /// A display name, UPN or mail address.
    case identity(String)
    /// An identity descriptor (`Type;Identifier`).
    case descriptor(String)
    /// A group name such as `[Payments]\Contributors`.
    case group(String)
}

/// What a permission applies to, as the manifest names it (resolved to a namespace and token).
public enum ResourceRef: Sendable, Hashable {
    /// `repoV2/{projectId}[/{repoId}[/refs/heads/{branch…}]]`; nil repository = all repositories of the project.
    case git(project: String, repository: String?, branch: String?)
    /// `{projectId}[/{folder…}/{definitionId}]`; definition is a name or numeric id, nil = all pipelines.
    case build(project: String, definition: String?)
    /// CSS area node (`Payments\Ops`).
    case area(project: String, path: String)
    /// Git bits on the wiki's backing repository.
    case wiki(project: String, name: String)
    /// Project namespace token of the project.
    case project(name: String)
    /// Collection namespace (organization).
    case organization
    /// Process namespace token of a process (`*` = all processes, the `$PROCESS` root).
    case process(name: String)
    /// Escape hatch: a namespace id and literal token.
    case raw(namespaceId: String, token: String)
}

/// "This subject must be able to do these actions on this resource."
public struct PermissionCheck: Sendable, Hashable {
    public var resource: ResourceRef
    /// Action names of the live namespace, as written.
    public var permissions: [String]
    /// Every other bit this subject holds on the token is drift (drift only; see CONTRACTS/README).
    public var authoritative: Bool
    /// Where the entry starts.
    public var location: SourceLocation?
    /// Who must hold the bits when it is not the requirement's subject: ado-aw's checkout and `prepare-pr-base`
    /// always run as the pipeline's job identity, even when `permissions.write` moves the writes to a connection.
    public var subject: SubjectRef?
    /// Why the check exists when it was derived (profile or agent tool), e.g. `add-pr-comment`.
    public var reason: String?
    /// The bits are needed by the pipeline's job identity whatever token Stage 3 writes with (checkout and
    /// `prepare-pr-base` always use `System.AccessToken`): a service connection cannot take them over.
    public var jobIdentityOnly: Bool
    /// Positions of the entry's fields (`project`, `repository`, `branch`, `definition`, `path`, `name`, `token`,
    /// `namespace`) and of each permission (`permissions[0]`, …), for binding errors.
    public var fieldLocations: [String: SourceLocation]

    public init(
        resource: ResourceRef,
        permissions: [String],
        authoritative: Bool = false,
        location: SourceLocation? = nil,
        subject: SubjectRef? = nil,
        reason: String? = nil,
        fieldLocations: [String: SourceLocation] = [:],
        jobIdentityOnly: Bool = false
    ) {
        self.jobIdentityOnly = jobIdentityOnly
        self.resource = resource
        self.permissions = permissions
        self.authoritative = authoritative
        self.location = location
        self.subject = subject
        self.reason = reason
        self.fieldLocations = fieldLocations
    }

    /// The position of a field, else of the entry.
    public func location(of field: String) -> SourceLocation? { fieldLocations[field] ?? location }
}

/// Facts from an ado-aw agent's front matter and compiled lock that the remedies need.
public struct AgentContext: Sendable, Hashable {
    /// Project the agent's pipeline lives in.
    public var project: String
    /// Repository holding the agent markdown (nil for a local file only).
    public var repository: String?
    /// Path of the agent markdown (in the repository, or on disk when `isLocalFile`).
    public var path: String
    public var isLocalFile: Bool
    /// The connection Stage 3 really writes with: the lock's `SC_WRITE_TOKEN` connection when the executor uses it
    /// (else the front matter's when no lock was read); nil = `System.AccessToken`.
    public var writeConnection: String?
    /// `permissions.write` as the front matter declares it (differs from `writeConnection` for a stale lock).
    public var declaredWriteConnection: String?
    /// SHA-256 of the agent markdown as read (fingerprinted when a plan changes its front matter).
    public var sourceSha256: String?
    /// ADO-writing safe-output tools configured.
    public var tools: [String]
    /// Path of the compiled `.lock.yml` (same folder, `foo.md` → `foo.lock.yml`).
    public var lockPath: String
    /// Cross-project constructs found in the lock and front matter.
    public var crossProjectReferences: [CrossProjectReference]
    /// Whether the compiled lock was available (local file or repository file).
    public var lockAvailable: Bool
    /// `upload-pipeline-artifact` publishes into other builds (`allowed-build-ids`): it cannot run under an SPN
    /// token (the file container's ACL is keyed to the job's own build identity; ado-aw#471).
    public var crossBuildUpload: Bool
    /// The build definition that runs the lock, when found.
    public var definitionId: Int?
    /// False when only a pipeline's YAML was scanned (the pipeline is not an ado-aw agent): there is no front
    /// matter to change and no `permissions.write` to set.
    public var isAgent: Bool

    public init(
        project: String,
        repository: String?,
        path: String,
        isLocalFile: Bool,
        writeConnection: String?,
        tools: [String],
        lockPath: String,
        crossProjectReferences: [CrossProjectReference] = [],
        lockAvailable: Bool = true,
        crossBuildUpload: Bool = false,
        definitionId: Int? = nil,
        isAgent: Bool = true,
        declaredWriteConnection: String? = nil
    ) {
        self.declaredWriteConnection = declaredWriteConnection
        self.isAgent = isAgent
        self.project = project
        self.repository = repository
        self.path = path
        self.isLocalFile = isLocalFile
        self.writeConnection = writeConnection
        self.tools = tools
        self.lockPath = lockPath
        self.crossProjectReferences = crossProjectReferences
        self.lockAvailable = lockAvailable
        self.crossBuildUpload = crossBuildUpload
        self.definitionId = definitionId
    }
}

/// A construct in pipeline YAML or front matter that reaches another project (breaks under project-scoped tokens).
public struct CrossProjectReference: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        case repositoryResource = "repository-resource"
        case inlineCheckout = "inline-checkout"
        case pipelineArtifact = "pipeline-artifact"
        case pipelineResource = "pipeline-resource"
        case template = "template"
        case wiki = "wiki"
        case feed = "feed"
        case variableGroup = "variable-group"
    }

    public var kind: Kind
    /// The other project (name or id as written).
    public var project: String
    /// Repository, pipeline (definition name or id), wiki or feed name as written.
    public var name: String?
    /// Where it was found: `agents/sdk-sync.lock.yml:12:7`, or a YAML path.
    public var location: SourceLocation?

    public init(kind: Kind, project: String, name: String?, location: SourceLocation?) {
        self.kind = kind
        self.project = project
        self.name = name
        self.location = location
    }
}

/// One requirement after profiles and `from-agent` have been expanded.
public struct Requirement: Sendable, Hashable {
    /// Where the requirement's checks came from.
    public enum Origin: Sendable, Hashable {
        case manifest
        case profile(String)
        case agent(String)
    }

    public var id: String
    public var description: String?
    public var subject: SubjectRef
    public var allow: [PermissionCheck]
    public var origin: Origin
    public var location: SourceLocation?
    /// Present for `from-agent` requirements (and pipelines whose YAML is an ado-aw lock).
    public var agent: AgentContext?
    /// Where the subject is written (for binding errors).
    public var subjectLocation: SourceLocation?

    public init(
        id: String,
        description: String? = nil,
        subject: SubjectRef,
        allow: [PermissionCheck],
        origin: Origin = .manifest,
        location: SourceLocation? = nil,
        agent: AgentContext? = nil,
        subjectLocation: SourceLocation? = nil
    ) {
        self.id = id
        self.description = description
        self.subject = subject
        self.allow = allow
        self.origin = origin
        self.location = location
        self.agent = agent
        self.subjectLocation = subjectLocation
    }
}

/// "This subject must NOT effectively hold these actions."
public struct ForbidRule: Sendable, Hashable {
    public var id: String
    public var subject: SubjectRef
    public var check: PermissionCheck
    public var location: SourceLocation?
    public var subjectLocation: SourceLocation?

    public init(
        id: String,
        subject: SubjectRef,
        check: PermissionCheck,
        location: SourceLocation? = nil,
        subjectLocation: SourceLocation? = nil
    ) {
        self.id = id
        self.subject = subject
        self.check = check
        self.location = location
        self.subjectLocation = subjectLocation
    }
}

/// Desired pipeline general settings of one project (wire names: `enforceJobAuthScope`, …).
public struct SettingRequirement: Sendable, Hashable {
    public var project: String
    public var values: [String: Bool]
    public var location: SourceLocation?
    /// Where the project name is written.
    public var projectLocation: SourceLocation?

    public init(
        project: String,
        values: [String: Bool],
        location: SourceLocation? = nil,
        projectLocation: SourceLocation? = nil
    ) {
        self.project = project
        self.values = values
        self.location = location
        self.projectLocation = projectLocation
    }
}

/// How remedies may be chosen.
public struct RemediationPolicy: Sendable, Hashable {
    /// The write connection remedy 1 should use (project and name), if the manifest names one.
    public var serviceConnectionProject: String?
    public var serviceConnectionName: String?
    /// Remedy kinds never to propose (`service-connection`, `job-scope`, `lift-deny` — which also drops its
    /// `child-allow` variant — `child-allow`, `grant`, `revoke`, `deny`, `setting`).
    public var exclude: Set<String>
    /// Where `serviceConnection` is written (for binding errors).
    public var serviceConnectionLocation: SourceLocation?

    public init(
        serviceConnectionProject: String? = nil,
        serviceConnectionName: String? = nil,
        exclude: Set<String> = [],
        serviceConnectionLocation: SourceLocation? = nil
    ) {
        self.serviceConnectionProject = serviceConnectionProject
        self.serviceConnectionName = serviceConnectionName
        self.exclude = exclude
        self.serviceConnectionLocation = serviceConnectionLocation
    }
}

/// The manifest after parsing and expansion: what the planner compares with an `OrgState`.
public struct DesiredState: Sendable, Hashable {
    /// Organization URL from the manifest, if given.
    public var organization: String?
    public var requirements: [Requirement]
    public var forbids: [ForbidRule]
    public var settings: [SettingRequirement]
    public var remediation: RemediationPolicy
    /// SHA-256 (hex) of the manifest bytes.
    public var manifestSha256: String
    /// Non-fatal findings of the expansion (stale locks, missing locks).
    public var warnings: [Diagnostic] = []

    public init(
        organization: String?,
        requirements: [Requirement],
        forbids: [ForbidRule] = [],
        settings: [SettingRequirement] = [],
        remediation: RemediationPolicy = RemediationPolicy(),
        manifestSha256: String
    ) {
        self.organization = organization
        self.requirements = requirements
        self.forbids = forbids
        self.settings = settings
        self.remediation = remediation
        self.manifestSha256 = manifestSha256
    }
}
