/// Resource resolution with ADO's visibility rules: what the caller cannot read does not exist (404), so a
/// project needs Project GENERIC_READ, a repository Git GenericRead (reference/ado-rest.md §1.7).
enum Access {
    static let projectNamespace = "52d39943-cb85-4d7f-8fa8-c6baac873819"
    static let gitNamespace = "2e9eb7ed-3c0a-47d4-87c1-0ffdd275fd87"
    static let buildNamespace = "33344d9c-fc72-4d6f-aba5-fa317101a7e9"
    static let cssNamespace = "83e28ad4-2d72-4ceb-97b0-c7726d5502c3"
    static let buildAdministrationNamespace = "302acaca-b667-436d-a946-87133492041c"

    static func canRead(_ project: ProjectRecord, caller: Caller, model: OrgModel) -> Bool {
        model.allows(1, namespace: projectNamespace, token: project.securityToken, identitySet: caller.identitySet)
    }

    /// The project named or identified by `idOrName`, if it exists and the caller may read it; else TF200016
    /// (unknown name) or VS800075 (unknown id, or not readable).
    static func project(_ idOrName: String?, caller: Caller, model: OrgModel) throws(ADOError) -> ProjectRecord {
        guard let idOrName, !idOrName.isEmpty else { throw ADOError.argument("The project is required.") }
        guard let project = model.project(idOrName) else {
            if let id = GUID.normalized(idOrName) { throw ADOError.projectNotVisible(id: id) }
            throw ADOError.projectNotFound(name: idOrName)
        }
        guard canRead(project, caller: caller, model: model) else { throw ADOError.projectNotVisible(id: project.id) }
        return project
    }

    static func canRead(_ repository: RepositoryRecord, caller: Caller, model: OrgModel) -> Bool {
        model.allows(2, namespace: gitNamespace, token: repository.securityToken, identitySet: caller.identitySet)
    }

    /// A repository the caller may read (TF401019 otherwise). With `forOperation`, a disabled repository is
    /// also TF401019 (lists and GET still show it, with `isDisabled: true`).
    static func repository(
        _ idOrName: String?,
        project: ProjectRecord?,
        caller: Caller,
        model: OrgModel,
        forOperation: Bool
    ) throws(ADOError) -> RepositoryRecord {
        let name = idOrName ?? ""
        guard let repository = model.repository(name, in: project?.id),
            let owner = model.project(repository.projectId), canRead(owner, caller: caller, model: model),
            canRead(repository, caller: caller, model: model)
        else { throw ADOError.repositoryNotFound(name) }
        if forOperation && repository.isDisabled { throw ADOError.repositoryNotFound(name) }
        return repository
    }

    /// The optional `{project}` route segment, resolved (nil when the route has none).
    static func optionalProject(_ context: RouteContext, caller: Caller, model: OrgModel) throws(ADOError)
        -> ProjectRecord?
    {
        guard let name = context.parameter("project") else { return nil }
        return try project(name, caller: caller, model: model)
    }
}
