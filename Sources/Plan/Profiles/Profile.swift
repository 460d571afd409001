/// A built-in, documented requirement set (`profile:` in the manifest, and what `from-agent` derives per tool).
/// Permission names are resolved against the live namespace definitions when bound, like any manifest entry.
public struct Profile: Sendable, Hashable {
    /// What `scope:` names for this profile.
    public enum Target: String, Sendable, Hashable {
        /// Organization-wide and per-project grants (`scope: { projects: [...] }`).
        case projects
        case repository
        case area
        case definition
        case wiki
        /// No ACE applies (the tool runs under the job's own build identity).
        case none
    }

    /// Where a grant applies.
    public enum Place: Sendable, Hashable {
        /// Collection namespace token.
        case organization
        /// `$PROCESS`: every process.
        case allProcesses
        /// The Project namespace token of each scoped project.
        case eachProject
        /// `repoV2/{projectId}` of each scoped project.
        case eachProjectRepositories
        /// The profile's target (repository, area, definition or wiki).
        case target
        /// A branch folder under the target repository (`agent` → `refs/heads/6100…/`).
        case targetBranch(String)

        var text: String {
            switch self {
            case .organization: "the organization"
            case .allProcesses: "all processes ($PROCESS)"
            case .eachProject: "each project"
            case .eachProjectRepositories: "all repositories of each project"
            case .target: "the target"
            case .targetBranch(let branch): "branches \(branch)/* of the target repository"
            }
        }
    }

    /// One (namespace, permissions, place) the profile requires.
    public struct Grant: Sendable, Hashable {
        public var namespaceId: String
        public var permissions: [String]
        public var place: Place
        /// Held by the pipeline's job identity even when writes go through a service connection (ado-aw's
        /// checkout and `prepare-pr-base` always use `System.AccessToken`).
        public var jobIdentity: Bool

        public init(_ namespaceId: String, _ permissions: [String], on place: Place, jobIdentity: Bool = false) {
            self.namespaceId = namespaceId
            self.permissions = permissions
            self.place = place
            self.jobIdentity = jobIdentity
        }
    }

    public var name: String
    public var summary: String
    public var target: Target
    public var grants: [Grant]
    /// For `ado-aw-<tool>` profiles: the safe-output tool.
    public var tool: String?

    public init(name: String, summary: String, target: Target, grants: [Grant], tool: String? = nil) {
        self.name = name
        self.summary = summary
        self.target = target
        self.grants = grants
        self.tool = tool
    }
}

extension Profile {
    /// Every built-in profile, in the order `adoperm profiles` lists them.
    public static let builtIn: [Profile] = [xoperoBackup, xoperoRestore] + adoAwTools

    /// A built-in profile by name.
    public static func named(_ name: String) -> Profile? { builtIn.first { $0.name == name } }

    /// The profile of an ado-aw safe-output tool (`add-pr-comment`, `add_pr_comment`).
    public static func forTool(_ tool: String) -> Profile? {
        let name = "ado-aw-" + tool.replacingOccurrencesOfUnderscores()
        return builtIn.first { $0.name == name }
    }

    static let xoperoBackup = Profile(
        name: "xopero-backup",
        summary: "Xopero ONE backup account: read every project and every repository",
        target: .projects,
        grants: [
            Grant(NamespaceID.project, ["GENERIC_READ"], on: .eachProject),
            Grant(NamespaceID.git, ["GenericRead"], on: .eachProjectRepositories),
        ])

    /// The restore account creates projects and processes and pushes repositories back (TF50309 without
    /// Create new projects, VS402356 without process Edit).
    static let xoperoRestore = Profile(
        name: "xopero-restore",
        summary: "Xopero ONE restore account: create projects and processes, recreate repositories and branches",
        target: .projects,
        grants: [
            Grant(NamespaceID.collection, ["CREATE_PROJECTS"], on: .organization),
            Grant(NamespaceID.process, ["Create", "Edit"], on: .allProcesses),
            Grant(NamespaceID.project, ["GENERIC_READ"], on: .eachProject),
            Grant(NamespaceID.git, ["GenericRead", "CreateBranch", "CreateRepository"], on: .eachProjectRepositories),
        ])

    /// ado-aw's ADO-writing safe-output tools with the bits corrected in reference/ado-aw.md §2.2.
    static let adoAwTools: [Profile] = {
        let git = NamespaceID.git
        let css = NamespaceID.css
        func tool(_ name: String, _ what: String, _ target: Target, _ grants: [Grant]) -> Profile {
            Profile(name: "ado-aw-" + name, summary: "ado-aw \(name): \(what)", target: target, grants: grants, tool: name)
        }
        func pr(_ name: String, _ what: String) -> Profile {
            tool(name, what, .repository, [Grant(git, ["GenericRead", "PullRequestContribute"], on: .target)])
        }
        let workItem = [Grant(css, ["WORK_ITEM_READ", "WORK_ITEM_WRITE"], on: .target)]
        return [
            tool("create-pull-request", "push an agent/* branch and open a pull request", .repository, [
                Grant(git, ["GenericRead", "GenericContribute", "CreateBranch", "PullRequestContribute"], on: .target),
                Grant(git, ["GenericContribute", "CreateBranch"], on: .targetBranch("agent")),
                Grant(git, ["GenericRead"], on: .target, jobIdentity: true),
            ]),
            pr("add-pr-comment", "comment on pull requests"),
            pr("reply-to-pr-comment", "reply in pull request threads"),
            pr("resolve-pr-thread", "resolve pull request threads"),
            pr("submit-pr-review", "vote on pull requests"),
            pr("update-pr", "update pull requests (reviewers, labels, auto-complete)"),
            tool("create-branch", "create branches", .repository,
                 [Grant(git, ["GenericRead", "CreateBranch"], on: .target)]),
            tool("create-git-tag", "create annotated tags", .repository,
                 [Grant(git, ["GenericRead", "CreateTag"], on: .target)]),
            tool("create-work-item", "create work items in the area", .area, workItem),
            tool("update-work-item", "update work items in the area", .area, workItem),
            // Which bit ADO checks when a comment is added (WORK_ITEM_SAVE_COMMENT or WORK_ITEM_WRITE) is
            // UNCONFIRMED; adoperm requires the comment bit, which is what the permission is named for.
            tool("comment-on-work-item", "comment on work items in the area", .area,
                 [Grant(css, ["WORK_ITEM_READ", "WORK_ITEM_SAVE_COMMENT"], on: .target)]),
            tool("assign-work-item", "assign work items in the area", .area, workItem),
            tool("link-work-items", "link work items in the area", .area, workItem),
            tool("upload-workitem-attachment", "attach files to work items in the area", .area, workItem),
            tool("create-wiki-page", "create wiki pages (Git on the wiki's repository)", .wiki,
                 [Grant(git, ["GenericRead", "GenericContribute"], on: .target)]),
            tool("update-wiki-page", "update wiki pages (Git on the wiki's repository)", .wiki,
                 [Grant(git, ["GenericRead", "GenericContribute"], on: .target)]),
            tool("queue-build", "queue the allowed pipelines (QueueBuilds is bit 128, not 32)", .definition,
                 [Grant(NamespaceID.build, ["QueueBuilds"], on: .target)]),
            tool("add-build-tag", "tag builds of the definition (a job token tags its own build without a grant)",
                 .definition, [Grant(NamespaceID.build, ["UpdateBuildInformation"], on: .target)]),
            tool("upload-build-attachment", "attach files to the current build (job identity only)", .none, []),
            tool("upload-pipeline-artifact",
                 "publish artifacts into builds (the file container is keyed to the job's build identity; "
                    + "cross-build uploads fail under a service-connection token)", .none, []),
        ]
    }()
}

extension String {
    fileprivate func replacingOccurrencesOfUnderscores() -> String {
        String(map { $0 == "_" ? "-" : $0 })
    }
}
