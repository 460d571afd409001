import Foundation

/// Build definitions (list omits `jobAuthorizationScope` unless `includeAllProperties=true`; `$top` +
/// opaque continuation paging), definition update with the revision check, and queueing builds.
enum BuildRoutes {
    /// Fields of the shallow `BuildDefinitionReference` the list returns.
    static let referenceKeys = [
        "_links", "authoredBy", "createdDate", "drafts", "id", "name", "path", "project", "quality", "queue",
        "queueStatus", "revision", "type", "uri", "url",
    ]

    static func register(_ table: inout RouteTable) {
        table.add("GET", "/{org}/{project}/_apis/build/definitions", version: "7.1-preview.7") { request, context in
            try await listDefinitions(request, context: context)
        }
        table.add("GET", "/{org}/{project}/_apis/build/definitions/{definitionId}", version: "7.1-preview.7") {
            _,
            context in
            let caller = try context.requireCaller()
            let definition = try await context.store.read { model, _ in
                try readableDefinition(context, caller: caller, model: model).definition
            }
            return context.json(.object(definition))
        }
        table.add("PUT", "/{org}/{project}/_apis/build/definitions/{definitionId}", version: "7.1-preview.7") {
            request,
            context in
            try await updateDefinition(request, context: context)
        }
        table.add("POST", "/{org}/{project}/_apis/build/builds", version: "7.1-preview.7") { request, context in
            try await queueBuild(request, context: context)
        }
        SettingsRoutes.register(&table)
    }

    /// Build security token of a definition: `{projectId}[/{folder/path}]/{definitionId}`.
    static func token(_ definition: JSONObject) -> String {
        let projectId = definition["project"]?["id"]?.stringValue?.lowercased() ?? ""
        let folder = (definition["path"]?.stringValue ?? "\\").split(separator: "\\").joined(separator: "/")
        let id = definition["id"]?.intValue ?? 0
        return folder.isEmpty ? "\(projectId)/\(id)" : "\(projectId)/\(folder)/\(id)"
    }

    static func label(_ definition: JSONObject) -> String {
        "\(definition["id"]?.intValue ?? 0):\(definition["name"]?.stringValue ?? "")"
    }

    private static func allows(_ bits: Int, _ definition: JSONObject, caller: Caller, model: OrgModel) -> Bool {
        model.allows(bits, namespace: Access.buildNamespace, token: token(definition), identitySet: caller.identitySet)
    }

    /// The definition of the route, in the route's project, readable by the caller (ViewBuildDefinition).
    private static func readableDefinition(_ context: RouteContext, caller: Caller, model: OrgModel) throws(ADOError)
        -> (project: ProjectRecord, definition: JSONObject)
    {
        let project = try Access.project(context.parameter("project"), caller: caller, model: model)
        let idText = context.parameter("definitionId") ?? ""
        guard let id = Int(idText), let definition = model.definition(id: id),
            definition["project"]?["id"]?.stringValue?.lowercased() == project.id,
            allows(1024, definition, caller: caller, model: model)
        else { throw ADOError.definitionNotFound(idText) }
        return (project, definition)
    }

    private static func listDefinitions(_ request: EmulatorRequest, context: RouteContext) async throws
        -> EmulatorResponse
    {
        let caller = try context.requireCaller()
        let query = request.query
        let all = query.bool("includeAllProperties") ?? false
        let top = query.int("$top")
        let offset = try PageToken.decode(query["continuationToken"], kind: "definitions")
        let page = try await context.store.read { model, _ -> (values: [JSON], more: Bool) in
            let project = try Access.project(context.parameter("project"), caller: caller, model: model)
            var definitions = (model.definitionsByProject[project.id] ?? []).map { model.definitions[$0] }.filter {
                allows(1024, $0, caller: caller, model: model) && matches($0, query)
            }
            switch query["queryOrder"]?.lowercased() {
            case "definitionnameascending":
                definitions.sort { ($0["name"]?.stringValue ?? "") < ($1["name"]?.stringValue ?? "") }
            case "definitionnamedescending":
                definitions.sort { ($0["name"]?.stringValue ?? "") > ($1["name"]?.stringValue ?? "") }
            default: definitions.sort { ($0["id"]?.intValue ?? 0) < ($1["id"]?.intValue ?? 0) }
            }
            let slice = definitions.dropFirst(offset).prefix(top ?? Int.max)
            let values: [JSON] = slice.map { definition in
                guard !all else { return .object(definition) }
                var reference = JSONObject()
                for key in referenceKeys { if let value = definition[key] { reference[key] = value } }
                return .object(reference)
            }
            return (values, offset + slice.count < definitions.count)
        }
        let next = page.more && top != nil ? PageToken.encode(offset + page.values.count, kind: "definitions") : nil
        return context.collection(page.values, continuationToken: next)
    }

    private static func matches(_ definition: JSONObject, _ query: Query) -> Bool {
        if let ids = query.list("definitionIds")?.compactMap({ Int($0) }),
            !ids.contains(definition["id"]?.intValue ?? -1)
        {
            return false
        }
        if let name = query["name"], !wildcard(name, matches: definition["name"]?.stringValue ?? "") { return false }
        if let path = query["path"]?.lowercased() {
            let own = (definition["path"]?.stringValue ?? "\\").lowercased()
            let folder = path.hasSuffix("\\") ? String(path.dropLast()) : path
            if !(own == path || own == folder || own.hasPrefix(folder + "\\") || folder.isEmpty) { return false }
        }
        if let repository = query["repositoryId"]?.lowercased(),
            definition["repository"]?["id"]?.stringValue?.lowercased() != repository
        {
            return false
        }
        if let type = query.int("processType"), definition["process"]?["type"]?.intValue != type { return false }
        if let file = query["yamlFilename"],
            definition["process"]?["yamlFilename"]?.stringValue?.lowercased() != file.lowercased()
        {
            return false
        }
        return true
    }

    /// `*` matches any run of characters; comparison ignores case.
    static func wildcard(_ pattern: String, matches text: String) -> Bool {
        let parts = pattern.lowercased().split(separator: "*", omittingEmptySubsequences: false).map(String.init)
        var rest = Substring(text.lowercased())
        guard parts.count > 1 else { return rest == pattern.lowercased() }
        guard rest.hasPrefix(parts[0]) else { return false }
        rest = rest.dropFirst(parts[0].count)
        for part in parts.dropFirst().dropLast() where !part.isEmpty {
            guard let range = rest.range(of: part) else { return false }
            rest = rest[range.upperBound...]
        }
        return rest.hasSuffix(parts.last ?? "")
    }

    private static func updateDefinition(_ request: EmulatorRequest, context: RouteContext) async throws
        -> EmulatorResponse
    {
        let caller = try context.requireCaller()
        guard let body = try request.jsonBody()?.objectValue else {
            throw ADOError.argument("The definition is required.")
        }
        let routeId = Int(context.parameter("definitionId") ?? "") ?? -1
        let bodyId = body["id"]?.intValue ?? 0
        guard bodyId == routeId else {
            throw ADOError.argument(
                "The request specifies pipeline ID \(routeId) but the supplied pipeline has ID \(bodyId)."
            )
        }
        let updated = try await context.store.write { model, _ -> JSONObject in
            let (project, stored) = try readableDefinition(context, caller: caller, model: model)
            guard allows(2048, stored, caller: caller, model: model) else {
                throw ADOError.buildAccessDenied(
                    identity: caller.record.displayName,
                    permission: "Edit build pipeline",
                    definition: label(stored),
                    project: project.name
                )
            }
            let current = stored["revision"]?.intValue ?? 0
            guard let sent = body["revision"]?.intValue, sent == current else {
                throw ADOError.definitionRevisionConflict(
                    id: routeId,
                    sent: body["revision"]?.intValue ?? 0,
                    current: current
                )
            }
            var next = body
            next["revision"] = .int(current + 1)
            next["project"] = stored["project"]
            if let url = stored["url"]?.stringValue, let mark = url.range(of: "?revision=") {
                next["url"] = .string(url[..<mark.lowerBound] + "?revision=\(current + 1)")
            }
            for key in ["_links", "uri", "createdDate", "authoredBy"] where next[key] == nil { next[key] = stored[key] }
            if let index = model.definitionIndex[routeId] { model.definitions[index] = next }
            return next
        }
        return context.json(.object(updated))
    }

    private static func queueBuild(_ request: EmulatorRequest, context: RouteContext) async throws -> EmulatorResponse {
        let caller = try context.requireCaller()
        let body = try request.jsonBody()?.objectValue ?? JSONObject()
        guard let definitionId = body["definition"]?["id"]?.intValue ?? request.query.int("definitionId") else {
            throw ADOError.argument("The build needs definition.id.")
        }
        let build = try await context.store.updateRuntime { model, runtime -> JSON in
            let project = try Access.project(context.parameter("project"), caller: caller, model: model)
            guard let definition = model.definition(id: definitionId),
                definition["project"]?["id"]?.stringValue?.lowercased() == project.id
            else { throw ADOError.definitionNotFound(String(definitionId)) }
            guard allows(128, definition, caller: caller, model: model) else {
                throw ADOError.buildAccessDenied(
                    identity: caller.record.displayName,
                    permission: "Queue builds",
                    definition: label(definition),
                    project: project.name
                )
            }
            let id = runtime.nextBuildId
            runtime.nextBuildId += 1
            let url = "\(context.organizationURL)/\(project.id)/_apis/build/Builds/\(id)"
            var reference = JSONObject()
            for key in ["id", "name", "path", "project", "queueStatus", "revision", "type", "uri", "url"] {
                if let value = definition[key] { reference[key] = value }
            }
            return [
                "_links": [
                    "self": ["href": .string(url)],
                    "web": ["href": .string("\(context.organizationURL)/\(project.id)/_build/results?buildId=\(id)")],
                ],
                "id": .int(id),
                "buildNumber": .string("\(GitWrites.now().prefix(10).replacingOccurrences(of: "-", with: "")).\(id)"),
                "status": "notStarted", "queueTime": .string(GitWrites.now()), "url": .string(url),
                "definition": .object(reference), "project": definition["project"] ?? nil,
                "uri": .string("vstfs:///Build/Build/\(id)"),
                "sourceBranch": body["sourceBranch"]
                    ?? .string(definition["repository"]?["defaultBranch"]?.stringValue ?? "refs/heads/main"),
                "priority": "normal", "reason": "manual", "requestedFor": GitWrites.identityRef(caller),
                "requestedBy": GitWrites.identityRef(caller), "queue": definition["queue"] ?? nil,
                "repository": definition["repository"] ?? nil, "parameters": body["parameters"] ?? nil,
            ]
        }
        return context.json(build)
    }
}
