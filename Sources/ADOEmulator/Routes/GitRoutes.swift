import Foundation

/// Git reads: repositories (per project and organization-wide) and items (file content from the snapshot's
/// `files`, default branch only).
enum GitRoutes {
    static func register(_ table: inout RouteTable) {
        table.addProjectOptional("GET", "/{org}/[project]/_apis/git/repositories", version: "7.1-preview.1") {
            _,
            context in
            let caller = try context.requireCaller()
            let values = try await context.store.read { model, _ -> [JSON] in
                let project = try Access.optionalProject(context, caller: caller, model: model)
                let candidates = project.map { model.repositoriesByProject[$0.id] ?? [] }.map {
                    $0.map { model.repositories[$0] }
                }
                return (candidates ?? model.repositories).filter { repository in
                    guard let owner = model.project(repository.projectId),
                        Access.canRead(owner, caller: caller, model: model)
                    else {
                        return false
                    }
                    return Access.canRead(repository, caller: caller, model: model)
                }.map { .object($0.raw) }
            }
            return context.collection(values)
        }
        table.addProjectOptional(
            "GET",
            "/{org}/[project]/_apis/git/repositories/{repositoryId}",
            version: "7.1-preview.1"
        ) { _, context in
            let caller = try context.requireCaller()
            let repository = try await context.store.read { model, _ in
                let project = try Access.optionalProject(context, caller: caller, model: model)
                return try Access.repository(
                    context.parameter("repositoryId"),
                    project: project,
                    caller: caller,
                    model: model,
                    forOperation: false
                )
            }
            return context.json(.object(repository.raw))
        }
        table.addProjectOptional(
            "GET",
            "/{org}/[project]/_apis/git/repositories/{repositoryId}/items",
            version: "7.1-preview.1"
        ) {
            request,
            context in try await items(request, context: context)
        }
        table.addProjectOptional(
            "GET",
            "/{org}/[project]/_apis/git/repositories/{repositoryId}/refs",
            version: "7.1-preview.1"
        ) {
            request,
            context in try await refs(request, context: context)
        }
        GitWrites.register(&table)
    }

    /// Deterministic stand-in commit id of a repository's default branch.
    static func headCommit(_ repository: RepositoryRecord) -> String { SHA1.hex(Array("commit:\(repository.id)".utf8)) }

    private static func items(_ request: EmulatorRequest, context: RouteContext) async throws -> EmulatorResponse {
        let caller = try context.requireCaller()
        let path = request.query["path"] ?? request.query["scopePath"] ?? "/"
        let recursion = request.query["recursionLevel"]?.lowercased() ?? "none"
        let includeContent = request.query.bool("includeContent") ?? false
        let accept = request.header("Accept")?.lowercased() ?? ""
        let wantsJSON = accept.contains("application/json") || request.query["$format"]?.lowercased() == "json"
        let result = try await context.store.read {
            model,
            _ -> (repository: RepositoryRecord, project: String, files: [(String, String)]) in
            let project = try Access.optionalProject(context, caller: caller, model: model)
            let repository = try Access.repository(
                context.parameter("repositoryId"),
                project: project,
                caller: caller,
                model: model,
                forOperation: true
            )
            let projectName = model.project(repository.projectId)?.name ?? ""
            let prefix = "\(projectName.lowercased())/\(repository.name.lowercased())/"
            let files = model.fileIndex.filter { $0.key.hasPrefix(prefix) }.compactMap { entry -> (String, String)? in
                model.files[entry.value].map { ("/" + String(entry.key.dropFirst(prefix.count)), $0) }
            }.sorted { $0.0 < $1.0 }
            return (repository, projectName, files)
        }
        let normalized = path.hasPrefix("/") ? path : "/" + path
        let commit = headCommit(result.repository)
        let itemsURL =
            "\(context.organizationURL)/\(result.repository.projectId)/_apis/git/repositories/\(result.repository.id)/items"
        func item(_ itemPath: String, text: String?, content: Bool) -> JSON {
            var object = JSONObject()
            object["objectId"] = .string(text.map(SHA1.blobId) ?? SHA1.hex(Array("tree:\(itemPath)".utf8)))
            object["gitObjectType"] = .string(text == nil ? "tree" : "blob")
            object["commitId"] = .string(commit)
            object["path"] = .string(itemPath)
            if text == nil { object["isFolder"] = true }
            if content, let text { object["content"] = .string(text) }
            object["url"] = .string(
                "\(itemsURL)?path=\(itemPath.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? itemPath)&versionType=Branch&versionOptions=None"
            )
            return .object(object)
        }
        if recursion == "none", let file = result.files.first(where: { $0.0 == normalized }) {
            if wantsJSON { return context.json(item(file.0, text: file.1, content: includeContent)) }
            let type = accept.contains("octet-stream") ? "application/octet-stream" : "text/plain; charset=utf-8"
            return EmulatorResponse(status: 200, headers: [("Content-Type", type)], body: Array(file.1.utf8))
        }
        let folder = normalized == "/" ? "/" : normalized + "/"
        let inside = result.files.filter { $0.0.hasPrefix(folder) }
        guard !inside.isEmpty else {
            let branch = result.repository.defaultBranch ?? "refs/heads/main"
            throw ADOError(
                status: 404,
                message:
                    "TF401174: The item '\(normalized)' could not be found in the repository '\(result.repository.name)' at the version specified by '<Branch: \(branch) >' (resolved to commit '\(commit)').",
                typeName:
                    "Microsoft.TeamFoundation.Git.Server.GitItemNotFoundException, Microsoft.TeamFoundation.Git.Server",
                typeKey: "GitItemNotFoundException"
            )
        }
        // Folders are synthesized from the file paths; OneLevel lists direct children, Full everything below.
        var entries: [String: String?] = [:]
        if recursion != "none" {
            for (filePath, text) in inside {
                let parts = filePath.dropFirst(folder.count).split(separator: "/").map(String.init)
                var current = String(folder.dropLast())
                for (depth, part) in parts.enumerated() {
                    if recursion == "onelevel" && depth > 0 { break }
                    current += "/" + part
                    let isFile = depth == parts.count - 1
                    if isFile {
                        entries[current] = .some(text)
                    } else if entries[current] == nil {
                        entries[current] = .some(nil)
                    }
                }
            }
        }
        var listed: [JSON] = [item(normalized, text: nil, content: false)]
        for (entryPath, text) in entries.sorted(by: { $0.key < $1.key }) {
            listed.append(item(entryPath, text: text, content: includeContent))
        }
        return context.collection(listed)
    }

    private static func refs(_ request: EmulatorRequest, context: RouteContext) async throws -> EmulatorResponse {
        let caller = try context.requireCaller()
        let filter = request.query["filter"].map { "refs/" + $0 }
        let values = try await context.store.read { model, runtime -> [JSON] in
            let project = try Access.optionalProject(context, caller: caller, model: model)
            let repository = try Access.repository(
                context.parameter("repositoryId"),
                project: project,
                caller: caller,
                model: model,
                forOperation: true
            )
            var refs: [(String, String)] = []
            if let branch = repository.defaultBranch { refs.append((branch, headCommit(repository))) }
            for (key, objectId) in runtime.refs where key.hasPrefix(repository.id + "|") {
                refs.append((String(key.dropFirst(repository.id.count + 1)), objectId))
            }
            return refs.filter { filter == nil || $0.0.hasPrefix(filter!) }.sorted { $0.0 < $1.0 }.map {
                name,
                objectId in
                [
                    "name": .string(name), "objectId": .string(objectId),
                    "url": .string(
                        "\(context.organizationURL)/\(repository.projectId)/_apis/git/repositories/\(repository.id)/refs?filter=\(name.dropFirst(5))"
                    ),
                ]
            }
        }
        return context.collection(values)
    }
}
