/// Built-in definitions of the well-known security namespaces (reference/ado-rest.md §12), for offline use only:
/// `adoperm decode` and `explain` without an organization, and `adoperm profiles`. Planning against an
/// organization always uses the live definitions from `OrgState.namespaces`.
///
/// Names, bits, separators and read/write bits are from the namespace list recorded from a real organization in
/// 2026. Display names of Git Repositories and ServiceEndpoints are confirmed from public client code; the other
/// display names are the ADO UI's labels as remembered (UNCONFIRMED) — TF50309/TF215106 quote them, so with an
/// organization the live display names are used instead.
public enum NamespaceCatalogue {
    public static let wellKnown: [SecurityNamespace] = [
        namespace(NamespaceID.git, "Git Repositories", "/", read: 2, write: 8192, [
            (1, "Administer", "Administer"), (2, "GenericRead", "Read"), (4, "GenericContribute", "Contribute"),
            (8, "ForcePush", "Force push (rewrite history and delete branches)"), (16, "CreateBranch", "Create branch"),
            (32, "CreateTag", "Create tag"), (64, "ManageNote", "Manage notes"),
            (128, "PolicyExempt", "Bypass policies when pushing"), (256, "CreateRepository", "Create repository"),
            (512, "DeleteRepository", "Delete repository"), (1024, "RenameRepository", "Rename repository"),
            (2048, "EditPolicies", "Edit policies"), (4096, "RemoveOthersLocks", "Remove others' locks"),
            (8192, "ManagePermissions", "Manage permissions"),
            (16384, "PullRequestContribute", "Contribute to pull requests"),
            (32768, "PullRequestBypassPolicy", "Bypass policies when completing pull requests"),
            (65536, "ViewAdvSecAlerts", "Advanced Security: view alerts"),
            (131072, "DismissAdvSecAlerts", "Advanced Security: manage and dismiss alerts"),
            (262144, "ManageAdvSecScanning", "Advanced Security: manage settings"),
        ]),
        namespace(NamespaceID.project, "Project", ":", read: 1, write: 2, system: 17_563_648, [
            (1, "GENERIC_READ", "View project-level information"), (2, "GENERIC_WRITE", "Edit project-level information"),
            (4, "DELETE", "Delete team project"), (8, "PUBLISH_TEST_RESULTS", "Create test runs"),
            (16, "ADMINISTER_BUILD", "Administer a build"), (32, "START_BUILD", "Start a build"),
            (64, "EDIT_BUILD_STATUS", "Edit build quality"), (128, "UPDATE_BUILD", "Write to build operational store"),
            (256, "DELETE_TEST_RESULTS", "Delete test runs"), (512, "VIEW_TEST_RESULTS", "View test runs"),
            (2048, "MANAGE_TEST_ENVIRONMENTS", "Manage test environments"),
            (4096, "MANAGE_TEST_CONFIGURATIONS", "Manage test configurations"),
            (8192, "WORK_ITEM_DELETE", "Delete and restore work items"),
            (16384, "WORK_ITEM_MOVE", "Move work items out of this project"),
            (32768, "WORK_ITEM_PERMANENTLY_DELETE", "Permanently delete work items"),
            (65536, "RENAME", "Rename team project"), (131072, "MANAGE_PROPERTIES", "Manage project properties"),
            (262144, "MANAGE_SYSTEM_PROPERTIES", "Manage system project properties"),
            (524288, "BYPASS_PROPERTY_CACHE", "Bypass project property cache"),
            (1_048_576, "BYPASS_RULES", "Bypass rules on work item updates"),
            (2_097_152, "SUPPRESS_NOTIFICATIONS", "Suppress notifications for work item updates"),
            (4_194_304, "UPDATE_VISIBILITY", "Update project visibility"),
            (8_388_608, "CHANGE_PROCESS", "Change process of team project."),
            (16_777_216, "AGILETOOLS_BACKLOG", "Agile backlog management"),
            (33_554_432, "AGILETOOLS_PLANS", "Agile plans"),
        ]),
        namespace(NamespaceID.collection, "Collection", ":", read: 1, write: 2, [
            (1, "GENERIC_READ", "View instance-level information"), (2, "GENERIC_WRITE", "Edit instance-level information"),
            (4, "CREATE_PROJECTS", "Create new projects"), (16, "TRIGGER_EVENT", "Trigger events"),
            (32, "MANAGE_TEMPLATE", "Manage process template"), (64, "DIAGNOSTIC_TRACE", "Alter trace settings"),
            (128, "SYNCHRONIZE_READ", "View system synchronization information"),
            (512, "MANAGE_TEST_CONTROLLERS", "Manage test controllers"),
            (1024, "DELETE_FIELD", "Delete field from organization"),
            (2048, "MANAGE_ENTERPRISE_POLICIES", "Manage enterprise policies"),
        ]),
        namespace(NamespaceID.process, "Process", ":", read: 16, write: 8, system: 16, [
            (1, "Edit", "Edit process"), (2, "Delete", "Delete process"), (4, "Create", "Create process"),
            (8, "AdministerProcessPermissions", "Administer process permissions"),
            (16, "ReadProcessPermissions", "Read process permissions"),
        ]),
        namespace(NamespaceID.build, "Build", "/", read: 0, write: 16384, [
            (1, "ViewBuilds", "View builds"), (2, "EditBuildQuality", "Edit build quality"),
            (4, "RetainIndefinitely", "Retain indefinitely"), (8, "DeleteBuilds", "Delete builds"),
            (16, "ManageBuildQualities", "Manage build qualities"), (32, "DestroyBuilds", "Destroy builds"),
            (64, "UpdateBuildInformation", "Update build information"), (128, "QueueBuilds", "Queue builds"),
            (256, "ManageBuildQueue", "Manage build queue"), (512, "StopBuilds", "Stop builds"),
            (1024, "ViewBuildDefinition", "View build pipeline"), (2048, "EditBuildDefinition", "Edit build pipeline"),
            (4096, "DeleteBuildDefinition", "Delete build pipeline"),
            (8192, "OverrideBuildCheckInValidation", "Override check-in validation by build"),
            (16384, "AdministerBuildPermissions", "Administer build permissions"),
            (32768, "CreateBuildDefinition", "Create build pipeline"),
            (65536, "EditPipelineQueueConfigurationPermission", "Edit queue build configuration"),
            (131072, "ManageStageRunOrderPermission", "Manage stage run order"),
            (262144, "AbandonBuilds", "Abandon builds"),
        ]),
        namespace(NamespaceID.css, "CSS", ":", read: 1, write: 2, [
            (1, "GENERIC_READ", "View permissions for this node"), (2, "GENERIC_WRITE", "Edit this node"),
            (4, "CREATE_CHILDREN", "Create child nodes"), (8, "DELETE", "Delete this node"),
            (16, "WORK_ITEM_READ", "View work items in this node"), (32, "WORK_ITEM_WRITE", "Edit work items in this node"),
            (64, "MANAGE_TEST_PLANS", "Manage test plans"), (128, "MANAGE_TEST_SUITES", "Manage test suites"),
            (512, "WORK_ITEM_SAVE_COMMENT", "Edit work item comments in this node"),
        ]),
        namespace(NamespaceID.iteration, "Iteration", ":", read: 1, write: 2, [
            (1, "GENERIC_READ", "View permissions for this node"), (2, "GENERIC_WRITE", "Edit this node"),
            (4, "CREATE_CHILDREN", "Create child nodes"), (8, "DELETE", "Delete this node"),
        ]),
        namespace(NamespaceID.serviceEndpoints, "ServiceEndpoints", "/", read: 0, write: 2, [
            (1, "Use", "Use Endpoint"), (2, "Administer", "Administer Endpoint"), (4, "Create", "Create Endpoint"),
            (8, "ViewAuthorization", "View Authorization"), (16, "ViewEndpoint", "View Endpoint"),
        ]),
        namespace(NamespaceID.library, "Library", "/", read: 1, write: 2, [
            (1, "View", "View library item"), (2, "Administer", "Administer library item"),
            (4, "Create", "Create library item"), (8, "ViewSecrets", "View library item secrets"),
            (16, "Use", "Use library item"), (32, "Owner", "Owner of library item"),
        ]),
        namespace(NamespaceID.identity, "Identity", "\\", read: 1, write: 4, [
            (1, "Read", "View identity information"), (2, "Write", "Edit identity information"),
            (4, "Delete", "Delete identity information"), (8, "ManageMembership", "Manage group membership"),
            (16, "CreateScope", "Create identity scopes"), (32, "RestoreScope", "Restore identity scopes"),
        ]),
        namespace(NamespaceID.buildAdministration, "BuildAdministration", nil, read: 1, write: 8, [
            (1, "ViewBuildResources", "View build resources"), (2, "ManageBuildResources", "Manage build resources"),
            (4, "UseBuildResources", "Use build resources"),
            (8, "AdministerBuildResourcePermissions", "Administer build resource permissions"),
            (16, "ManagePipelinePolicies", "Manage pipeline policies"),
        ]),
        namespace(NamespaceID.tagging, "Tagging", "/", read: 1, write: 2, [
            (1, "Enumerate", "Enumerate tag definitions"), (2, "Create", "Create tag definition"),
            (4, "Update", "Update tag definition"), (8, "Delete", "Delete tag definition"),
        ]),
    ]

    /// Short names `decode --namespace` accepts, besides namespace ids and names.
    public static let aliases: [String: String] = [
        "git": NamespaceID.git, "repos": NamespaceID.git, "repository": NamespaceID.git, "wiki": NamespaceID.git,
        "project": NamespaceID.project, "collection": NamespaceID.collection, "organization": NamespaceID.collection,
        "org": NamespaceID.collection, "process": NamespaceID.process, "build": NamespaceID.build,
        "pipelines": NamespaceID.build, "css": NamespaceID.css, "area": NamespaceID.css,
        "workitems": NamespaceID.css, "iteration": NamespaceID.iteration,
        "serviceendpoints": NamespaceID.serviceEndpoints, "endpoints": NamespaceID.serviceEndpoints,
        "library": NamespaceID.library, "identity": NamespaceID.identity,
        "buildadministration": NamespaceID.buildAdministration, "tagging": NamespaceID.tagging,
    ]

    /// A namespace by alias, id or name (case-insensitive) among `namespaces`.
    public static func find(_ reference: String, in namespaces: [SecurityNamespace] = wellKnown) -> SecurityNamespace? {
        let lowered = reference.lowercased()
        let id = aliases[lowered] ?? lowered
        return namespaces.first { $0.id == id }
            ?? namespaces.first { $0.name.lowercased() == lowered || $0.displayName?.lowercased() == lowered }
    }

    private static func namespace(
        _ id: String,
        _ name: String,
        _ separator: Character?,
        read: Int,
        write: Int,
        system: Int = 0,
        _ actions: [(Int, String, String)]
    ) -> SecurityNamespace {
        SecurityNamespace(
            id: id, name: name, displayName: nil, separator: separator, isHierarchical: separator != nil,
            readPermission: read, writePermission: write, systemBitMask: system,
            actions: actions.map { SecurityNamespace.Action(bit: $0.0, name: $0.1, displayName: $0.2) })
    }
}
