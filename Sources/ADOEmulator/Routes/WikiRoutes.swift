import Foundation

/// Wikis and wiki pages. A wiki's security is Git security on its backing repository; its pages are the
/// repository's `.md` files in the snapshot's `files` (so a page PUT shows up in the state dump).
enum WikiRoutes {
    static func register(_ table: inout RouteTable) {
        table.addProjectOptional("GET", "/{org}/[project]/_apis/wiki/wikis", version: "7.1-preview.2") { _, context in
            let caller = try context.requireCaller()
            let values = try await context.store.read { model, _ -> [JSON] in
                let project = try Access.optionalProject(context, caller: caller, model: model)
                return model.wikis.filter { wiki in
                    if let project, wiki.projectId != project.id { return false }
                    return
                        (try? Access.repository(
                            wiki.repositoryId,
                            project: nil,
                            caller: caller,
                            model: model,
                            forOperation: false
                        )) != nil
                }.map { .object($0.raw) }
            }
            return context.collection(values)
        }
        table.addProjectOptional("GET", "/{org}/[project]/_apis/wiki/wikis/{wikiIdentifier}", version: "7.1-preview.2")
        { _, context in
            let caller = try context.requireCaller()
            let wiki = try await context.store.read { model, _ in
                try resolve(context, caller: caller, model: model).wiki
            }
            return context.json(.object(wiki.raw))
        }
        table.addProjectOptional(
            "GET",
            "/{org}/[project]/_apis/wiki/wikis/{wikiIdentifier}/pages",
            version: "7.1-preview.1"
        ) {
            request,
            context in
            let caller = try context.requireCaller()
            let path = normalizedPath(request.query["path"])
            let includeContent = request.query.bool("includeContent") ?? false
            let page = try await context.store.read { model, _ -> (JSON, String) in
                let (wiki, repository) = try resolve(context, caller: caller, model: model)
                guard let project = model.project(repository.projectId),
                    let file = model.file(project: project.name, repository: repository.name, path: path + ".md")
                else { throw pageNotFound(path, wiki: wiki.name) }
                return (
                    pageJSON(path, text: file.text, content: includeContent, wiki: wiki, context: context),
                    SHA1.blobId(file.text)
                )
            }
            return context.json(page.0, headers: [("ETag", "\"\(page.1)\"")])
        }
        table.addProjectOptional(
            "PUT",
            "/{org}/[project]/_apis/wiki/wikis/{wikiIdentifier}/pages",
            version: "7.1-preview.1"
        ) {
            request,
            context in try await putPage(request, context: context)
        }
    }

    private static func normalizedPath(_ path: String?) -> String {
        let raw = path ?? "/"
        let trimmed = raw.hasSuffix("/") && raw.count > 1 ? String(raw.dropLast()) : raw
        return trimmed.hasPrefix("/") ? trimmed : "/" + trimmed
    }

    private static func pageNotFound(_ path: String, wiki: String) -> ADOError {
        ADOError(
            status: 404,
            message: "VS402629: The page '\(path)' specified in the request does not exist in the wiki '\(wiki)'.",
            typeName:
                "Microsoft.TeamFoundation.Wiki.Server.WikiPageNotFoundException, Microsoft.TeamFoundation.Wiki.Server",
            typeKey: "WikiPageNotFoundException"
        )
    }

    /// The wiki of the route and its backing repository, readable by the caller (TF401019 otherwise).
    private static func resolve(_ context: RouteContext, caller: Caller, model: OrgModel) throws(ADOError) -> (
        wiki: WikiRecord, repository: RepositoryRecord
    ) {
        let project = try Access.optionalProject(context, caller: caller, model: model)
        let identifier = context.parameter("wikiIdentifier") ?? ""
        let wanted = GUID.normalized(identifier)
        guard
            let wiki = model.wikis.first(where: { wiki in
                (wanted != nil ? wiki.id == wanted : wiki.name.lowercased() == identifier.lowercased())
                    && (project == nil || wiki.projectId == project?.id)
            })
        else {
            throw ADOError(
                status: 404,
                message: "VS402632: The wiki '\(identifier)' does not exist or you do not have permission to view it.",
                typeName:
                    "Microsoft.TeamFoundation.Wiki.Server.WikiNotFoundException, Microsoft.TeamFoundation.Wiki.Server",
                typeKey: "WikiNotFoundException"
            )
        }
        let repository = try Access.repository(
            wiki.repositoryId,
            project: nil,
            caller: caller,
            model: model,
            forOperation: true
        )
        return (wiki, repository)
    }

    private static func pageJSON(_ path: String, text: String, content: Bool, wiki: WikiRecord, context: RouteContext)
        -> JSON
    {
        var object = JSONObject([
            ("path", .string(path)), ("order", .int(0)), ("gitItemPath", .string(path + ".md")), ("subPages", []),
            (
                "url",
                .string("\(context.organizationURL)/\(wiki.projectId)/_apis/wiki/wikis/\(wiki.id)/pages?path=\(path)")
            ),
            (
                "remoteUrl",
                .string("\(context.organizationURL)/\(wiki.projectId)/_wiki/wikis/\(wiki.id)?pagePath=\(path)")
            ),
        ])
        if content { object["content"] = .string(text) }
        return .object(object)
    }

    private static func putPage(_ request: EmulatorRequest, context: RouteContext) async throws -> EmulatorResponse {
        let caller = try context.requireCaller()
        let path = normalizedPath(request.query["path"])
        guard path != "/" else { throw ADOError.argument("The page path is required.") }
        guard let content = try request.jsonBody()?["content"]?.stringValue else {
            throw ADOError.argument("The page content is required.")
        }
        let ifMatch = request.header("If-Match")?.trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
        let result = try await context.store.write { model, _ -> (JSON, Int) in
            let (wiki, repository) = try resolve(context, caller: caller, model: model)
            try GitWrites.requireGit(
                [4],
                token: repository.securityToken,
                scope: "repository",
                caller: caller,
                model: model
            )
            guard let project = model.project(repository.projectId) else {
                throw ADOError.repositoryNotFound(repository.id)
            }
            let existing = model.file(project: project.name, repository: repository.name, path: path + ".md")
            if let existing {
                guard let ifMatch else {
                    throw ADOError(
                        status: 409,
                        message:
                            "VS402630: The page '\(path)' specified in the add operation already exists in the wiki. Please specify a new page path.",
                        typeName:
                            "Microsoft.TeamFoundation.Wiki.Server.WikiPageAlreadyExistsException, Microsoft.TeamFoundation.Wiki.Server",
                        typeKey: "WikiPageAlreadyExistsException"
                    )
                }
                guard ifMatch == SHA1.blobId(existing.text) else {
                    throw ADOError(
                        status: 412,
                        message:
                            "VS402631: The page '\(path)' has changed since it was read; its version does not match the If-Match header.",
                        typeName:
                            "Microsoft.TeamFoundation.Wiki.Server.WikiPageChangedException, Microsoft.TeamFoundation.Wiki.Server",
                        typeKey: "WikiPageChangedException"
                    )
                }
            }
            model.setFile(project: project.name, repository: repository.name, path: path + ".md", text: content)
            return (
                pageJSON(path, text: content, content: true, wiki: wiki, context: context), existing == nil ? 201 : 200
            )
        }
        return context.json(result.0, status: result.1, headers: [("ETag", "\"\(SHA1.blobId(content))\"")])
    }
}
