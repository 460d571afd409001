import Foundation

/// Area classification nodes and the work-item calls pipelines make. Work items are governed by the CSS
/// namespace on the item's area node: WORK_ITEM_READ 16 to see one (404 TF401232 otherwise), WORK_ITEM_WRITE 32
/// to create or update it, WORK_ITEM_SAVE_COMMENT 512 to comment (403 TF237111 otherwise). Work items live
/// only while the emulator runs (the snapshot format has none).
enum WorkItemRoutes {
    static func register(_ table: inout RouteTable) {
        table.add("GET", "/{org}/{project}/_apis/wit/classificationnodes", version: "7.1-preview.2") {
            request,
            context in
            let caller = try context.requireCaller()
            let depth = request.query.int("$depth") ?? 0
            let roots = try await context.store.read { model, _ -> [JSON] in
                let project = try Access.project(context.parameter("project"), caller: caller, model: model)
                return areaRoot(model, project).map { [trimmed($0, depth: depth)] } ?? []
            }
            return context.collection(roots)
        }
        for template in [
            "/{org}/{project}/_apis/wit/classificationnodes/{group}",
            "/{org}/{project}/_apis/wit/classificationnodes/{group}/{*path}",
        ] {
            table.add("GET", template, version: "7.1-preview.2") { request, context in
                try await node(request, context: context)
            }
        }
        table.add("POST", "/{org}/{project}/_apis/wit/workitems/{type}", version: "7.1-preview.3") { request, context in
            try await create(request, context: context)
        }
        table.add("GET", "/{org}/{project}/_apis/wit/workitems/{id}", version: "7.1-preview.3") { _, context in
            let caller = try context.requireCaller()
            let item = try await context.store.read { model, runtime in
                try readable(context, caller: caller, model: model, runtime: runtime)
            }
            return context.json(json(item, context: context))
        }
        table.add("PATCH", "/{org}/{project}/_apis/wit/workitems/{id}", version: "7.1-preview.3") { request, context in
            try await update(request, context: context)
        }
        table.add("POST", "/{org}/{project}/_apis/wit/workItems/{id}/comments", version: "7.1-preview.4") {
            request,
            context in
            try await comment(request, context: context)
        }
    }

    static func areaRoot(_ model: OrgModel, _ project: ProjectRecord) -> JSON? {
        for (key, root) in model.document["areas"]?.objectValue ?? JSONObject() where GUID.normalized(key) == project.id
        {
            return root
        }
        return nil
    }

    private static func trimmed(_ node: JSON, depth: Int) -> JSON {
        guard var object = node.objectValue else { return node }
        if depth <= 0 {
            object["children"] = nil
        } else if let children = object["children"]?.arrayValue {
            object["children"] = .array(children.map { trimmed($0, depth: depth - 1) })
        }
        return .object(object)
    }

    private static func node(_ request: EmulatorRequest, context: RouteContext) async throws -> EmulatorResponse {
        let caller = try context.requireCaller()
        let group = context.parameter("group")?.lowercased() ?? ""
        let path = (context.parameter("path") ?? "").split(separator: "/").flatMap { $0.split(separator: "\\") }.map(
            String.init
        )
        let depth = request.query.int("$depth") ?? 0
        let found = try await context.store.read { model, _ -> JSON? in
            let project = try Access.project(context.parameter("project"), caller: caller, model: model)
            guard group == "areas", var current = areaRoot(model, project) else { return nil }
            for part in path {
                guard
                    let child = current["children"]?.arrayValue?.first(where: {
                        $0["name"]?.stringValue?.lowercased() == part.lowercased()
                    })
                else { return nil }
                current = child
            }
            return trimmed(current, depth: depth)
        }
        guard let found else {
            throw ADOError(
                status: 404,
                message: "VS402485: The node path '\(path.joined(separator: "\\"))' does not exist.",
                typeName:
                    "Microsoft.TeamFoundation.WorkItemTracking.Server.Metadata.ClassificationNodeNotFoundException, Microsoft.TeamFoundation.WorkItemTracking.Server",
                typeKey: "ClassificationNodeNotFoundException"
            )
        }
        return context.json(found)
    }

    /// JSON-patch operations (`[{op, path: "/fields/System.Title", value}]`) as field changes.
    private static func fieldChanges(_ request: EmulatorRequest) throws(ADOError) -> [(String, JSON)] {
        guard let operations = try request.jsonBody()?.arrayValue else {
            throw ADOError.argument("The request body must be a JSON patch document.")
        }
        var changes: [(String, JSON)] = []
        for operation in operations {
            guard let path = operation["path"]?.stringValue, path.lowercased().hasPrefix("/fields/") else { continue }
            changes.append((String(path.dropFirst("/fields/".count)), operation["value"] ?? .null))
        }
        return changes
    }

    /// The area node for an area path (`Payments\Ops`); the project's root when none is given.
    private static func area(_ path: String?, project: ProjectRecord, model: OrgModel) throws(ADOError) -> AreaRecord {
        let wanted = (path ?? project.name).lowercased()
        guard let identifier = model.areaByPath["\(project.id)|\(wanted)"], let area = model.areas[identifier] else {
            throw ADOError(
                status: 400,
                message: "TF401347: Invalid tree name given for work item -1, field 'System.AreaPath'.",
                typeName:
                    "Microsoft.TeamFoundation.WorkItemTracking.Server.WorkItemFieldInvalidTreeNameException, Microsoft.TeamFoundation.WorkItemTracking.Server",
                typeKey: "WorkItemFieldInvalidTreeNameException"
            )
        }
        return area
    }

    private static func css(_ bits: Int, _ area: AreaRecord, caller: Caller, model: OrgModel) -> Bool {
        model.allows(bits, namespace: Access.cssNamespace, token: area.securityToken, identitySet: caller.identitySet)
    }

    private static func create(_ request: EmulatorRequest, context: RouteContext) async throws -> EmulatorResponse {
        let caller = try context.requireCaller()
        let type = String((context.parameter("type") ?? "").drop { $0 == "$" })
        guard !type.isEmpty else { throw ADOError.argument("The work item type is required.") }
        let changes = try fieldChanges(request)
        let item = try await context.store.updateRuntime { model, runtime -> Runtime.WorkItem in
            let project = try Access.project(context.parameter("project"), caller: caller, model: model)
            let areaPath = changes.first { $0.0 == "System.AreaPath" }?.1.stringValue
            let area = try area(areaPath, project: project, model: model)
            guard css(32, area, caller: caller, model: model) else { throw ADOError.workItemAreaDenied }
            let id = runtime.nextWorkItemId
            runtime.nextWorkItemId += 1
            let stamp = GitWrites.now()
            var fields = JSONObject([
                ("System.AreaPath", .string(area.areaPath)), ("System.TeamProject", .string(project.name)),
                ("System.IterationPath", .string(project.name)), ("System.WorkItemType", .string(type)),
                ("System.State", "New"), ("System.Reason", "New"), ("System.CreatedDate", .string(stamp)),
                ("System.CreatedBy", GitWrites.identityRef(caller)), ("System.ChangedDate", .string(stamp)),
                ("System.ChangedBy", GitWrites.identityRef(caller)), ("System.CommentCount", 0),
            ])
            for (key, value) in changes where key != "System.AreaPath" { fields[key] = value }
            let item = Runtime.WorkItem(
                id: id,
                rev: 1,
                projectId: project.id,
                areaIdentifier: area.identifier,
                fields: fields,
                comments: []
            )
            runtime.workItems[id] = item
            return item
        }
        return context.json(json(item, context: context))
    }

    private static func readable(_ context: RouteContext, caller: Caller, model: OrgModel, runtime: Runtime)
        throws(ADOError)
        -> Runtime.WorkItem
    {
        let project = try Access.project(context.parameter("project"), caller: caller, model: model)
        let id = Int(context.parameter("id") ?? "") ?? -1
        guard let item = runtime.workItems[id], item.projectId == project.id,
            let area = model.areas[item.areaIdentifier],
            css(16, area, caller: caller, model: model)
        else { throw ADOError.workItemNotFound(id) }
        return item
    }

    private static func update(_ request: EmulatorRequest, context: RouteContext) async throws -> EmulatorResponse {
        let caller = try context.requireCaller()
        let changes = try fieldChanges(request)
        let item = try await context.store.updateRuntime { model, runtime -> Runtime.WorkItem in
            var item = try readable(context, caller: caller, model: model, runtime: runtime)
            guard let current = model.areas[item.areaIdentifier], css(32, current, caller: caller, model: model) else {
                throw ADOError.workItemAreaDenied
            }
            if let newPath = changes.first(where: { $0.0 == "System.AreaPath" })?.1.stringValue,
                let project = model.project(item.projectId)
            {
                let destination = try area(newPath, project: project, model: model)
                guard css(32, destination, caller: caller, model: model) else { throw ADOError.workItemAreaDenied }
                item.areaIdentifier = destination.identifier
                item.fields["System.AreaPath"] = .string(destination.areaPath)
            }
            for (key, value) in changes where key != "System.AreaPath" { item.fields[key] = value }
            item.rev += 1
            item.fields["System.ChangedDate"] = .string(GitWrites.now())
            item.fields["System.ChangedBy"] = GitWrites.identityRef(caller)
            runtime.workItems[item.id] = item
            return item
        }
        return context.json(json(item, context: context))
    }

    private static func comment(_ request: EmulatorRequest, context: RouteContext) async throws -> EmulatorResponse {
        let caller = try context.requireCaller()
        guard let text = try request.jsonBody()?["text"]?.stringValue else {
            throw ADOError.argument("The comment text is required.")
        }
        let result = try await context.store.updateRuntime { model, runtime -> JSON in
            var item = try readable(context, caller: caller, model: model, runtime: runtime)
            guard let area = model.areas[item.areaIdentifier], css(512, area, caller: caller, model: model) else {
                throw ADOError.workItemAreaDenied
            }
            let id = runtime.nextCommentId
            runtime.nextCommentId += 1
            let stamp = GitWrites.now()
            let comment: JSONObject = JSONObject([
                ("workItemId", .int(item.id)), ("id", .int(id)), ("version", 1), ("text", .string(text)),
                ("createdBy", GitWrites.identityRef(caller)), ("createdDate", .string(stamp)),
                ("modifiedBy", GitWrites.identityRef(caller)), ("modifiedDate", .string(stamp)),
                (
                    "url",
                    .string(
                        "\(context.organizationURL)/\(item.projectId)/_apis/wit/workItems/\(item.id)/comments/\(id)"
                    )
                ),
            ])
            item.comments.append(comment)
            item.fields["System.CommentCount"] = .int(item.comments.count)
            runtime.workItems[item.id] = item
            return .object(comment)
        }
        return context.json(result)
    }

    private static func json(_ item: Runtime.WorkItem, context: RouteContext) -> JSON {
        let url = "\(context.organizationURL)/\(item.projectId)/_apis/wit/workItems/\(item.id)"
        return [
            "id": .int(item.id), "rev": .int(item.rev), "fields": .object(item.fields),
            "_links": ["self": ["href": .string(url)], "workItemComments": ["href": .string("\(url)/comments")]],
            "url": .string(url),
        ]
    }
}
