import Foundation

/// The Git calls pipelines make (ado-aw's Stage 3 executor): pull-request threads, refs, pushes, annotated
/// tags. Each is evaluated with the caller's full effective permissions and refused exactly as ADO does:
/// unreadable repository → 404 TF401019; missing bit → 403 TF401027 naming the action, the identity
/// (`Build\{guid}` for build services) and the scope where the check happened.
enum GitWrites {
    static let zeroId = String(repeating: "0", count: 40)

    static func register(_ table: inout RouteTable) {
        table.addProjectOptional(
            "POST",
            "/{org}/[project]/_apis/git/repositories/{repositoryId}/pullRequests/{pullRequestId}/threads",
            version: "7.1-preview.1"
        ) { request, context in try await createThread(request, context: context) }
        table.addProjectOptional(
            "POST",
            "/{org}/[project]/_apis/git/repositories/{repositoryId}/refs",
            version: "7.1-preview.1"
        ) {
            request,
            context in try await updateRefs(request, context: context)
        }
        table.addProjectOptional(
            "POST",
            "/{org}/[project]/_apis/git/repositories/{repositoryId}/pushes",
            version: "7.1-preview.2"
        ) {
            request,
            context in try await push(request, context: context)
        }
        table.addProjectOptional(
            "POST",
            "/{org}/[project]/_apis/git/repositories/{repositoryId}/annotatedtags",
            version: "7.1-preview.1"
        ) { request, context in try await annotatedTag(request, context: context) }
    }

    /// Throws TF401027 for the first bit of `bits` the caller is not effectively allowed on `token`.
    static func requireGit(_ bits: [Int], token: String, scope: String, caller: Caller, model: OrgModel)
        throws(ADOError)
    {
        guard let namespace = model.namespaces[Access.gitNamespace] else {
            throw ADOError.namespaceNotFound(Access.gitNamespace)
        }
        let evaluator = Evaluator(namespace: namespace, acls: model.acls[namespace.id]?.entries ?? [:])
        let allowed = evaluator.effective(token: token, identitySet: caller.identitySet).allow
        for bit in bits where allowed & bit != bit {
            throw ADOError.gitNeedsPermission(
                action: namespace.actionName(of: bit),
                identity: caller.record.errorName,
                scope: scope
            )
        }
    }

    static func identityRef(_ caller: Caller) -> JSON {
        [
            "displayName": .string(caller.record.displayName), "id": .string(caller.record.id),
            "uniqueName": .string(caller.record.properties["Account"] ?? caller.record.displayName),
            "descriptor": .orNull(caller.record.subjectDescriptor),
        ]
    }

    static func now() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date())
    }

    private static func target(_ context: RouteContext, caller: Caller, model: OrgModel) throws(ADOError)
        -> RepositoryRecord
    {
        let project = try Access.optionalProject(context, caller: caller, model: model)
        return try Access.repository(
            context.parameter("repositoryId"),
            project: project,
            caller: caller,
            model: model,
            forOperation: true
        )
    }

    private static func createThread(_ request: EmulatorRequest, context: RouteContext) async throws -> EmulatorResponse
    {
        let caller = try context.requireCaller()
        guard let pullRequestId = context.parameter("pullRequestId").flatMap({ Int($0) }), pullRequestId > 0 else {
            throw ADOError.argument("The pull request id must be a positive integer.")
        }
        let body = try request.jsonBody()?.objectValue ?? JSONObject()
        let result = try await context.store.updateRuntime { model, runtime -> JSON in
            let repository = try target(context, caller: caller, model: model)
            try requireGit([16384], token: repository.securityToken, scope: "repository", caller: caller, model: model)
            let id = runtime.nextThreadId
            runtime.nextThreadId += 1
            let stamp = now()
            let comments: [JSON] = (body["comments"]?.arrayValue ?? []).enumerated().map { index, comment in
                [
                    "id": .int(index + 1), "parentCommentId": .int(comment["parentCommentId"]?.intValue ?? 0),
                    "author": identityRef(caller), "content": .orNull(comment["content"]?.stringValue),
                    "publishedDate": .string(stamp), "lastUpdatedDate": .string(stamp),
                    "lastContentUpdatedDate": .string(stamp),
                    "commentType": .string(comment["commentType"]?.stringValue ?? "text"), "usersLiked": [],
                ]
            }
            let url =
                "\(context.organizationURL)/\(repository.projectId)/_apis/git/repositories/\(repository.id)/pullRequests/\(pullRequestId)/threads/\(id)"
            return [
                "pullRequestThreadContext": nil, "id": .int(id), "publishedDate": .string(stamp),
                "lastUpdatedDate": .string(stamp),
                "comments": .array(comments), "status": body["status"] ?? "active",
                "threadContext": body["threadContext"] ?? nil,
                "properties": [:], "identities": nil, "isDeleted": false,
                "_links": [
                    "self": ["href": .string(url)],
                    "repository": [
                        "href": .string(
                            "\(context.organizationURL)/\(repository.projectId)/_apis/git/repositories/\(repository.id)"
                        )
                    ],
                ],
            ]
        }
        return context.json(result)
    }

    private static func updateRefs(_ request: EmulatorRequest, context: RouteContext) async throws -> EmulatorResponse {
        let caller = try context.requireCaller()
        guard let updates = try request.jsonBody()?.arrayValue else {
            throw ADOError.argument("The request body must be an array of GitRefUpdate.")
        }
        let values = try await context.store.updateRuntime { model, runtime -> [JSON] in
            let repository = try target(context, caller: caller, model: model)
            guard let namespace = model.namespaces[Access.gitNamespace] else {
                throw ADOError.namespaceNotFound(Access.gitNamespace)
            }
            let evaluator = Evaluator(namespace: namespace, acls: model.acls[namespace.id]?.entries ?? [:])
            var results: [JSON] = []
            for update in updates {
                guard let name = update["name"]?.stringValue, name.hasPrefix("refs/") else {
                    throw ADOError.argument("Each ref update needs a name starting with refs/.")
                }
                let old = update["oldObjectId"]?.stringValue ?? zeroId
                let new = update["newObjectId"]?.stringValue ?? zeroId
                let token = GitTokens.refToken(repositoryToken: repository.securityToken, refName: name)
                let allowed = evaluator.effective(token: token, identitySet: caller.identitySet).allow
                let key = "\(repository.id)|\(name)"
                let isTag = name.hasPrefix("refs/tags/")
                // Creating needs CreateBranch (CreateTag for tags), moving a ref GenericContribute, deleting ForcePush.
                let (bit, failure): (Int, String) =
                    old == zeroId
                    ? (isTag ? 32 : 16, isTag ? "createTagPermissionRequired" : "createBranchPermissionRequired")
                    : new == zeroId ? (8, "forcePushRequired") : (4, "writePermissionRequired")
                let success = allowed & bit == bit
                if success {
                    if new == zeroId { runtime.refs[key] = nil } else { runtime.refs[key] = new }
                }
                results.append([
                    "repositoryId": .string(repository.id), "name": .string(name), "oldObjectId": .string(old),
                    "newObjectId": .string(new), "isLocked": false,
                    "updateStatus": .string(success ? "succeeded" : failure),
                    "success": .bool(success), "rejectedBy": nil, "customMessage": nil,
                ])
            }
            return results
        }
        return context.collection(values)
    }

    private static func push(_ request: EmulatorRequest, context: RouteContext) async throws -> EmulatorResponse {
        let caller = try context.requireCaller()
        guard let body = try request.jsonBody()?.objectValue, let refUpdates = body["refUpdates"]?.arrayValue,
            !refUpdates.isEmpty
        else {
            throw ADOError.argument("A push needs refUpdates.")
        }
        let commits = body["commits"]?.arrayValue ?? []
        let result = try await context.store.updateRuntime { model, runtime -> JSON in
            let repository = try target(context, caller: caller, model: model)
            var updated: [JSON] = []
            let stamp = now()
            let commitId = SHA1.hex(Array("push:\(repository.id):\(runtime.nextPushId)".utf8))
            for update in refUpdates {
                guard let name = update["name"]?.stringValue, name.hasPrefix("refs/") else {
                    throw ADOError.argument("Each ref update needs a name starting with refs/.")
                }
                let old = update["oldObjectId"]?.stringValue ?? zeroId
                let token = GitTokens.refToken(repositoryToken: repository.securityToken, refName: name)
                // A new branch needs CreateBranch, and every push GenericContribute, on the branch token.
                try requireGit(
                    old == zeroId ? [16, 4] : [4],
                    token: token,
                    scope: "branch",
                    caller: caller,
                    model: model
                )
                runtime.refs["\(repository.id)|\(name)"] = commitId
                updated.append([
                    "repositoryId": .string(repository.id), "name": .string(name), "oldObjectId": .string(old),
                    "newObjectId": .string(commitId),
                ])
            }
            let pushId = runtime.nextPushId
            runtime.nextPushId += 1
            let repoURL = "\(context.organizationURL)/\(repository.projectId)/_apis/git/repositories/\(repository.id)"
            let author: JSON = [
                "name": .string(caller.record.displayName), "email": .string(caller.record.properties["Mail"] ?? ""),
                "date": .string(stamp),
            ]
            return [
                "commits": .array(
                    commits.map { commit in
                        [
                            "commitId": .string(commitId), "author": author, "committer": author,
                            "comment": commit["comment"] ?? "",
                            "url": .string("\(repoURL)/commits/\(commitId)"),
                        ]
                    }
                ),
                "refUpdates": .array(updated),
                "repository": .object(repository.raw),
                "pushedBy": identityRef(caller), "pushId": .int(pushId), "date": .string(stamp),
                "url": .string("\(repoURL)/pushes/\(pushId)"),
                "_links": [
                    "self": ["href": .string("\(repoURL)/pushes/\(pushId)")], "repository": ["href": .string(repoURL)],
                ],
            ]
        }
        return context.json(result, status: 201)
    }

    private static func annotatedTag(_ request: EmulatorRequest, context: RouteContext) async throws -> EmulatorResponse
    {
        let caller = try context.requireCaller()
        guard let body = try request.jsonBody()?.objectValue, let name = body["name"]?.stringValue, !name.isEmpty,
            let object = body["taggedObject"]?["objectId"]?.stringValue
        else { throw ADOError.argument("An annotated tag needs name and taggedObject.objectId.") }
        let result = try await context.store.updateRuntime { model, runtime -> JSON in
            let repository = try target(context, caller: caller, model: model)
            let token = GitTokens.refToken(repositoryToken: repository.securityToken, refName: "refs/tags/\(name)")
            try requireGit([32], token: token, scope: "repository", caller: caller, model: model)
            let tagId = SHA1.hex(Array("tag:\(repository.id):\(name)".utf8))
            runtime.refs["\(repository.id)|refs/tags/\(name)"] = tagId
            return [
                "name": .string(name), "objectId": .string(tagId),
                "taggedObject": ["objectId": .string(object), "objectType": "commit"],
                "taggedBy": [
                    "name": .string(caller.record.displayName),
                    "email": .string(caller.record.properties["Mail"] ?? ""), "date": .string(now()),
                ],
                "message": body["message"] ?? "",
                "url": .string(
                    "\(context.organizationURL)/\(repository.projectId)/_apis/git/repositories/\(repository.id)/annotatedtags/\(tagId)"
                ),
            ]
        }
        return context.json(result, status: 201)
    }
}
