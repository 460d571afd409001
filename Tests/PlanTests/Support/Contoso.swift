import Foundation
import Plan

/// A hand-built `OrgState` mirroring docs/example-org.md (the ids the document fixes; repository, group and area
/// ids it leaves open are chosen here). Tests mutate copies of it to build each scenario.
enum Contoso {
    static let collectionId = "5d0f5b42-8c3e-4a8e-9b61-0e2f3c4a7d10"
    static let hostId = "7f3c2a91-6b4d-4e2a-8c1f-9a0b1c2d3e4f"
    static let tenantId = "3c8e1f2a-5b6d-4c7e-8f9a-0b1c2d3e4f50"
    static let payments = "a6845a01-3c2b-4d5e-8f70-1a2b3c4d5e6f"
    static let shared = "b7956b12-4d3c-4e6f-9081-2b3c4d5e6f70"
    static let openSource = "c8a67c23-5e4d-4f70-a192-3c4d5e6f7081"

    static let paymentsApi = "e1000000-0000-4000-8000-000000000001"
    static let paymentsDocs = "e1000000-0000-4000-8000-000000000002"
    static let paymentsWikiRepo = "e1000000-0000-4000-8000-000000000003"
    static let paymentsSdk = "e2000000-0000-4000-8000-000000000001"
    static let pipelineTemplates = "e2000000-0000-4000-8000-000000000002"
    static let sharedWikiRepo = "e2000000-0000-4000-8000-000000000003"
    static let ossLib = "e3000000-0000-4000-8000-000000000001"

    static let spnApplicationId = "9a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d"
    static let spnObjectId = "0f1e2d3c-4b5a-4697-8877-665544332211"
    static let readApplicationId = "1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e"

    static let areaPaymentsRoot = "a0000000-0000-4000-8000-00000000a001"
    static let areaPaymentsOps = "a0000000-0000-4000-8000-00000000a002"
    static let areaPaymentsWeb = "a0000000-0000-4000-8000-00000000a003"
    static let areaSharedRoot = "a0000000-0000-4000-8000-00000000b001"
    static let areaOpenSourceRoot = "a0000000-0000-4000-8000-00000000c001"

    static let allGit = 524_287
    static let contributorsGit = 16502

    // MARK: Descriptors

    static func buildService(_ scope: String) -> IdentityDescriptor {
        IdentityDescriptor("Microsoft.TeamFoundation.ServiceIdentity;\(hostId):Build:\(scope)")
    }

    static let collectionBuildService = buildService(collectionId)
    static let paymentsBuildService = buildService(payments)
    static let sharedBuildService = buildService(shared)
    static let openSourceBuildService = buildService(openSource)

    static func user(_ upn: String) -> IdentityDescriptor {
        IdentityDescriptor("Microsoft.IdentityModel.Claims.ClaimsIdentity;\(tenantId)\\\(upn)")
    }

    static let alice = user("alice@contoso.com")
    static let bob = user("bob@contoso.com")
    static let carol = user("carol@contoso.com")
    static let backup = user("backup@contoso.com")
    static let spn = IdentityDescriptor(
        "Microsoft.VisualStudio.Services.Claims.AadServicePrincipal;\(tenantId)\\\(spnObjectId)")

    static func group(_ sid: String) -> IdentityDescriptor {
        IdentityDescriptor("Microsoft.TeamFoundation.Identity;S-1-9-1551374245-\(sid)")
    }

    static let collectionAdministrators = group("1000-2000-3000-4000-0-0-0-0-1")
    static let collectionValidUsers = group("1000-2000-3000-4000-0-0-0-0-3")
    static let buildServiceAccounts = group("1000-2000-3000-4000-0-0-0-1-1")

    /// Project groups: `administrators`, `contributors`, `readers`, `buildAdministrators`, `validUsers`.
    struct ProjectGroups {
        let administrators, contributors, readers, buildAdministrators, validUsers: IdentityDescriptor
        var all: [IdentityDescriptor] { [administrators, contributors, readers, buildAdministrators, validUsers] }
    }

    static func groups(_ index: Int) -> ProjectGroups {
        let base = "\(1100 + index)-2100-3100-4100"
        return ProjectGroups(
            administrators: group("\(base)-0-0-0-0-1"), contributors: group("\(base)-1-11-12-13-14"),
            readers: group("\(base)-1-21-22-23-24"), buildAdministrators: group("\(base)-1-31-32-33-34"),
            validUsers: group("\(base)-0-0-0-0-3"))
    }

    static let paymentsGroups = groups(1)
    static let sharedGroups = groups(2)
    static let openSourceGroups = groups(3)

    // MARK: The state

    static func state() -> OrgState {
        var state = OrgState(
            organization: OrganizationInfo(
                name: "contoso", url: "https://dev.azure.com/contoso", collectionId: collectionId, hostId: hostId,
                tenantId: tenantId),
            namespaces: NamespaceCatalogue.wellKnown)
        state.projects = [
            Project(id: payments, name: "Payments"), Project(id: shared, name: "Shared"),
            Project(id: openSource, name: "OpenSource", visibility: .public),
        ]
        state.repositories = [
            Repository(id: paymentsApi, name: "payments-api", projectId: payments, defaultBranch: "refs/heads/main"),
            Repository(id: paymentsDocs, name: "payments-docs", projectId: payments, defaultBranch: "refs/heads/main"),
            Repository(id: paymentsWikiRepo, name: "Payments.wiki", projectId: payments, defaultBranch: "refs/heads/wikiMaster"),
            Repository(id: paymentsSdk, name: "payments-sdk", projectId: shared, defaultBranch: "refs/heads/main"),
            Repository(id: pipelineTemplates, name: "pipeline-templates", projectId: shared, defaultBranch: "refs/heads/main"),
            Repository(id: sharedWikiRepo, name: "Shared.wiki", projectId: shared, defaultBranch: "refs/heads/wikiMaster"),
            Repository(id: ossLib, name: "oss-lib", projectId: openSource, defaultBranch: "refs/heads/main"),
        ]
        state.wikis = [
            Wiki(id: "f1000000-0000-4000-8000-000000000001", name: "Payments.wiki", projectId: payments,
                 repositoryId: paymentsWikiRepo),
            Wiki(id: "f2000000-0000-4000-8000-000000000001", name: "Shared.wiki", projectId: shared,
                 repositoryId: sharedWikiRepo),
        ]
        func yaml(_ id: Int, _ name: String, _ path: String, _ file: String, _ project: String, _ repo: String,
                  _ repoName: String) -> BuildDefinition {
            BuildDefinition(id: id, name: name, path: path, projectId: project, revision: 3, processType: .yaml,
                            yamlFilename: file, repositoryId: repo, repositoryName: repoName, repositoryType: "TfsGit")
        }
        state.buildDefinitions = [
            yaml(11, "payments-ci", "\\", "azure-pipelines.yml", payments, paymentsApi, "payments-api"),
            yaml(12, "payments-pr-reviewer", "\\agents", "agents/pr-reviewer.lock.yml", payments, paymentsApi, "payments-api"),
            yaml(13, "ops-triage", "\\agents", "agents/ops-triage.lock.yml", payments, paymentsApi, "payments-api"),
            yaml(14, "sdk-sync", "\\agents", "agents/sdk-sync.lock.yml", payments, paymentsApi, "payments-api"),
            BuildDefinition(id: 57, name: "Deploy-Canary", path: "\\Release", projectId: payments, revision: 8,
                            processType: .classic, repositoryId: paymentsApi, repositoryName: "payments-api",
                            repositoryType: "TfsGit", jobAuthorizationScope: .projectCollection),
            yaml(2560, "Payments-CI", "\\", "azure-pipelines.yml", shared, paymentsSdk, "payments-sdk"),
            yaml(2570, "shared-docs-bot", "\\", "agents/docs-bot.lock.yml", shared, pipelineTemplates, "pipeline-templates"),
            yaml(3001, "oss-ci", "\\", "azure-pipelines.yml", openSource, ossLib, "oss-lib"),
        ]
        state.pipelineSettings = PipelineSettingsState(
            organization: PipelineSettings(values: [
                "enforceJobAuthScope": false, "enforceJobAuthScopeForReleases": false,
                "enforceReferencedRepoScopedToken": false,
            ]),
            projects: [
                payments: PipelineSettings(values: [
                    "enforceJobAuthScope": false, "enforceJobAuthScopeForReleases": false,
                    "enforceReferencedRepoScopedToken": false,
                ]),
                shared: PipelineSettings(values: [
                    "enforceJobAuthScope": true, "enforceJobAuthScopeForReleases": false,
                    "enforceReferencedRepoScopedToken": false,
                ]),
                openSource: PipelineSettings(values: [
                    "enforceJobAuthScope": false, "enforceJobAuthScopeForReleases": false,
                    "enforceReferencedRepoScopedToken": false,
                ]),
            ])
        state.serviceEndpoints = [
            ServiceEndpoint(
                id: "5e000000-0000-4000-8000-000000000001", name: "ado-aw-write", type: "azurerm",
                scheme: "WorkloadIdentityFederation",
                parameters: ["tenantid": tenantId, "serviceprincipalid": spnApplicationId],
                projectReferences: [.init(projectId: payments, name: "ado-aw-write")]),
            ServiceEndpoint(
                id: "5e000000-0000-4000-8000-000000000002", name: "ado-aw-read", type: "azurerm",
                scheme: "WorkloadIdentityFederation",
                parameters: ["tenantid": tenantId, "serviceprincipalid": readApplicationId],
                projectReferences: [.init(projectId: payments, name: "ado-aw-read")]),
        ]
        state.servicePrincipals = [
            ServicePrincipal(subjectDescriptor: "aadsp.MGYxZTJkM2MtNGI1YS00Njk3LTg4NzctNjY1NTQ0MzMyMjEx",
                             displayName: "ado-aw-write", applicationId: spnApplicationId, originId: spnObjectId)
        ]
        state.areas = [
            AreaNode(id: 1, identifier: areaPaymentsRoot, name: "Payments", path: "\\Payments\\Area", projectId: payments,
                     parentIdentifier: nil),
            AreaNode(id: 2, identifier: areaPaymentsOps, name: "Ops", path: "\\Payments\\Area\\Ops", projectId: payments,
                     parentIdentifier: areaPaymentsRoot),
            AreaNode(id: 3, identifier: areaPaymentsWeb, name: "Web", path: "\\Payments\\Area\\Web", projectId: payments,
                     parentIdentifier: areaPaymentsRoot),
            AreaNode(id: 4, identifier: areaSharedRoot, name: "Shared", path: "\\Shared\\Area", projectId: shared,
                     parentIdentifier: nil),
            AreaNode(id: 5, identifier: areaOpenSourceRoot, name: "OpenSource", path: "\\OpenSource\\Area",
                     projectId: openSource, parentIdentifier: nil),
        ]
        addIdentities(&state)
        addACLs(&state)
        state.files = Fixtures.tree("contoso/files")
        return state
    }

    private static func addIdentities(_ state: inout OrgState) {
        var identities: [Identity] = []
        var memberships: [Membership] = []
        func add(_ descriptor: IdentityDescriptor, _ name: String, custom: String? = nil, container: Bool = false,
                 account: String? = nil, subject: String? = nil) {
            var properties: [String: String] = [:]
            if let account { properties["Account"] = account }
            identities.append(Identity(
                id: UUID(uuidString: String(format: "00000000-0000-4000-8000-%012d", identities.count + 1))!
                    .uuidString.lowercased(),
                descriptor: descriptor, subjectDescriptor: subject, providerDisplayName: name,
                customDisplayName: custom, isContainer: container, properties: properties))
        }
        func member(_ member: IdentityDescriptor, of container: IdentityDescriptor) {
            memberships.append(Membership(member: member, container: container))
        }
        add(collectionAdministrators, "[contoso]\\Project Collection Administrators", container: true,
            account: "Project Collection Administrators")
        add(collectionValidUsers, "[contoso]\\Project Collection Valid Users", container: true,
            account: "Project Collection Valid Users")
        add(buildServiceAccounts, "[contoso]\\Project Collection Build Service Accounts", container: true,
            account: "Project Collection Build Service Accounts")
        add(collectionBuildService, collectionId, custom: "Project Collection Build Service (contoso)")
        for (scope, name) in [(payments, "Payments"), (shared, "Shared"), (openSource, "OpenSource")] {
            add(buildService(scope), scope, custom: "\(name) Build Service (contoso)")
            member(buildService(scope), of: buildServiceAccounts)
        }
        member(collectionBuildService, of: buildServiceAccounts)
        for (groups, name) in [(paymentsGroups, "Payments"), (sharedGroups, "Shared"), (openSourceGroups, "OpenSource")] {
            add(groups.administrators, "[\(name)]\\Project Administrators", container: true, account: "Project Administrators")
            add(groups.contributors, "[\(name)]\\Contributors", container: true, account: "Contributors")
            add(groups.readers, "[\(name)]\\Readers", container: true, account: "Readers")
            add(groups.buildAdministrators, "[\(name)]\\Build Administrators", container: true,
                account: "Build Administrators")
            add(groups.validUsers, "[\(name)]\\Project Valid Users", container: true, account: "Project Valid Users")
            for group in [groups.administrators, groups.contributors, groups.readers, groups.buildAdministrators] {
                member(group, of: groups.validUsers)
            }
            member(groups.validUsers, of: collectionValidUsers)
        }
        member(buildServiceAccounts, of: collectionValidUsers)
        member(buildServiceAccounts, of: paymentsGroups.validUsers)
        member(buildServiceAccounts, of: sharedGroups.validUsers)
        add(alice, "Alice Admin", account: "alice@contoso.com")
        add(bob, "Bob Builder", account: "bob@contoso.com")
        add(carol, "Carol Reader", account: "carol@contoso.com")
        add(backup, "Xopero Backup", account: "backup@contoso.com")
        add(spn, "ado-aw-write", account: spnObjectId, subject: "aadsp.MGYxZTJkM2MtNGI1YS00Njk3LTg4NzctNjY1NTQ0MzMyMjEx")
        member(alice, of: collectionAdministrators)
        member(bob, of: paymentsGroups.contributors)
        member(carol, of: paymentsGroups.readers)
        member(backup, of: collectionValidUsers)
        member(spn, of: paymentsGroups.readers)
        state.identities = identities
        state.memberships = memberships
    }

    private static func ace(_ descriptor: IdentityDescriptor, allow: Int = 0, deny: Int = 0)
        -> (IdentityDescriptor, AccessControlEntry)
    {
        (descriptor, AccessControlEntry(descriptor: descriptor, allow: allow, deny: deny))
    }

    static func acl(_ namespace: String, _ token: String, inherit: Bool = true,
                    _ entries: [(IdentityDescriptor, AccessControlEntry)]) -> AccessControlList {
        AccessControlList(namespaceId: namespace, token: token, inheritPermissions: inherit,
                          entries: Dictionary(entries, uniquingKeysWith: { a, _ in a }))
    }

    private static func addACLs(_ state: inout OrgState) {
        var acls: [AccessControlList] = [
            acl(NamespaceID.git, "repoV2", [ace(collectionAdministrators, allow: allGit)])
        ]
        for (project, groups) in [(payments, paymentsGroups), (shared, sharedGroups), (openSource, openSourceGroups)] {
            acls.append(acl(NamespaceID.git, "repoV2/\(project)", [
                ace(groups.contributors, allow: contributorsGit), ace(groups.readers, allow: 2),
                ace(groups.administrators, allow: allGit), ace(collectionBuildService, allow: contributorsGit),
                ace(buildService(project), allow: contributorsGit),
            ]))
        }
        // The seed: ado-aw's TF401027.
        acls.append(acl(NamespaceID.git, "repoV2/\(payments)/\(paymentsApi)", [ace(collectionBuildService, deny: 16404)]))
        acls.append(acl(NamespaceID.build, payments, [
            ace(paymentsGroups.contributors, allow: 1 | 128 | 1024), ace(paymentsBuildService, allow: 1 | 128),
        ]))
        acls.append(acl(NamespaceID.css, "vstfs:///Classification/Node/\(areaPaymentsRoot)", [
            ace(paymentsGroups.contributors, allow: 16 | 32 | 512), ace(collectionBuildService, allow: 16 | 32),
            ace(paymentsBuildService, allow: 16 | 32),
        ]))
        acls.append(acl(NamespaceID.collection, "NAMESPACE:", [
            ace(collectionAdministrators, allow: 4087), ace(collectionValidUsers, allow: 1),
        ]))
        acls.append(acl(NamespaceID.process, "$PROCESS", [ace(collectionAdministrators, allow: 31)]))
        state.acls = acls
    }
}

extension OrgState {
    /// Replaces (or adds) the ACE of `descriptor` on a token.
    mutating func setACE(_ namespace: String, _ token: String, _ descriptor: IdentityDescriptor,
                         allow: Int = 0, deny: Int = 0, inherit: Bool? = nil) {
        let entry = AccessControlEntry(descriptor: descriptor, allow: allow, deny: deny)
        if let index = acls.firstIndex(where: { $0.namespaceId == namespace && $0.token.lowercased() == token.lowercased() }) {
            acls[index].entries[descriptor] = entry
            if let inherit { acls[index].inheritPermissions = inherit }
        } else {
            acls.append(AccessControlList(namespaceId: namespace, token: token, inheritPermissions: inherit ?? true,
                                          entries: [descriptor: entry]))
        }
    }

    /// Removes the ACE of `descriptor` on a token.
    mutating func removeACE(_ namespace: String, _ token: String, _ descriptor: IdentityDescriptor) {
        if let index = acls.firstIndex(where: { $0.namespaceId == namespace && $0.token.lowercased() == token.lowercased() }) {
            acls[index].entries.removeValue(forKey: descriptor)
        }
    }
}
