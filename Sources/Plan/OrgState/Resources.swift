/// The organization being managed.
public struct OrganizationInfo: Sendable, Equatable {
    public var name: String
    public var url: String
    /// Collection (host) id: the guid after `Build:` in the collection build service descriptor.
    public var collectionId: String
    /// Prefix of every `ServiceIdentity;{hostId}:Build:{scope}` descriptor.
    public var hostId: String
    public var tenantId: String

    public init(name: String, url: String, collectionId: String, hostId: String, tenantId: String) {
        self.name = name
        self.url = url
        self.collectionId = collectionId
        self.hostId = hostId
        self.tenantId = tenantId
    }
}

/// A team project.
public struct Project: Sendable, Equatable {
    public enum Visibility: String, Sendable { case `private`, `public` }
    public var id: String
    public var name: String
    public var visibility: Visibility
    public var state: String

    public init(id: String, name: String, visibility: Visibility = .private, state: String = "wellFormed") {
        self.id = id.lowercased()
        self.name = name
        self.visibility = visibility
        self.state = state
    }
}

/// A Git repository.
public struct Repository: Sendable, Equatable {
    public var id: String
    public var name: String
    public var projectId: String
    public var isDisabled: Bool
    public var defaultBranch: String?

    public init(id: String, name: String, projectId: String, isDisabled: Bool = false, defaultBranch: String? = nil) {
        self.id = id.lowercased()
        self.name = name
        self.projectId = projectId.lowercased()
        self.isDisabled = isDisabled
        self.defaultBranch = defaultBranch
    }
}

/// A wiki and the Git repository that backs it (wiki security is Git security on that repository).
public struct Wiki: Sendable, Equatable {
    public var id: String
    public var name: String
    public var projectId: String
    public var repositoryId: String
    /// `projectWiki` or `codeWiki`.
    public var type: String

    public init(id: String, name: String, projectId: String, repositoryId: String, type: String = "projectWiki") {
        self.id = id.lowercased()
        self.name = name
        self.projectId = projectId.lowercased()
        self.repositoryId = repositoryId.lowercased()
        self.type = type
    }
}

/// The job authorization scope of a classic build definition.
public enum JobAuthorizationScope: String, Sendable {
    case projectCollection
    case project
}

/// A build (pipeline) definition with the properties that decide its job identity.
public struct BuildDefinition: Sendable, Equatable {
    public enum ProcessType: Int, Sendable {
        case classic = 1
        case yaml = 2
    }

    public var id: Int
    public var name: String
    /// Folder path as ADO writes it (`\` root, `\Folder\Sub`).
    public var path: String
    public var projectId: String
    public var revision: Int
    public var processType: ProcessType
    public var yamlFilename: String?
    /// Repository the definition builds from (`TfsGit` id and name), if any.
    public var repositoryId: String?
    public var repositoryName: String?
    public var repositoryType: String?
    public var jobAuthorizationScope: JobAuthorizationScope

    public init(
        id: Int,
        name: String,
        path: String = "\\",
        projectId: String,
        revision: Int = 1,
        processType: ProcessType = .yaml,
        yamlFilename: String? = nil,
        repositoryId: String? = nil,
        repositoryName: String? = nil,
        repositoryType: String? = nil,
        jobAuthorizationScope: JobAuthorizationScope = .projectCollection
    ) {
        self.id = id
        self.name = name
        self.path = path
        self.projectId = projectId.lowercased()
        self.revision = revision
        self.processType = processType
        self.yamlFilename = yamlFilename
        self.repositoryId = repositoryId?.lowercased()
        self.repositoryName = repositoryName
        self.repositoryType = repositoryType
        self.jobAuthorizationScope = jobAuthorizationScope
    }
}

/// Pipeline general settings (`_apis/build/generalsettings`): every boolean the service returned, by wire name.
public struct PipelineSettings: Sendable, Equatable {
    public var values: [String: Bool]

    public init(values: [String: Bool] = [:]) { self.values = values }

    public var enforceJobAuthScope: Bool { values["enforceJobAuthScope"] ?? false }
    public var enforceJobAuthScopeForReleases: Bool { values["enforceJobAuthScopeForReleases"] ?? false }
    public var enforceReferencedRepoScopedToken: Bool { values["enforceReferencedRepoScopedToken"] ?? false }
}

/// Organization-level and per-project pipeline settings. Project values are as the project route returns them.
public struct PipelineSettingsState: Sendable, Equatable {
    public var organization: PipelineSettings
    /// Keyed by lower-case project id.
    public var projects: [String: PipelineSettings]

    public init(organization: PipelineSettings = PipelineSettings(), projects: [String: PipelineSettings] = [:]) {
        self.organization = organization
        self.projects = projects
    }
}

/// A service connection (service endpoint).
public struct ServiceEndpoint: Sendable, Equatable {
    public var id: String
    public var name: String
    /// `azurerm`, `generic`, `github`, …
    public var type: String
    /// `authorization.scheme` (`ServicePrincipal`, `WorkloadIdentityFederation`, …).
    public var scheme: String
    /// Non-secret `authorization.parameters` (`tenantid`, `serviceprincipalid`, …).
    public var parameters: [String: String]
    /// Projects the endpoint is shared into: (project id, name it has there).
    public var projectReferences: [ProjectReference]
    public var isReady: Bool

    /// One entry of `serviceEndpointProjectReferences`.
    public struct ProjectReference: Sendable, Equatable {
        public var projectId: String
        public var name: String

        public init(projectId: String, name: String) {
            self.projectId = projectId.lowercased()
            self.name = name
        }
    }

    public init(
        id: String,
        name: String,
        type: String,
        scheme: String,
        parameters: [String: String] = [:],
        projectReferences: [ProjectReference] = [],
        isReady: Bool = true
    ) {
        self.id = id.lowercased()
        self.name = name
        self.type = type
        self.scheme = scheme
        self.parameters = parameters
        self.projectReferences = projectReferences
        self.isReady = isReady
    }

    /// The Entra application id the connection authenticates as, when it has one.
    public var servicePrincipalId: String? { parameters["serviceprincipalid"]?.lowercased() }
}

/// An area path node (CSS). Its security token is the chain of `vstfs:///Classification/Node/{identifier}` from
/// the project's root area node down to it, joined with `:`.
public struct AreaNode: Sendable, Equatable {
    public var id: Int
    /// Node GUID (lower case).
    public var identifier: String
    public var name: String
    /// ADO's path, e.g. `\Payments\Area\Ops`.
    public var path: String
    public var projectId: String
    /// Identifier of the parent node; `nil` for the project's root area.
    public var parentIdentifier: String?

    public init(
        id: Int,
        identifier: String,
        name: String,
        path: String,
        projectId: String,
        parentIdentifier: String?
    ) {
        self.id = id
        self.identifier = identifier.lowercased()
        self.name = name
        self.path = path
        self.projectId = projectId.lowercased()
        self.parentIdentifier = parentIdentifier?.lowercased()
    }
}

/// A work item process (`_apis/work/processes`): its Process namespace token is `$PROCESS:{typeId}:` for system
/// processes and `$PROCESS:{parentTypeId}:{typeId}:` for inherited ones.
public struct WorkProcess: Sendable, Equatable {
    public var typeId: String
    public var name: String
    /// Zero GUID or nil for system processes.
    public var parentTypeId: String?

    public init(typeId: String, name: String, parentTypeId: String? = nil) {
        self.typeId = typeId.lowercased()
        self.name = name
        self.parentTypeId = parentTypeId?.lowercased()
    }
}
