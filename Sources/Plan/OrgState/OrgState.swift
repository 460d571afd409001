/// Everything adoperm knows about an organization at one moment: the value the planner works on.
///
/// Built by `ADOClient`'s loader from the live REST API or from a snapshot file. It is a plain value: planning
/// never reaches back to the network. `OrgIndex` adds the lookups the evaluator needs.
public struct OrgState: Sendable, Equatable {
    public var organization: OrganizationInfo
    public var namespaces: [SecurityNamespace]
    public var identities: [Identity]
    /// Direct membership edges only; transitive closure is computed by `OrgIndex`.
    public var memberships: [Membership]
    public var servicePrincipals: [ServicePrincipal]
    public var projects: [Project]
    public var repositories: [Repository]
    public var wikis: [Wiki]
    public var buildDefinitions: [BuildDefinition]
    public var pipelineSettings: PipelineSettingsState
    public var serviceEndpoints: [ServiceEndpoint]
    public var areas: [AreaNode]
    public var acls: [AccessControlList]
    /// `"<projectName>/<repoName>/<path>"` → file text (agent markdown, compiled pipeline YAML).
    public var files: [String: String]
    /// Work item processes (`_apis/work/processes`), for Process namespace tokens of named processes. Not part of
    /// snapshot format 1; empty unless a loader fills it (then only `process: { name: "*" }` binds).
    public var processes: [WorkProcess] = []

    public init(
        organization: OrganizationInfo,
        namespaces: [SecurityNamespace] = [],
        identities: [Identity] = [],
        memberships: [Membership] = [],
        servicePrincipals: [ServicePrincipal] = [],
        projects: [Project] = [],
        repositories: [Repository] = [],
        wikis: [Wiki] = [],
        buildDefinitions: [BuildDefinition] = [],
        pipelineSettings: PipelineSettingsState = PipelineSettingsState(),
        serviceEndpoints: [ServiceEndpoint] = [],
        areas: [AreaNode] = [],
        acls: [AccessControlList] = [],
        files: [String: String] = [:]
    ) {
        self.organization = organization
        self.namespaces = namespaces
        self.identities = identities
        self.memberships = memberships
        self.servicePrincipals = servicePrincipals
        self.projects = projects
        self.repositories = repositories
        self.wikis = wikis
        self.buildDefinitions = buildDefinitions
        self.pipelineSettings = pipelineSettings
        self.serviceEndpoints = serviceEndpoints
        self.areas = areas
        self.acls = acls
        self.files = files
    }
}
