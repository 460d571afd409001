import Foundation
import Plan

/// The calls an ado-aw pipeline's Stage 3 makes (PR threads, refs, pushes, tags, work items, builds, wiki pages):
/// what a remedy must make possible. adoperm uses them to prove a fix end to end (a job token minted by the
/// emulator, then the call that failed with TF401027). Results are ADO's JSON as returned.
extension OrganizationClient {
    /// `POST …/pullRequests/{id}/threads` with one comment.
    public func createPullRequestThread(
        project: String,
        repository: String,
        pullRequestId: Int,
        comment: String
    ) async throws(ADOError) -> JSONValue {
        let body = JSONValue.object([
            "comments": .array([
                .object(["parentCommentId": .int(0), "content": .string(comment), "commentType": .int(1)])
            ]),
            "status": .int(1),
        ])
        return try await writeJSON(
            Call(
                .post,
                path: [
                    project, "_apis", "git", "repositories", repository, "pullRequests", String(pullRequestId),
                    "threads",
                ],
                apiVersion: APIVersion.pullRequestThreads,
                route: "{project}/_apis/git/repositories/{repositoryId}/pullRequests/{pullRequestId}/threads",
                body: Call.jsonBody(body)
            )
        )
    }

    /// One ref update of `POST …/refs` (`oldObjectId` all zeros creates the ref).
    public struct RefUpdate: Sendable, Equatable {
        public var name: String
        public var oldObjectId: String
        public var newObjectId: String

        public static let zeroObjectId = String(repeating: "0", count: 40)

        public init(name: String, oldObjectId: String = RefUpdate.zeroObjectId, newObjectId: String) {
            self.name = name
            self.oldObjectId = oldObjectId
            self.newObjectId = newObjectId
        }
    }

    /// `POST …/refs`: create, move or delete refs (branches need CreateBranch 16, moves GenericContribute 4).
    public func updateRefs(project: String, repository: String, _ updates: [RefUpdate]) async throws(ADOError)
        -> JSONValue
    {
        let body = JSONValue.array(
            updates.map {
                .object([
                    "name": .string($0.name), "oldObjectId": .string($0.oldObjectId),
                    "newObjectId": .string($0.newObjectId),
                ])
            }
        )
        return try await writeJSON(
            Call(
                .post,
                path: [project, "_apis", "git", "repositories", repository, "refs"],
                apiVersion: APIVersion.refs,
                route: "{project}/_apis/git/repositories/{repositoryId}/refs",
                body: Call.jsonBody(body)
            )
        )
    }

    /// `POST …/pushes` adding or editing one file on `branch` (`refs/heads/…`) on top of `oldObjectId`.
    public func pushFile(
        project: String,
        repository: String,
        branch: String,
        oldObjectId: String,
        path: String,
        content: String,
        changeType: String = "add",
        message: String
    ) async throws(ADOError) -> JSONValue {
        let body = JSONValue.object([
            "refUpdates": .array([.object(["name": .string(branch), "oldObjectId": .string(oldObjectId)])]),
            "commits": .array([
                .object([
                    "comment": .string(message),
                    "changes": .array([
                        .object([
                            "changeType": .string(changeType),
                            "item": .object(["path": .string(path.hasPrefix("/") ? path : "/" + path)]),
                            "newContent": .object(["content": .string(content), "contentType": .string("rawtext")]),
                        ])
                    ]),
                ])
            ]),
        ])
        return try await writeJSON(
            Call(
                .post,
                path: [project, "_apis", "git", "repositories", repository, "pushes"],
                apiVersion: APIVersion.pushes,
                route: "{project}/_apis/git/repositories/{repositoryId}/pushes",
                body: Call.jsonBody(body)
            )
        )
    }

    /// `POST …/annotatedtags` (CreateTag 32).
    public func createAnnotatedTag(
        project: String,
        repository: String,
        name: String,
        objectId: String,
        message: String
    ) async throws(ADOError) -> JSONValue {
        let body = JSONValue.object([
            "name": .string(name),
            "taggedObject": .object(["objectId": .string(objectId)]),
            "message": .string(message),
        ])
        return try await writeJSON(
            Call(
                .post,
                path: [project, "_apis", "git", "repositories", repository, "annotatedtags"],
                apiVersion: APIVersion.annotatedTags,
                route: "{project}/_apis/git/repositories/{repositoryId}/annotatedtags",
                body: Call.jsonBody(body)
            )
        )
    }

    /// `POST {project}/_apis/wit/workitems/${type}` with `fields` (`System.Title`, `System.AreaPath`, …).
    public func createWorkItem(project: String, type: String, fields: [String: String]) async throws(ADOError)
        -> JSONValue
    {
        try await writeJSON(
            Call(
                .post,
                path: [project, "_apis", "wit", "workitems", "$" + type],
                apiVersion: APIVersion.workItems,
                route: "{project}/_apis/wit/workitems/${type}",
                body: Call.jsonBody(Self.fieldPatch(fields)),
                contentType: "application/json-patch+json"
            )
        )
    }

    /// `PATCH {project}/_apis/wit/workitems/{id}` setting `fields`.
    public func updateWorkItem(project: String, id: Int, fields: [String: String]) async throws(ADOError) -> JSONValue {
        try await writeJSON(
            Call(
                .patch,
                path: [project, "_apis", "wit", "workitems", String(id)],
                apiVersion: APIVersion.workItems,
                route: "{project}/_apis/wit/workitems/{id}",
                body: Call.jsonBody(Self.fieldPatch(fields)),
                contentType: "application/json-patch+json"
            )
        )
    }

    /// `POST {project}/_apis/wit/workItems/{id}/comments`.
    public func addWorkItemComment(project: String, id: Int, text: String) async throws(ADOError) -> JSONValue {
        try await writeJSON(
            Call(
                .post,
                path: [project, "_apis", "wit", "workItems", String(id), "comments"],
                apiVersion: APIVersion.workItemComments,
                route: "{project}/_apis/wit/workItems/{id}/comments",
                body: Call.jsonBody(.object(["text": .string(text)]))
            )
        )
    }

    /// `POST {project}/_apis/build/builds` queueing a definition (Build QueueBuilds 128).
    public func queueBuild(project: String, definitionId: Int, sourceBranch: String? = nil) async throws(ADOError)
        -> JSONValue
    {
        var body: [String: JSONValue] = ["definition": .object(["id": .int(definitionId)])]
        if let sourceBranch { body["sourceBranch"] = .string(sourceBranch) }
        return try await writeJSON(
            Call(
                .post,
                path: [project, "_apis", "build", "builds"],
                apiVersion: APIVersion.builds,
                route: "{project}/_apis/build/builds",
                body: Call.jsonBody(.object(body))
            )
        )
    }

    /// `PUT {project}/_apis/wiki/wikis/{wiki}/pages?path=` (Git GenericContribute on the wiki's repository).
    /// `version` (the page's ETag) is required to edit an existing page.
    public func putWikiPage(
        project: String,
        wiki: String,
        path: String,
        content: String,
        version: String? = nil
    ) async throws(ADOError) -> JSONValue {
        var call = Call(
            .put,
            path: [project, "_apis", "wiki", "wikis", wiki, "pages"],
            query: [("path", path.hasPrefix("/") ? path : "/" + path)],
            apiVersion: APIVersion.wikiPages,
            route: "{project}/_apis/wiki/wikis/{wikiIdentifier}/pages",
            body: Call.jsonBody(.object(["content": .string(content)]))
        )
        if let version { call.headers.append(("If-Match", version)) }
        return try await writeJSON(call)
    }

    private func writeJSON(_ call: Call) async throws(ADOError) -> JSONValue {
        try await sendWrite(
            call,
            decode: { response throws(ADOError) in
                try Self.decodeJSON(response, route: call.label)
            },
            readBack: nil
        )
    }

    static func fieldPatch(_ fields: [String: String]) -> JSONValue {
        .array(
            fields.sorted { $0.key < $1.key }.map {
                .object(["op": .string("add"), "path": .string("/fields/" + $0.key), "value": .string($0.value)])
            }
        )
    }
}

/// One Git ref (`refs/heads/main` at a commit).
public struct GitRef: Sendable, Equatable {
    public var name: String
    public var objectId: String
}

extension OrganizationClient {
    /// `GET …/refs?filter=` (e.g. `heads/` for branches; the filter drops the leading `refs/`).
    public func refs(project: String, repository: String, filter: String? = nil) async throws(ADOError) -> [GitRef] {
        var query: [(String, String)] = []
        if let filter { query.append(("filter", filter.hasPrefix("refs/") ? String(filter.dropFirst(5)) : filter)) }
        let call = Call(
            .get,
            path: [project, "_apis", "git", "repositories", repository, "refs"],
            query: query,
            apiVersion: APIVersion.refs,
            route: "{project}/_apis/git/repositories/{repositoryId}/refs"
        )
        let values = try await list(call)
        return try Self.decode(call.label) { () throws(WireError) in
            try WireReader.elements(values, path: "value").map { r throws(WireError) in
                GitRef(name: try r.string("name"), objectId: try r.string("objectId"))
            }
        }
    }
}
