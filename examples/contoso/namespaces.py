"""Security namespace definitions of a real Azure DevOps organization (recorded 2026, api-version 5.0).

Only the namespaces the example organization uses. Field order, null display names, the zero-GUID `namespaceId`
of some actions and every bit/name/displayName are as the service returned them; make-snapshot.py emits them
verbatim as the snapshot's `securityNamespaces` member.
"""

ZERO = "00000000-0000-0000-0000-000000000000"


def _ns(namespace_id, name, display_name, separator, write, read, category, actions, structure, extension,
        remotable, translator, system_bits, action_ns=None):
    owner = action_ns if action_ns is not None else namespace_id
    return {
        "namespaceId": namespace_id,
        "name": name,
        "displayName": display_name,
        "separatorValue": separator,
        "elementLength": -1,
        "writePermission": write,
        "readPermission": read,
        "dataspaceCategory": category,
        "actions": [{"bit": bit, "name": n, "displayName": d, "namespaceId": owner} for bit, n, d in actions],
        "structureValue": structure,
        "extensionType": extension,
        "isRemotable": remotable,
        "useTokenTranslator": translator,
        "systemBitMask": system_bits,
    }


FLAT = "\u0000"

NAMESPACES = [
    _ns("5a27515b-ccd7-42c9-84f1-54c998f03866", "Identity", "Identity", "\\", 4, 1, "Default", [
        (1, "Read", "View identity information"),
        (2, "Write", "Edit identity information"),
        (4, "Delete", "Delete identity information"),
        (8, "ManageMembership", "Manage group membership"),
        (16, "CreateScope", "Create identity scopes"),
        (32, "RestoreScope", "Restore identity scopes"),
    ], 1, "Microsoft.TeamFoundation.Framework.Server.IdentitySecurityNamespaceExtension", False, False, 0),
    _ns("2e9eb7ed-3c0a-47d4-87c1-0ffdd275fd87", "Git Repositories", "Git Repositories", "/", 8192, 2, "Git", [
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
    ], 1, "Microsoft.TeamFoundation.Git.Server.Plugins.GitSecurityNamespaceExtension", True, True, 0),
    _ns("49b48001-ca20-4adc-8111-5b60c903a50c", "ServiceEndpoints", "ServiceEndpoints", "/", 2, 0,
        "DistributedTask", [
            (1, "Use", "Use Service Connection"),
            (2, "Administer", "Administer Service Connection"),
            (4, "Create", "Create Service Connection"),
            (8, "ViewAuthorization", "View Authorization"),
            (16, "ViewEndpoint", "View Service Connection"),
        ], 1, None, False, True, 0),
    _ns("3e65f728-f8bc-4ecd-8764-7e378b19bfa7", "Collection", "Collection", ":", 2, 1, "Default", [
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
    ], 1, "Microsoft.TeamFoundation.ApplicationTier.Plugins.Core.NamespaceSecurityExtension", True, False, 0),
    _ns("2dab47f9-bd70-49ed-9bd5-8eb051e59c02", "Process", "Process", ":", 8, 16, "Default", [
        (1, "Edit", "Edit process"),
        (2, "Delete", "Delete process"),
        (4, "Create", "Create process"),
        (8, "AdministerProcessPermissions", "Administer process permissions"),
        (16, "ReadProcessPermissions", "View Process"),
    ], 1, None, False, False, 16),
    _ns("b7e84409-6553-448a-bbb2-af228e07cbeb", "Library", "Library", "/", 2, 1, "DistributedTask", [
        (1, "View", "View library item"),
        (2, "Administer", "Administer library item"),
        (4, "Create", "Create library item"),
        (8, "ViewSecrets", "View library item secrets"),
        (16, "Use", "Use library item"),
        (32, "Owner", "Owner"),
    ], 1, None, False, True, 0),
    _ns("bb50f182-8e5e-40b8-bc21-e8752a1e7ae2", "Tagging", "Tagging", "/", 4, 1, "Default", [
        (1, "Enumerate", "Enumerate tag definitions"),
        (2, "Create", "Create tag definition"),
        (4, "Update", "Update tag definition"),
        (8, "Delete", "Delete tag definition"),
    ], 1, None, False, True, 0),
    _ns("bf7bfa03-b2b7-47db-8113-fa2e002cc5b1", "Iteration", "Iteration", ":", 2, 1, "Integration", [
        (1, "GENERIC_READ", "View permissions for this node"),
        (2, "GENERIC_WRITE", "Edit this node"),
        (4, "CREATE_CHILDREN", "Create child nodes"),
        (8, "DELETE", "Delete this node"),
    ], 1, "Microsoft.Azure.Boards.Plugins.Security.IterationSecurityExtension", False, True, 0),
    _ns("302acaca-b667-436d-a946-87133492041c", "BuildAdministration", None, FLAT, 8, 0, "Build", [
        (1, "ViewBuildResources", "View build resources"),
        (2, "ManageBuildResources", "Manage build resources"),
        (4, "UseBuildResources", "Use build resources"),
        (8, "AdministerBuildResourcePermissions", "Administer build resource permissions"),
        (16, "ManagePipelinePolicies", "Manage pipeline policies"),
    ], 0, "Microsoft.TeamFoundation.Build.Server.BuildAdministrationSecurityExtension", True, False, 0, ZERO),
    _ns("33344d9c-fc72-4d6f-aba5-fa317101a7e9", "Build", None, "/", 16384, 0, "Build", [
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
    ], 1, "Microsoft.TeamFoundation.Build.Server.BuildSecurityExtension", True, True, 0, ZERO),
    _ns("83e28ad4-2d72-4ceb-97b0-c7726d5502c3", "CSS", "CSS", ":", 2, 1, "Integration", [
        (1, "GENERIC_READ", "View permissions for this node"),
        (2, "GENERIC_WRITE", "Edit this node"),
        (4, "CREATE_CHILDREN", "Create child nodes"),
        (8, "DELETE", "Delete this node"),
        (16, "WORK_ITEM_READ", "View work items in this node"),
        (32, "WORK_ITEM_WRITE", "Edit work items in this node"),
        (64, "MANAGE_TEST_PLANS", "Manage test plans"),
        (128, "MANAGE_TEST_SUITES", "Manage test suites"),
        (512, "WORK_ITEM_SAVE_COMMENT", "Edit work item comments in this node"),
    ], 1, "Microsoft.Azure.Boards.Plugins.Security.CSSNodeSecurityExtension", True, True, 0, ZERO),
    _ns("52d39943-cb85-4d7f-8fa8-c6baac873819", "Project", "Project", ":", 2, 1, "Default", [
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
    ], 1, "Microsoft.TeamFoundation.ApplicationTier.PlugIns.Core.ProjectSecurityExtension", True, True, 17563648, ZERO),
]


def by_name(name):
    return next(ns for ns in NAMESPACES if ns["name"] == name)


def all_bits(name):
    """Every action bit of the namespace (what an administrator group is allowed)."""
    total = 0
    for action in by_name(name)["actions"]:
        total |= action["bit"]
    return total
