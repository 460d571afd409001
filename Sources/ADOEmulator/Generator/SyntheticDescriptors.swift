/// Identity descriptors of the generated organization (the shapes of reference/ado-rest.md §3, §14).
extension SyntheticLayout {
    enum OrganizationGroup: String {
        case administrators = "Project Collection Administrators"
        case validUsers = "Project Collection Valid Users"
        case buildServiceAccounts = "Project Collection Build Service Accounts"

        var sidSuffix: String {
            switch self {
            case .administrators: "-0-0-0-0-1"
            case .validUsers: "-0-0-0-0-3"
            case .buildServiceAccounts: "-0-0-0-1-1"
            }
        }
    }

    func sid(_ group: OrganizationGroup) -> String { choose.sid("org") + group.sidSuffix }

    func sid(project: Int, _ group: ProjectGroup) -> String {
        let name = projects[project].name
        switch group {
        case .administrators: return choose.sid("project/\(name)") + "-0-0-0-0-1"
        case .validUsers: return choose.sid("project/\(name)") + "-0-0-0-0-3"
        default: return choose.sid("project/\(name)") + choose.sidSuffix("\(name)/\(group.rawValue)")
        }
    }

    func descriptor(_ group: OrganizationGroup) -> String { "Microsoft.TeamFoundation.Identity;\(sid(group))" }

    func descriptor(project: Int, _ group: ProjectGroup) -> String {
        "Microsoft.TeamFoundation.Identity;\(sid(project: project, group))"
    }

    func buildService(scope: String) -> String { "Microsoft.TeamFoundation.ServiceIdentity;\(hostId):Build:\(scope)" }

    var collectionBuildService: String { buildService(scope: collectionId) }

    func buildService(project: Int) -> String { buildService(scope: projects[project].id) }

    func buildService(_ kind: BuildServiceKind, project: Int) -> String {
        kind == .collection ? collectionBuildService : buildService(project: project)
    }

    func descriptor(user: User) -> String { "Microsoft.IdentityModel.Claims.ClaimsIdentity;\(tenantId)\\\(user.upn)" }

    func descriptor(endpoint: Endpoint) -> String {
        "Microsoft.VisualStudio.Services.Claims.AadServicePrincipal;\(tenantId)\\\(endpoint.objectId)"
    }
}
