/// The generated organization as plain facts (names, ids, which situations apply where), decided once from the
/// seed; the snapshot and the manifest are both rendered from it.
struct SyntheticLayout {
    struct Project {
        var index: Int
        var name: String
        var id: String
        var isPublic: Bool
        var enforceJobAuthScope: Bool
        var enforceReferencedRepoScopedToken: Bool
        var enforceJobAuthScopeForReleases: Bool
        /// `[org]\Project Collection Build Service Accounts` is a member of this project's Project Valid Users,
        /// so a deny on that group reaches every build service.
        var validUsersHoldBuildAccounts: Bool
        /// A project-level deny of PullRequestContribute, inherited by every repository: on the collection
        /// build service (`collection`) or the project's (`project`).
        var inheritedDeny: BuildServiceKind?
        var repositories: [Repository]
        var areaId: String
        var areaNodeId: Int
        var endpoints: [Endpoint]
    }

    enum BuildServiceKind { case collection, project }

    struct Repository {
        var index: Int
        var name: String
        var id: String
        var size: Int
        /// `inheritPermissions: false`, the inherited entries copied but both build services removed.
        var locked: Bool
        /// The seed's explicit deny: the collection build service denied PullRequestContribute | CreateBranch |
        /// GenericContribute (16404).
        var denyCollectionBuildService: Bool
        /// The project build service denied PullRequestContribute.
        var denyProjectBuildService: Bool
        /// `[P]\Project Valid Users` denied PullRequestContribute (a group deny).
        var denyValidUsers: Bool
        /// Readers may also create branches (noise: an explicit allow that changes nothing for pipelines).
        var readersCreateBranches: Bool
        /// A `main` branch ACL: Contributors denied ForcePush, the collection build service allowed Contribute.
        var protectsMain: Bool
        /// An `agent` branch-folder ACL allowing both build services CreateBranch | Contribute.
        var agentBranches: Bool
    }

    struct Endpoint {
        var name: String
        var id: String
        var applicationId: String
        var objectId: String
        /// The SPN is a member of Contributors (a write connection) or Readers.
        var writes: Bool
    }

    struct Pipeline {
        var id: Int
        var name: String
        var projectIndex: Int
        var repositoryIndex: Int
        /// `process.type` 1 (classic) or 2 (YAML).
        var isClassic: Bool
        /// Classic only: `jobAuthorizationScope: project`.
        var classicProjectScope: Bool
        var path: String
        /// YAML only: the compiled pipeline file in the repository.
        var yamlFilename: String?
        /// A repository of another project the YAML checks out (`resources.repositories`).
        var crossProject: (projectIndex: Int, repositoryIndex: Int)?
        var revision: Int
    }

    struct User {
        var index: Int
        var displayName: String
        var upn: String
        /// `(projectIndex, group)` direct memberships; `pca` for organization administrators.
        var groups: [(project: Int, group: ProjectGroup)]
        var isAdministrator: Bool
    }

    enum ProjectGroup: String, CaseIterable {
        case administrators = "Project Administrators"
        case contributors = "Contributors"
        case readers = "Readers"
        case buildAdministrators = "Build Administrators"
        case validUsers = "Project Valid Users"
    }

    let spec: SyntheticOrgSpec
    let choose: Chooser
    let collectionId: String
    let hostId: String
    let tenantId: String
    var projects: [Project] = []
    var pipelines: [Pipeline] = []
    var users: [User] = []

    static let projectWords = [
        "Payments", "Billing", "Identity", "Search", "Platform", "Mobile", "Analytics", "Checkout", "Catalog",
        "Shipping", "Inventory", "Support", "Marketing", "Security", "Infra", "Data", "Web", "Partner", "Finance",
        "Ops",
    ]
    static let components = [
        "api", "web", "worker", "sdk", "infra", "docs", "portal", "gateway", "jobs", "mobile", "data", "ml", "auth",
        "billing", "search", "notifications", "reports", "admin", "config", "tools",
    ]
    static let pipelineKinds = ["ci", "pr", "release", "nightly", "agent"]
    static let firstNames = [
        "Ada", "Ben", "Chloe", "Dev", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kemal", "Lena", "Mateo",
        "Nia", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tara",
    ]
    static let lastNames = [
        "Novak", "Okafor", "Park", "Quist", "Rossi", "Silva", "Tanaka", "Ueda", "Varga", "Weber", "Xu", "Yilmaz",
        "Zhang", "Adeyemi", "Berg", "Costa", "Dubois", "Eriksen", "Fischer", "Garcia",
    ]

    init(spec: SyntheticOrgSpec) {
        self.spec = spec
        choose = Chooser(seed: spec.seed)
        collectionId = choose.guid("collection")
        hostId = choose.guid("host")
        tenantId = choose.guid("tenant")
        projects = (0..<spec.projects).map(makeProject)
        pipelines = makePipelines()
        users = (0..<spec.userCount).map(makeUser)
    }

    private func makeProject(_ index: Int) -> Project {
        let word = Self.projectWords[index % Self.projectWords.count]
        let name = "\(word)-\(String(index + 1).leftPadded(3))"
        let inherited: BuildServiceKind? =
            choose.chance(0.1, "inherited-deny", index)
            ? (choose.chance(0.5, "inherited-deny-kind", index) ? .collection : .project) : nil
        var endpoints = [endpoint(project: name, kind: "deploy", writes: true)]
        if index % 3 == 0 { endpoints.append(endpoint(project: name, kind: "readonly", writes: false)) }
        return Project(
            index: index,
            name: name,
            id: choose.guid("project/\(name)"),
            isPublic: choose.chance(0.05, "public", index),
            enforceJobAuthScope: choose.chance(0.3, "enforceJobAuthScope", index),
            enforceReferencedRepoScopedToken: choose.chance(0.2, "enforceReferencedRepoScopedToken", index),
            enforceJobAuthScopeForReleases: choose.chance(0.2, "enforceJobAuthScopeForReleases", index),
            validUsersHoldBuildAccounts: choose.chance(0.5, "pvu-build-accounts", index),
            inheritedDeny: inherited,
            repositories: (0..<spec.reposPerProject).map { repository(project: index, name: name, index: $0) },
            areaId: choose.guid("area/\(name)"),
            areaNodeId: 1000 + index,
            endpoints: endpoints
        )
    }

    private func endpoint(project: String, kind: String, writes: Bool) -> Endpoint {
        let name = "\(project.lowercased())-\(kind)"
        return Endpoint(
            name: name,
            id: choose.guid("endpoint/\(name)"),
            applicationId: choose.guid("app/\(name)"),
            objectId: choose.guid("object/\(name)"),
            writes: writes
        )
    }

    private func repository(project: Int, name projectName: String, index: Int) -> Repository {
        let component = Self.components[index % Self.components.count]
        let round = index / Self.components.count
        let name = round == 0 ? component : "\(component)-\(round + 1)"
        let locked = choose.chance(0.03, "locked", project, index)
        return Repository(
            index: index,
            name: name,
            id: choose.guid("repo/\(projectName)/\(name)"),
            size: 20_000 + choose.below(5_000_000, "size", project, index),
            locked: locked,
            denyCollectionBuildService: !locked && choose.chance(0.08, "deny-pcbs", project, index),
            denyProjectBuildService: !locked && choose.chance(0.04, "deny-bs", project, index),
            denyValidUsers: !locked && choose.chance(0.05, "deny-pvu", project, index),
            readersCreateBranches: choose.chance(0.25, "readers-branches", project, index),
            protectsMain: choose.chance(0.15, "protect-main", project, index),
            agentBranches: choose.chance(0.05, "agent-branches", project, index)
        )
    }

    private func makePipelines() -> [Pipeline] {
        var used: [Set<String>] = Array(repeating: [], count: projects.count)
        var result: [Pipeline] = []
        result.reserveCapacity(spec.pipelines)
        for index in 0..<spec.pipelines {
            let projectIndex = index % projects.count
            let project = projects[projectIndex]
            let repositoryIndex = choose.below(project.repositories.count, "pipeline-repo", index)
            let kind = Self.pipelineKinds[choose.below(Self.pipelineKinds.count, "pipeline-kind", index)]
            let base = "\(project.repositories[repositoryIndex].name)-\(kind)"
            var name = base
            var suffix = 2
            while used[projectIndex].contains(name) {
                name = "\(base)-\(suffix)"
                suffix += 1
            }
            used[projectIndex].insert(name)
            let isClassic = choose.chance(0.2, "classic", index)
            var cross: (Int, Int)?
            if !isClassic, projects.count > 1, choose.chance(0.25, "cross-project", index) {
                let other =
                    (projectIndex + 1 + choose.below(projects.count - 1, "cross-project-p", index)) % projects.count
                cross = (other, choose.below(projects[other].repositories.count, "cross-project-r", index))
            }
            let paths = [
                "ci": "\\", "pr": "\\pr", "release": "\\release", "nightly": "\\scheduled", "agent": "\\agents",
            ]
            result.append(
                Pipeline(
                    id: index + 1,
                    name: name,
                    projectIndex: projectIndex,
                    repositoryIndex: repositoryIndex,
                    isClassic: isClassic,
                    classicProjectScope: isClassic && choose.chance(0.5, "classic-scope", index),
                    path: paths[kind] ?? "\\",
                    yamlFilename: isClassic ? nil : ".pipelines/\(name).yml",
                    crossProject: cross,
                    revision: 1 + choose.below(40, "revision", index)
                )
            )
        }
        return result
    }

    private func makeUser(_ index: Int) -> User {
        let first = Self.firstNames[index % Self.firstNames.count]
        let last = Self.lastNames[(index / Self.firstNames.count) % Self.lastNames.count]
        let upn = "\(first.lowercased()).\(last.lowercased())\(index + 1)@\(spec.organization.lowercased()).com"
        let primary = index % projects.count
        let roll = choose.below(100, "user-role", index)
        let role: ProjectGroup =
            roll < 60 ? .contributors : roll < 85 ? .readers : roll < 95 ? .administrators : .buildAdministrators
        var groups = [(primary, role)]
        if projects.count > 1, choose.chance(0.2, "user-second", index) {
            groups.append(
                ((primary + 1 + choose.below(projects.count - 1, "user-second-p", index)) % projects.count, .readers)
            )
        }
        return User(
            index: index,
            displayName: "\(first) \(last)",
            upn: upn,
            groups: groups,
            isAdministrator: index < 2
        )
    }

    /// The job identity of a pipeline under the generated settings (reference/ado-rest.md §14): public project,
    /// project `enforceJobAuthScope`, or a classic definition scoped to its project → the project's build
    /// service; otherwise the collection's.
    func jobIdentity(_ pipeline: Pipeline) -> BuildServiceKind {
        let project = projects[pipeline.projectIndex]
        return project.isPublic || project.enforceJobAuthScope || pipeline.classicProjectScope ? .project : .collection
    }

    var organizationURL: String { "https://dev.azure.com/\(spec.organization)" }
    var identityURL: String { "https://vssps.dev.azure.com/\(spec.organization)" }
}
