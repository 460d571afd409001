import Plan

/// What part of an organization to read. A plain value: built from a manifest (`init(desired:)`), or `.all` for
/// `adoperm snapshot --all`. The loader reads only what the scope needs.
public struct LoadScope: Sendable, Equatable {
    /// Which projects' resources and ACLs to read (names or ids, compared without case).
    public enum Projects: Sendable, Equatable {
        case all
        case named([String])
    }

    /// Which security namespaces' ACLs to read.
    public enum Namespaces: Sendable, Equatable {
        /// What the planner reasons about: Git, Build, CSS, Project, ServiceEndpoints (per project, recursively from
        /// the project's token, plus the root tokens), and with `organizationNamespaces` also Collection, Process and
        /// BuildAdministration.
        case relevant
        /// Every namespace the organization defines, in full (for snapshots).
        case every
    }

    /// Which pipeline YAML files to read (the definition's `yamlFilename`, plus an ado-aw lock's source markdown).
    public enum PipelineFiles: Sendable, Equatable {
        case none
        case all
        /// Definitions named by (project, definition name or id).
        case definitions([DefinitionRef])
    }

    /// A file in a repository: `files["<project>/<repository>/<path>"]` of the result.
    public struct FileRef: Sendable, Hashable {
        public var project: String
        public var repository: String
        public var path: String

        public init(project: String, repository: String, path: String) {
            self.project = project
            self.repository = repository
            self.path = path.hasPrefix("/") ? String(path.dropFirst()) : path
        }
    }

    public struct DefinitionRef: Sendable, Hashable {
        public var project: String
        /// Definition name or numeric id.
        public var definition: String

        public init(project: String, definition: String) {
            self.project = project
            self.definition = definition
        }
    }

    /// An identity the caller needs even if no loaded ACE names it.
    public enum SubjectKey: Sendable, Hashable {
        case descriptor(IdentityDescriptor)
        /// Display name, UPN, mail or group name (`[Payments]\Contributors`), looked up with `searchFilter=General`.
        case name(String)
    }

    /// One more ACL to read exactly (the manifest's raw `namespace` + `token` escape hatch).
    public struct ExtraACL: Sendable, Hashable {
        public var namespaceId: String
        public var token: String

        public init(namespaceId: String, token: String) {
            self.namespaceId = namespaceId.lowercased()
            self.token = token
        }
    }

    public var projects: Projects
    public var namespaces: Namespaces
    /// Read the organization-level namespaces (Collection, Process, BuildAdministration) with `.relevant`.
    public var organizationNamespaces: Bool
    public var extraACLs: [ExtraACL]
    public var files: [FileRef]
    public var pipelineFiles: PipelineFiles
    public var subjects: [SubjectKey]
    /// Every user, group and service principal of the organization (graph lists), not only those the ACLs name.
    public var allIdentities: Bool
    /// Also load the members (transitively) of every group that holds an ACE in the loaded ACLs, so the blast
    /// radius of changing that ACE can be counted.
    public var expandMembersOfACEGroups: Bool

    public init(
        projects: Projects,
        namespaces: Namespaces = .relevant,
        organizationNamespaces: Bool = false,
        extraACLs: [ExtraACL] = [],
        files: [FileRef] = [],
        pipelineFiles: PipelineFiles = .none,
        subjects: [SubjectKey] = [],
        allIdentities: Bool = false,
        expandMembersOfACEGroups: Bool = true
    ) {
        self.projects = projects
        self.namespaces = namespaces
        self.organizationNamespaces = organizationNamespaces
        self.extraACLs = extraACLs
        self.files = files
        self.pipelineFiles = pipelineFiles
        self.subjects = subjects
        self.allIdentities = allIdentities
        self.expandMembersOfACEGroups = expandMembersOfACEGroups
    }

    /// The whole organization: what `adoperm snapshot --all` captures.
    public static let all = LoadScope(
        projects: .all,
        namespaces: .every,
        organizationNamespaces: true,
        pipelineFiles: .all,
        allIdentities: true
    )

    /// Namespaces read per project with `.relevant`.
    static let projectNamespaces: [String] = [
        NamespaceID.git, NamespaceID.build, NamespaceID.css, NamespaceID.project, NamespaceID.serviceEndpoints,
    ]

    /// Organization-level namespaces read whole with `organizationNamespaces`.
    static let organizationNamespaceIds: [String] = [
        NamespaceID.collection, NamespaceID.process, NamespaceID.buildAdministration,
    ]
}

extension LoadScope {
    /// The scope a manifest needs: every project its subjects, resources, agents (and their cross-project
    /// references), settings and remediation connection name; the agent files and their compiled locks; the YAML
    /// of every pipeline named as a subject; organization namespaces when a resource is the organization or a
    /// process; raw namespace/token pairs exactly. A project named `*` widens the scope to all projects.
    public init(desired: DesiredState) {
        var builder = ScopeBuilder()
        for requirement in desired.requirements {
            builder.add(requirement.subject)
            for check in requirement.allow { builder.add(check) }
            if let agent = requirement.agent {
                builder.addProject(agent.project)
                for reference in agent.crossProjectReferences { builder.addProject(reference.project) }
                if !agent.isLocalFile, let repository = agent.repository {
                    builder.files.append(FileRef(project: agent.project, repository: repository, path: agent.path))
                    builder.files.append(FileRef(project: agent.project, repository: repository, path: agent.lockPath))
                }
            }
        }
        for forbid in desired.forbids {
            builder.add(forbid.subject)
            builder.add(forbid.check)
        }
        for setting in desired.settings { builder.addProject(setting.project) }
        if let project = desired.remediation.serviceConnectionProject { builder.addProject(project) }
        self = builder.scope
    }
}
