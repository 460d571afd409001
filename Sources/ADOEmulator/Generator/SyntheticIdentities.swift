/// Identities, graph subjects and memberships of the generated organization, shaped like the example's
/// (examples/contoso/make-snapshot.py): groups with their `$type/$value` properties, build services, users and
/// service principals, each both an identity and a graph subject.
struct SyntheticIdentities {
    let layout: SyntheticLayout
    var identities: [JSON] = []
    var users: [JSON] = []
    var groups: [JSON] = []
    var servicePrincipals: [JSON] = []
    var memberships: [JSON] = []

    init(layout: SyntheticLayout) {
        self.layout = layout
        build()
    }

    private static func property(_ value: String, _ type: String = "System.String") -> JSON {
        ["$type": .string(type), "$value": .string(value)]
    }

    private func graphLinks(_ kind: String, _ subject: String, avatar: Bool) -> JSON {
        let base = "\(layout.identityURL)/_apis/Graph"
        var links = JSONObject([
            ("self", ["href": .string("\(base)/\(kind)/\(subject)")]),
            ("memberships", ["href": .string("\(base)/Memberships/\(subject)")]),
            ("membershipState", ["href": .string("\(base)/MembershipStates/\(subject)")]),
            ("storageKey", ["href": .string("\(base)/StorageKeys/\(subject)")]),
        ])
        if avatar {
            links["avatar"] = ["href": .string("\(layout.organizationURL)/_apis/GraphProfile/MemberAvatars/\(subject)")]
        }
        return .object(links)
    }

    private mutating func addGroup(
        key: String,
        scope: String,
        name: String,
        sid: String,
        description: String,
        domain: String,
        special: String,
        scopeId: String?
    ) {
        let subject = "vssgp." + Base64URL.encode(sid)
        let vsid = layout.choose.guid("identity/\(key)")
        let collectionId = layout.collectionId
        identities.append([
            "id": .string(vsid), "descriptor": .string("Microsoft.TeamFoundation.Identity;\(sid)"),
            "subjectDescriptor": .string(subject), "providerDisplayName": .string("[\(scope)]\\\(name)"),
            "isActive": true, "isContainer": true, "resourceVersion": 2, "metaTypeId": 255,
            "properties": [
                "SchemaClassName": Self.property("Group"), "Description": Self.property(description),
                "Domain": Self.property(domain), "Account": Self.property(name),
                "SecurityGroup": Self.property("SecurityGroup"), "SpecialType": Self.property(special),
                "ScopeId": Self.property(scopeId ?? collectionId, "System.Guid"),
                "ScopeType": Self.property(scopeId == nil ? "ServiceHost" : "TeamProject"),
                "LocalScopeId": Self.property(scopeId ?? collectionId, "System.Guid"),
                "SecuringHostId": Self.property(collectionId, "System.Guid"), "ScopeName": Self.property(scope),
                "GlobalScope": Self.property(scopeId == nil ? "GlobalScope" : ""), "VirtualPlugin": Self.property(""),
            ],
        ])
        groups.append([
            "subjectKind": "group", "description": .string(description), "domain": .string(domain),
            "principalName": .string("[\(scope)]\\\(name)"), "mailAddress": nil, "origin": "vsts",
            "originId": .string(vsid), "displayName": .string(name),
            "_links": graphLinks("Groups", subject, avatar: false),
            "url": .string("\(layout.identityURL)/_apis/Graph/Groups/\(subject)"), "descriptor": .string(subject),
        ])
    }

    private mutating func addBuildService(key: String, scope: String, displayName: String) {
        let identifier = "\(layout.hostId):Build:\(scope)"
        let subject = "svc." + Base64URL.encode(identifier)
        let vsid = layout.choose.guid("identity/\(key)")
        identities.append([
            "id": .string(vsid), "descriptor": .string("Microsoft.TeamFoundation.ServiceIdentity;\(identifier)"),
            "subjectDescriptor": .string(subject), "providerDisplayName": .string(scope),
            "customDisplayName": .string(displayName), "isActive": true, "resourceVersion": 2, "metaTypeId": 255,
            "properties": [
                "SchemaClassName": Self.property("User"), "Description": Self.property(""),
                "Domain": Self.property("Build"), "Account": Self.property(scope),
                "SpecialType": Self.property("Generic"),
            ],
        ])
        users.append([
            "subjectKind": "user", "directoryAlias": nil, "domain": "Build", "principalName": .string(scope),
            "mailAddress": "", "origin": "vsts", "originId": .string(vsid), "displayName": .string(displayName),
            "_links": graphLinks("Users", subject, avatar: true),
            "url": .string("\(layout.identityURL)/_apis/Graph/Users/\(subject)"), "descriptor": .string(subject),
        ])
    }

    private mutating func addUser(_ user: SyntheticLayout.User) {
        let subject = "aad." + Base64URL.encode(layout.choose.guid("aad-subject/\(user.upn)"))
        let objectId = layout.choose.guid("aad-object/\(user.upn)")
        let alias = String(user.upn.split(separator: "@")[0])
        let puid = String(layout.choose.value("puid", user.index), radix: 16).leftPadded(16).uppercased()
        identities.append([
            "id": .string(layout.choose.guid("identity/user/\(user.upn)")),
            "descriptor": .string(layout.descriptor(user: user)), "subjectDescriptor": .string(subject),
            "providerDisplayName": .string(user.displayName), "isActive": true, "resourceVersion": 2, "metaTypeId": 0,
            "properties": [
                "SchemaClassName": Self.property("User"), "Description": Self.property(""),
                "Domain": Self.property(layout.tenantId), "Account": Self.property(user.upn),
                "DN": Self.property(""), "Mail": Self.property(user.upn), "SpecialType": Self.property("Generic"),
                "Alias": Self.property(alias), "DirectoryAlias": Self.property(alias),
                "PUID": Self.property("aad:" + puid),
                "http://schemas.microsoft.com/identity/claims/objectidentifier": Self.property(objectId),
            ],
        ])
        users.append([
            "subjectKind": "user", "metaType": "member", "directoryAlias": .string(alias),
            "domain": .string(layout.tenantId), "principalName": .string(user.upn), "mailAddress": .string(user.upn),
            "origin": "aad", "originId": .string(objectId), "displayName": .string(user.displayName),
            "_links": graphLinks("Users", subject, avatar: true),
            "url": .string("\(layout.identityURL)/_apis/Graph/Users/\(subject)"), "descriptor": .string(subject),
        ])
    }

    private mutating func addServicePrincipal(_ endpoint: SyntheticLayout.Endpoint) {
        let subject = "aadsp." + Base64URL.encode(layout.choose.guid("aadsp-subject/\(endpoint.name)"))
        identities.append([
            "id": .string(layout.choose.guid("identity/spn/\(endpoint.name)")),
            "descriptor": .string(layout.descriptor(endpoint: endpoint)), "subjectDescriptor": .string(subject),
            "providerDisplayName": .string(endpoint.name), "isActive": true, "resourceVersion": 2, "metaTypeId": 0,
            "properties": [
                "SchemaClassName": Self.property("User"), "Description": Self.property(""),
                "Domain": Self.property(layout.tenantId), "Account": Self.property(endpoint.objectId),
                "SpecialType": Self.property("Generic"),
                "http://schemas.microsoft.com/identity/claims/objectidentifier": Self.property(endpoint.objectId),
            ],
        ])
        servicePrincipals.append([
            "subjectKind": "servicePrincipal", "applicationId": .string(endpoint.applicationId),
            "directoryAlias": .string(endpoint.objectId), "domain": .string(layout.tenantId),
            "principalName": .string(endpoint.objectId), "mailAddress": nil, "origin": "aad",
            "originId": .string(endpoint.objectId), "displayName": .string(endpoint.name),
            "_links": graphLinks("ServicePrincipals", subject, avatar: true),
            "url": .string("\(layout.identityURL)/_apis/Graph/ServicePrincipals/\(subject)"),
            "descriptor": .string(subject),
        ])
    }

    private mutating func member(_ member: String, of container: String) {
        memberships.append(["member": .string(member), "container": .string(container)])
    }

    private static let projectGroupText: [SyntheticLayout.ProjectGroup: (description: String, special: String)] = [
        .administrators: (
            "Members of this group can perform all operations in the team project.", "AdministrativeApplicationGroup"
        ),
        .contributors: ("Members of this group can add, modify, and delete items within the team project.", "Generic"),
        .readers: ("Members of this group have access to the team project.", "Generic"),
        .buildAdministrators: (
            "Members of this group can create, modify and delete build definitions and manage queued and completed builds.",
            "Generic"
        ),
        .validUsers: (
            "This application group contains all users and groups that have access to the team project.",
            "EveryoneApplicationGroup"
        ),
    ]

    private mutating func build() {
        let org = layout.spec.organization
        let orgDomain = "vstfs:///Framework/IdentityDomain/\(layout.collectionId)"
        let orgGroups: [(SyntheticLayout.OrganizationGroup, String, String)] = [
            (
                .administrators,
                "Members of this application group can perform all privileged operations on the Team Project Collection.",
                "AdministrativeApplicationGroup"
            ),
            (
                .validUsers,
                "This application group contains all users and groups that have access to the Team Project Collection.",
                "EveryoneApplicationGroup"
            ),
            (
                .buildServiceAccounts,
                "Members of this group should include accounts for people and services that run builds.",
                "ServiceApplicationGroup"
            ),
        ]
        for (group, description, special) in orgGroups {
            addGroup(
                key: "org/\(group.rawValue)",
                scope: org,
                name: group.rawValue,
                sid: layout.sid(group),
                description: description,
                domain: orgDomain,
                special: special,
                scopeId: nil
            )
        }
        for project in layout.projects {
            let domain = "vstfs:///Classification/TeamProject/\(project.id)"
            for group in SyntheticLayout.ProjectGroup.allCases {
                let text = Self.projectGroupText[group]!
                addGroup(
                    key: "\(project.name)/\(group.rawValue)",
                    scope: project.name,
                    name: group.rawValue,
                    sid: layout.sid(project: project.index, group),
                    description: text.description,
                    domain: domain,
                    special: text.special,
                    scopeId: project.id
                )
            }
        }
        addBuildService(
            key: "pcbs",
            scope: layout.collectionId,
            displayName: "Project Collection Build Service (\(org))"
        )
        for project in layout.projects {
            addBuildService(
                key: "\(project.name)/bs",
                scope: project.id,
                displayName: "\(project.name) Build Service (\(org))"
            )
        }
        for user in layout.users { addUser(user) }
        for project in layout.projects { for endpoint in project.endpoints { addServicePrincipal(endpoint) } }

        let accounts = layout.descriptor(.buildServiceAccounts)
        member(layout.collectionBuildService, of: accounts)
        for project in layout.projects { member(layout.buildService(project: project.index), of: accounts) }
        for user in layout.users {
            if user.isAdministrator { member(layout.descriptor(user: user), of: layout.descriptor(.administrators)) }
            for (project, group) in user.groups {
                member(layout.descriptor(user: user), of: layout.descriptor(project: project, group))
            }
        }
        for project in layout.projects {
            for endpoint in project.endpoints {
                member(
                    layout.descriptor(endpoint: endpoint),
                    of: layout.descriptor(project: project.index, endpoint.writes ? .contributors : .readers)
                )
            }
            let validUsers = layout.descriptor(project: project.index, .validUsers)
            for group in SyntheticLayout.ProjectGroup.allCases where group != .validUsers {
                member(layout.descriptor(project: project.index, group), of: validUsers)
            }
            member(validUsers, of: layout.descriptor(.validUsers))
            if project.validUsersHoldBuildAccounts { member(accounts, of: validUsers) }
        }
        member(accounts, of: layout.descriptor(.validUsers))
    }
}
