/// Which build service identity a pipeline's job token runs as (reference/ado-rest.md §14, DESIGN.md):
/// public project → project-scoped; organization `enforceJobAuthScope` → project-scoped (projects cannot loosen
/// it); project setting → project-scoped; classic definitions only: `jobAuthorizationScope`; else the collection
/// build service. YAML pipelines have no per-pipeline switch.
public struct JobIdentity: Sendable, Hashable {
    public enum Scope: String, Sendable, Hashable, Codable {
        case project
        case collection
    }

    /// Why this scope applies, as decided from the current settings.
    public enum Reason: String, Sendable, Hashable, Codable {
        case publicProject = "public-project"
        case organizationSetting = "organization-setting"
        case projectSetting = "project-setting"
        case definitionSetting = "definition-setting"
        case unrestricted = "unrestricted"

        /// One sentence fragment for explanations.
        public var text: String {
            switch self {
            case .publicProject: "the project is public, which always limits job tokens to the project"
            case .organizationSetting: "the organization limits job authorization scope to the current project"
            case .projectSetting: "the project limits job authorization scope to the current project"
            case .definitionSetting: "the classic definition's job authorization scope is the current project"
            case .unrestricted: "nothing limits the job authorization scope to the project"
            }
        }
    }

    public var scope: Scope
    public var reason: Reason
    public var descriptor: IdentityDescriptor
    public var displayName: String

    /// The job identity of `definition` under the organization's current settings.
    public static func of(_ definition: BuildDefinition, in index: OrgIndex) -> JobIdentity {
        let state = index.state
        let project = index.project(id: definition.projectId)
        let projectSettings = state.pipelineSettings.projects[definition.projectId] ?? PipelineSettings()
        let reason: Reason
        if project?.visibility == .public {
            reason = .publicProject
        } else if state.pipelineSettings.organization.enforceJobAuthScope {
            reason = .organizationSetting
        } else if projectSettings.enforceJobAuthScope {
            reason = .projectSetting
        } else if definition.processType == .classic && definition.jobAuthorizationScope == .project {
            reason = .definitionSetting
        } else {
            reason = .unrestricted
        }
        let scope: Scope = reason == .unrestricted ? .collection : .project
        return scope == .collection
            ? collection(in: index) : projectScoped(projectId: definition.projectId, in: index, reason: reason)
    }

    /// `Project Collection Build Service ({org})`: `ServiceIdentity;{hostId}:Build:{collectionId}`.
    public static func collection(in index: OrgIndex) -> JobIdentity {
        let org = index.state.organization
        let descriptor = buildServiceDescriptor(hostId: org.hostId, scopeId: org.collectionId)
        return JobIdentity(
            scope: .collection, reason: .unrestricted, descriptor: descriptor,
            displayName: index.identity(descriptor)?.displayName ?? "Project Collection Build Service (\(org.name))")
    }

    /// `{Project} Build Service ({org})`: `ServiceIdentity;{hostId}:Build:{projectId}`. The identity is created
    /// lazily by ADO, so it may be missing from the state; the descriptor is still the one ADO will use.
    public static func projectScoped(projectId: String, in index: OrgIndex, reason: Reason) -> JobIdentity {
        let org = index.state.organization
        let descriptor = buildServiceDescriptor(hostId: org.hostId, scopeId: projectId)
        let name = index.project(id: projectId)?.name ?? projectId
        return JobIdentity(
            scope: .project, reason: reason, descriptor: descriptor,
            displayName: index.identity(descriptor)?.displayName ?? "\(name) Build Service (\(org.name))")
    }

    public static func buildServiceDescriptor(hostId: String, scopeId: String) -> IdentityDescriptor {
        IdentityDescriptor("Microsoft.TeamFoundation.ServiceIdentity;\(hostId.lowercased()):Build:\(scopeId.lowercased())")
    }
}
