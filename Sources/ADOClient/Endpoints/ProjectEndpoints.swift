import Foundation
import Plan

/// Core and Git: projects, repositories, file content, wikis (reference/ado-rest.md §5–6).
extension OrganizationClient {
    /// `GET _apis/projects`, every page. `pageSize` sets `$top` (the server's default page is 100).
    public func projects(stateFilter: String? = nil, pageSize: Int? = nil) async throws(ADOError) -> [Project] {
        let values = try await rawProjects(stateFilter: stateFilter, pageSize: pageSize)
        return try Self.decode("GET _apis/projects") { () throws(WireError) in
            try WireReader.elements(values, path: "value").map { r throws(WireError) in try ResourceDecoding.project(r)
            }
        }
    }

    func rawProjects(stateFilter: String? = nil, pageSize: Int? = nil) async throws(ADOError) -> [JSONValue] {
        var query: [(String, String)] = []
        if let stateFilter { query.append(("stateFilter", stateFilter)) }
        let call = Call(
            .get,
            path: ["_apis", "projects"],
            query: query,
            apiVersion: APIVersion.projects,
            route: "_apis/projects"
        )
        return try await list(call, pageSize: pageSize.map { ("$top", $0) })
    }

    /// One project by id or name.
    public func project(_ idOrName: String) async throws(ADOError) -> Project {
        let call = Call(
            .get,
            path: ["_apis", "projects", idOrName],
            apiVersion: APIVersion.projects,
            route: "_apis/projects/{projectId}"
        )
        let json = try await json(call)
        return try Self.decode(call.label) { () throws(WireError) in
            try ResourceDecoding.project(WireReader(json, path: "$"))
        }
    }

    /// Git repositories of one project (name or id), or of the whole organization when `project` is nil.
    public func repositories(project: String? = nil) async throws(ADOError) -> [Repository] {
        let values = try await rawRepositories(project: project)
        return try Self.decode("GET _apis/git/repositories") { () throws(WireError) in
            try WireReader.elements(values, path: "value").map { r throws(WireError) in
                try ResourceDecoding.repository(r)
            }
        }
    }

    func rawRepositories(project: String?) async throws(ADOError) -> [JSONValue] {
        let path = (project.map { [$0] } ?? []) + ["_apis", "git", "repositories"]
        let route = project == nil ? "_apis/git/repositories" : "{project}/_apis/git/repositories"
        return try await list(Call(.get, path: path, apiVersion: APIVersion.git, route: route))
    }

    /// One repository by id (project optional) or by name (project required).
    public func repository(project: String?, _ idOrName: String) async throws(ADOError) -> Repository {
        let path = (project.map { [$0] } ?? []) + ["_apis", "git", "repositories", idOrName]
        let call = Call(
            .get,
            path: path,
            apiVersion: APIVersion.git,
            route: "{project}/_apis/git/repositories/{repositoryId}"
        )
        let json = try await json(call)
        return try Self.decode(call.label) { () throws(WireError) in
            try ResourceDecoding.repository(WireReader(json, path: "$"))
        }
    }

    /// The text of a file through the git items API, from the default branch unless `branch` is given.
    /// Accepts both answers ADO gives: a `GitItem` JSON with `content`, or the raw file.
    public func fileText(project: String, repository: String, path: String, branch: String? = nil)
        async throws(ADOError) -> String
    {
        var query: [(String, String)] = [
            ("path", path.hasPrefix("/") ? path : "/" + path), ("includeContent", "true"), ("$format", "json"),
        ]
        if let branch {
            query.append(("versionDescriptor.versionType", "branch"))
            query.append(
                ("versionDescriptor.version", branch.hasPrefix("refs/heads/") ? String(branch.dropFirst(11)) : branch)
            )
        }
        let call = Call(
            .get,
            path: [project, "_apis", "git", "repositories", repository, "items"],
            query: query,
            apiVersion: APIVersion.gitItems,
            route: "{project}/_apis/git/repositories/{repositoryId}/items"
        )
        let response = try await send(call)
        let contentType = (response.headers["Content-Type"] ?? "").lowercased()
        if contentType.contains("json"), let json = try? JSONParser.parse(response.body), case .object = json {
            guard let content = json["content"]?.stringValue else {
                throw .decoding(route: call.label, detail: "the item has no 'content' (is it a folder?)")
            }
            return content
        }
        guard let text = String(data: response.body, encoding: .utf8) else {
            throw .decoding(route: call.label, detail: "the file is not UTF-8 text")
        }
        return text
    }

    /// Wikis of one project, or of the organization when `project` is nil.
    public func wikis(project: String? = nil) async throws(ADOError) -> [Wiki] {
        let values = try await rawWikis(project: project)
        return try Self.decode("GET _apis/wiki/wikis") { () throws(WireError) in
            try WireReader.elements(values, path: "value").map { r throws(WireError) in try ResourceDecoding.wiki(r) }
        }
    }

    func rawWikis(project: String?) async throws(ADOError) -> [JSONValue] {
        let path = (project.map { [$0] } ?? []) + ["_apis", "wiki", "wikis"]
        let route = project == nil ? "_apis/wiki/wikis" : "{project}/_apis/wiki/wikis"
        return try await list(Call(.get, path: path, apiVersion: APIVersion.wiki, route: route))
    }

    /// A project's area tree (`GET {project}/_apis/wit/classificationnodes/Areas?$depth=`), flattened root first.
    public func areas(projectId: String, depth: Int = 20) async throws(ADOError) -> [AreaNode] {
        let root = try await rawAreas(project: projectId, depth: depth)
        return try Self.decode("GET {project}/_apis/wit/classificationnodes/Areas") { () throws(WireError) in
            try ResourceDecoding.areas(WireReader(root, path: "$"), projectId: projectId)
        }
    }

    func rawAreas(project: String, depth: Int) async throws(ADOError) -> JSONValue {
        try await json(
            Call(
                .get,
                path: [project, "_apis", "wit", "classificationnodes", "Areas"],
                query: [("$depth", String(depth))],
                apiVersion: APIVersion.classificationNodes,
                route: "{project}/_apis/wit/classificationnodes/Areas"
            )
        )
    }
}
