/// Core: projects (`$top` / `$skip` / integer `continuationToken` paging, `x-ms-continuationtoken` header).
enum CoreRoutes {
    static func register(_ table: inout RouteTable) {
        table.add("GET", "/{org}/_apis/projects", version: "7.1-preview.4") { request, context in
            let caller = try context.requireCaller()
            let top = max(0, request.query.int("$top") ?? 100)
            let skip = max(0, request.query.int("$skip") ?? 0)
            guard let continuation = request.query["continuationToken"].map({ $0.isEmpty ? 0 : Int($0) }) ?? 0 else {
                throw ADOError.argument("The continuation token is not valid.")
            }
            let state = request.query["stateFilter"]?.lowercased() ?? "wellformed"
            let page = await context.store.read { model, _ -> (values: [JSON], next: Int?) in
                let visible = model.projects.filter { project in
                    guard Access.canRead(project, caller: caller, model: model) else { return false }
                    let projectState = project.raw["state"]?.stringValue?.lowercased() ?? "wellformed"
                    return state == "all" || state == projectState
                }
                let start = skip + continuation
                let slice = visible.dropFirst(start).prefix(top)
                let next = start + slice.count < visible.count && top > 0 ? continuation + slice.count : nil
                return (slice.map { .object($0.raw) }, next)
            }
            return context.collection(page.values, continuationToken: page.next.map(String.init))
        }
        table.add("GET", "/{org}/_apis/projects/{projectId}", version: "7.1-preview.4") { request, context in
            let caller = try context.requireCaller()
            let id = context.parameter("projectId")
            let capabilities = request.query.bool("includeCapabilities") ?? false
            let project = try await context.store.read { model, _ in
                try Access.project(id, caller: caller, model: model)
            }
            return context.json(teamProject(project, capabilities: capabilities, context: context))
        }
    }

    /// TeamProject: the reference plus `_links`, `defaultTeam` and (when asked) `capabilities`.
    static func teamProject(_ project: ProjectRecord, capabilities: Bool, context: RouteContext) -> JSON {
        var object = project.raw
        let base = context.organizationURL
        if capabilities {
            object["capabilities"] = [
                "processTemplate": ["templateName": "Agile", "templateTypeId": "adcc42ab-9882-485e-a3ed-7678f01f66bc"],
                "versioncontrol": ["sourceControlType": "Git", "gitEnabled": "True", "tfvcEnabled": "False"],
            ]
        }
        object["_links"] = [
            "self": ["href": .string("\(base)/_apis/projects/\(project.id)")],
            "collection": ["href": .string("\(base)/_apis/projectCollections/\(context.services.collectionId)")],
            "web": ["href": .string("\(base)/\(project.name)")],
        ]
        let teamId = GraphRoutes.scopeDescriptor(projectId: "team:" + project.id).dropFirst(4)
        let teamGuid = Base64URL.decode(String(teamId)) ?? project.id
        object["defaultTeam"] = [
            "id": .string(teamGuid), "name": .string("\(project.name) Team"),
            "url": .string("\(base)/_apis/projects/\(project.id)/teams/\(teamGuid)"),
        ]
        return .object(object)
    }
}
