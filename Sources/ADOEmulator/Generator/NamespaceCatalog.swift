/// The security namespaces a generated organization carries: the same definitions as the example organization's
/// (`examples/contoso/namespaces.py`, recorded from a real organization): ids, separators, bits, action names and
/// display names, field for field, so generated snapshots read like real ones.
enum NamespaceCatalog {
    struct Definition {
        var id: String
        var name: String
        var displayName: String?
        var separator: String
        var writePermission: Int
        var readPermission: Int
        var category: String
        var structure: Int
        var extensionType: String?
        var isRemotable: Bool
        var useTokenTranslator: Bool
        var systemBitMask: Int
        /// `namespaceId` of the actions when it is not the namespace's own (the zero GUID on some).
        var actionNamespace: String?
        var actions: [(bit: Int, name: String, displayName: String)]

        /// Every action bit (what an administrator group is allowed).
        var allBits: Int { actions.reduce(0) { $0 | $1.bit } }

        var json: JSON {
            let owner = actionNamespace ?? id
            return .object(
                JSONObject([
                    ("namespaceId", .string(id)), ("name", .string(name)), ("displayName", .orNull(displayName)),
                    ("separatorValue", .string(separator)), ("elementLength", -1),
                    ("writePermission", .int(writePermission)), ("readPermission", .int(readPermission)),
                    ("dataspaceCategory", .string(category)),
                    (
                        "actions",
                        .array(
                            actions.map {
                                [
                                    "bit": .int($0.bit), "name": .string($0.name),
                                    "displayName": .string($0.displayName),
                                    "namespaceId": .string(owner),
                                ]
                            }
                        )
                    ),
                    ("structureValue", .int(structure)), ("extensionType", .orNull(extensionType)),
                    ("isRemotable", .bool(isRemotable)), ("useTokenTranslator", .bool(useTokenTranslator)),
                    ("systemBitMask", .int(systemBitMask)),
                ])
            )
        }
    }

    static func named(_ name: String) -> Definition { all.first { $0.name == name }! }

    static let all: [Definition] = [
        Definition(
            id: "5a27515b-ccd7-42c9-84f1-54c998f03866",
            name: "Identity",
            displayName: "Identity",
            separator: "\\",
            writePermission: 4,
            readPermission: 1,
            category: "Default",
            structure: 1,
            extensionType:
                "Microsoft.TeamFoundation.Framework.Server.IdentitySecurityNamespaceExtension",
            isRemotable: false,
            useTokenTranslator: false,
            systemBitMask: 0,
            actionNamespace: nil,
            actions: [
                (1, "Read", "View identity information"),
                (2, "Write", "Edit identity information"),
                (4, "Delete", "Delete identity information"),
                (8, "ManageMembership", "Manage group membership"),
                (16, "CreateScope", "Create identity scopes"),
                (32, "RestoreScope", "Restore identity scopes"),
            ]
        ),
        Definition(
            id: "2e9eb7ed-3c0a-47d4-87c1-0ffdd275fd87",
            name: "Git Repositories",
            displayName: "Git Repositories",
            separator: "/",
            writePermission: 8192,
            readPermission: 2,
            category: "Git",
            structure: 1,
            extensionType:
                "Microsoft.TeamFoundation.Git.Server.Plugins.GitSecurityNamespaceExtension",
            isRemotable: true,
            useTokenTranslator: true,
            systemBitMask: 0,
            actionNamespace: nil,
            actions: [
                (1, "Administer", "Administer"),
                (2, "GenericRead", "Read"),
                (4, "GenericContribute", "Contribute"),
                (8, "ForcePush", "Force push (rewrite history, delete branches and tags)"),
                (16, "CreateBranch", "Create branch"),
                (32, "CreateTag", "Create tag"),
                (64, "ManageNote", "Manage notes"),
                (128, "PolicyExempt", "Bypass policies when pushing"),
                (256, "CreateRepository", "Create repository"),
                (512, "DeleteRepository", "Delete or disable repository"),
                (1024, "RenameRepository", "Rename repository"),
                (2048, "EditPolicies", "Edit policies"),
                (4096, "RemoveOthersLocks", "Remove others' locks"),
                (8192, "ManagePermissions", "Manage permissions"),
                (16384, "PullRequestContribute", "Contribute to pull requests"),
                (32768, "PullRequestBypassPolicy", "Bypass policies when completing pull requests"),
                (65536, "ViewAdvSecAlerts", "Advanced Security: view alerts"),
                (131072, "DismissAdvSecAlerts", "Advanced Security: manage and dismiss alerts"),
                (262144, "ManageAdvSecScanning", "Advanced Security: manage settings"),
            ]
        ),
        Definition(
            id: "49b48001-ca20-4adc-8111-5b60c903a50c",
            name: "ServiceEndpoints",
            displayName: "ServiceEndpoints",
            separator: "/",
            writePermission: 2,
            readPermission: 0,
            category: "DistributedTask",
            structure: 1,
            extensionType: nil,
            isRemotable: false,
            useTokenTranslator: true,
            systemBitMask: 0,
            actionNamespace: nil,
            actions: [
                (1, "Use", "Use Service Connection"),
                (2, "Administer", "Administer Service Connection"),
                (4, "Create", "Create Service Connection"),
                (8, "ViewAuthorization", "View Authorization"),
                (16, "ViewEndpoint", "View Service Connection"),
            ]
        ),
        Definition(
            id: "3e65f728-f8bc-4ecd-8764-7e378b19bfa7",
            name: "Collection",
            displayName: "Collection",
            separator: ":",
            writePermission: 2,
            readPermission: 1,
            category: "Default",
            structure: 1,
            extensionType:
                "Microsoft.TeamFoundation.ApplicationTier.Plugins.Core.NamespaceSecurityExtension",
            isRemotable: true,
            useTokenTranslator: false,
            systemBitMask: 0,
            actionNamespace: nil,
            actions: [
                (1, "GENERIC_READ", "View collection-level information"),
                (2, "GENERIC_WRITE", "Edit collection-level information"),
                (4, "CREATE_PROJECTS", "Create new projects"),
                (16, "TRIGGER_EVENT", "Trigger events"),
                (32, "MANAGE_TEMPLATE", "Manage process template"),
                (64, "DIAGNOSTIC_TRACE", "Alter trace settings"),
                (128, "SYNCHRONIZE_READ", "View system synchronization information"),
                (512, "MANAGE_TEST_CONTROLLERS", "Manage test controllers"),
                (1024, "DELETE_FIELD", "Delete field from organization"),
                (2048, "MANAGE_ENTERPRISE_POLICIES", "Manage enterprise policies"),
            ]
        ),
        Definition(
            id: "2dab47f9-bd70-49ed-9bd5-8eb051e59c02",
            name: "Process",
            displayName: "Process",
            separator: ":",
            writePermission: 8,
            readPermission: 16,
            category: "Default",
            structure: 1,
            extensionType: nil,
            isRemotable: false,
            useTokenTranslator: false,
            systemBitMask: 16,
            actionNamespace: nil,
            actions: [
                (1, "Edit", "Edit process"),
                (2, "Delete", "Delete process"),
                (4, "Create", "Create process"),
                (8, "AdministerProcessPermissions", "Administer process permissions"),
                (16, "ReadProcessPermissions", "View Process"),
            ]
        ),
        Definition(
            id: "b7e84409-6553-448a-bbb2-af228e07cbeb",
            name: "Library",
            displayName: "Library",
            separator: "/",
            writePermission: 2,
            readPermission: 1,
            category: "DistributedTask",
            structure: 1,
            extensionType: nil,
            isRemotable: false,
            useTokenTranslator: true,
            systemBitMask: 0,
            actionNamespace: nil,
            actions: [
                (1, "View", "View library item"),
                (2, "Administer", "Administer library item"),
                (4, "Create", "Create library item"),
                (8, "ViewSecrets", "View library item secrets"),
                (16, "Use", "Use library item"),
                (32, "Owner", "Owner"),
            ]
        ),
        Definition(
            id: "bb50f182-8e5e-40b8-bc21-e8752a1e7ae2",
            name: "Tagging",
            displayName: "Tagging",
            separator: "/",
            writePermission: 4,
            readPermission: 1,
            category: "Default",
            structure: 1,
            extensionType: nil,
            isRemotable: false,
            useTokenTranslator: true,
            systemBitMask: 0,
            actionNamespace: nil,
            actions: [
                (1, "Enumerate", "Enumerate tag definitions"),
                (2, "Create", "Create tag definition"),
                (4, "Update", "Update tag definition"),
                (8, "Delete", "Delete tag definition"),
            ]
        ),
        Definition(
            id: "bf7bfa03-b2b7-47db-8113-fa2e002cc5b1",
            name: "Iteration",
            displayName: "Iteration",
            separator: ":",
            writePermission: 2,
            readPermission: 1,
            category: "Integration",
            structure: 1,
            extensionType: "Microsoft.Azure.Boards.Plugins.Security.IterationSecurityExtension",
            isRemotable: false,
            useTokenTranslator: true,
            systemBitMask: 0,
            actionNamespace: nil,
            actions: [
                (1, "GENERIC_READ", "View permissions for this node"),
                (2, "GENERIC_WRITE", "Edit this node"),
                (4, "CREATE_CHILDREN", "Create child nodes"),
                (8, "DELETE", "Delete this node"),
            ]
        ),
        Definition(
            id: "302acaca-b667-436d-a946-87133492041c",
            name: "BuildAdministration",
            displayName: nil,
            separator: "\u{0}",
            writePermission: 8,
            readPermission: 0,
            category: "Build",
            structure: 0,
            extensionType:
                "Microsoft.TeamFoundation.Build.Server.BuildAdministrationSecurityExtension",
            isRemotable: true,
            useTokenTranslator: false,
            systemBitMask: 0,
            actionNamespace: "00000000-0000-0000-0000-000000000000",
            actions: [
                (1, "ViewBuildResources", "View build resources"),
                (2, "ManageBuildResources", "Manage build resources"),
                (4, "UseBuildResources", "Use build resources"),
                (8, "AdministerBuildResourcePermissions", "Administer build resource permissions"),
                (16, "ManagePipelinePolicies", "Manage pipeline policies"),
            ]
        ),
        Definition(
            id: "33344d9c-fc72-4d6f-aba5-fa317101a7e9",
            name: "Build",
            displayName: nil,
            separator: "/",
            writePermission: 16384,
            readPermission: 0,
            category: "Build",
            structure: 1,
            extensionType: "Microsoft.TeamFoundation.Build.Server.BuildSecurityExtension",
            isRemotable: true,
            useTokenTranslator: true,
            systemBitMask: 0,
            actionNamespace: "00000000-0000-0000-0000-000000000000",
            actions: [
                (1, "ViewBuilds", "View builds"),
                (2, "EditBuildQuality", "Edit build quality"),
                (4, "RetainIndefinitely", "Retain indefinitely"),
                (8, "DeleteBuilds", "Delete builds "),
                (16, "ManageBuildQualities", "Manage build qualities"),
                (32, "DestroyBuilds", "Destroy builds"),
                (64, "UpdateBuildInformation", "Update build information"),
                (128, "QueueBuilds", "Queue builds"),
                (256, "ManageBuildQueue", "Manage build queue"),
                (512, "StopBuilds", "Stop builds"),
                (1024, "ViewBuildDefinition", "View build pipeline"),
                (2048, "EditBuildDefinition", "Edit build pipeline"),
                (4096, "DeleteBuildDefinition", "Delete build pipeline"),
                (8192, "OverrideBuildCheckInValidation", "Override check-in validation by build"),
                (16384, "AdministerBuildPermissions", "Administer build permissions"),
                (32768, "CreateBuildDefinition", "Create build pipeline"),
                (65536, "EditPipelineQueueConfigurationPermission", "Edit queue build configuration"),
                (131072, "ManageStageRunOrderPermission", "Manage stage run order"),
                (262144, "AbandonBuilds", "Abandon builds"),
            ]
        ),
        Definition(
            id: "83e28ad4-2d72-4ceb-97b0-c7726d5502c3",
            name: "CSS",
            displayName: "CSS",
            separator: ":",
            writePermission: 2,
            readPermission: 1,
            category: "Integration",
            structure: 1,
            extensionType: "Microsoft.Azure.Boards.Plugins.Security.CSSNodeSecurityExtension",
            isRemotable: true,
            useTokenTranslator: true,
            systemBitMask: 0,
            actionNamespace: "00000000-0000-0000-0000-000000000000",
            actions: [
                (1, "GENERIC_READ", "View permissions for this node"),
                (2, "GENERIC_WRITE", "Edit this node"),
                (4, "CREATE_CHILDREN", "Create child nodes"),
                (8, "DELETE", "Delete this node"),
                (16, "WORK_ITEM_READ", "View work items in this node"),
                (32, "WORK_ITEM_WRITE", "Edit work items in this node"),
                (64, "MANAGE_TEST_PLANS", "Manage test plans"),
                (128, "MANAGE_TEST_SUITES", "Manage test suites"),
                (512, "WORK_ITEM_SAVE_COMMENT", "Edit work item comments in this node"),
            ]
        ),
        Definition(
            id: "52d39943-cb85-4d7f-8fa8-c6baac873819",
            name: "Project",
            displayName: "Project",
            separator: ":",
            writePermission: 2,
            readPermission: 1,
            category: "Default",
            structure: 1,
            extensionType:
                "Microsoft.TeamFoundation.ApplicationTier.PlugIns.Core.ProjectSecurityExtension",
            isRemotable: true,
            useTokenTranslator: true,
            systemBitMask: 17563648,
            actionNamespace: "00000000-0000-0000-0000-000000000000",
            actions: [
                (1, "GENERIC_READ", "View project-level information"),
                (2, "GENERIC_WRITE", "Edit project-level information"),
                (4, "DELETE", "Delete team project"),
                (8, "PUBLISH_TEST_RESULTS", "Create test runs"),
                (16, "ADMINISTER_BUILD", "Administer a build"),
                (32, "START_BUILD", "Start a build"),
                (64, "EDIT_BUILD_STATUS", "Edit build quality"),
                (128, "UPDATE_BUILD", "Write to build operational store"),
                (256, "DELETE_TEST_RESULTS", "Delete test runs"),
                (512, "VIEW_TEST_RESULTS", "View test runs"),
                (2048, "MANAGE_TEST_ENVIRONMENTS", "Manage test environments"),
                (4096, "MANAGE_TEST_CONFIGURATIONS", "Manage test configurations"),
                (8192, "WORK_ITEM_DELETE", "Delete and restore work items"),
                (16384, "WORK_ITEM_MOVE", "Move work items out of this project"),
                (32768, "WORK_ITEM_PERMANENTLY_DELETE", "Permanently delete work items"),
                (65536, "RENAME", "Rename team project"),
                (131072, "MANAGE_PROPERTIES", "Manage project properties"),
                (262144, "MANAGE_SYSTEM_PROPERTIES", "Manage system project properties"),
                (524288, "BYPASS_PROPERTY_CACHE", "Bypass project property cache"),
                (1048576, "BYPASS_RULES", "Bypass rules on work item updates"),
                (2097152, "SUPPRESS_NOTIFICATIONS", "Suppress notifications for work item updates"),
                (4194304, "UPDATE_VISIBILITY", "Update project visibility"),
                (8388608, "CHANGE_PROCESS", "Change process of team project"),
                (16777216, "AGILETOOLS_BACKLOG", "Agile backlog management."),
                (33554432, "AGILETOOLS_PLANS", "Manage delivery plans"),
            ]
        ),
    ]
}
