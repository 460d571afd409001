extension SnapshotLoader {
    static func loadResources(_ document: JSONObject, into model: inout OrgModel, reader r: SnapshotReader)
        throws(SnapshotError)
    {
        let projectsPath = JSONPath.root.member("projects")
        for (index, value) in try r.array(document["projects"], projectsPath).enumerated() {
            let at = projectsPath.index(index)
            let project = try r.object(value, at)
            let id = try r.guid(project["id"], at.member("id"))
            let name = try r.nonEmptyString(project["name"], at.member("name"))
            let visibility = try r.optionalString(project["visibility"], at.member("visibility")) ?? "private"
            guard model.projectById[id] == nil, model.projectByName[name.lowercased()] == nil else {
                throw r.fail(at, "duplicate project '\(name)'")
            }
            model.projectById[id] = model.projects.count
            model.projectByName[name.lowercased()] = model.projects.count
            model.projects.append(ProjectRecord(id: id, name: name, isPublic: visibility == "public", raw: project))
        }

        let reposPath = JSONPath.root.member("repositories")
        for (index, value) in try r.array(document["repositories"], reposPath).enumerated() {
            let at = reposPath.index(index)
            let repo = try r.object(value, at)
            let id = try r.guid(repo["id"], at.member("id"))
            let name = try r.nonEmptyString(repo["name"], at.member("name"))
            let projectId = try r.guid(
                try r.object(repo["project"], at.member("project"))["id"],
                at.member("project").member("id")
            )
            guard model.projectById[projectId] != nil else {
                throw r.fail(at.member("project").member("id"), "unknown project id '\(projectId)'")
            }
            let nameKey = "\(projectId)/\(name.lowercased())"
            guard model.repositoryById[id] == nil, model.repositoryByName[nameKey] == nil else {
                throw r.fail(at, "duplicate repository '\(name)'")
            }
            model.repositoryById[id] = model.repositories.count
            model.repositoryByName[nameKey] = model.repositories.count
            model.repositoriesByProject[projectId, default: []].append(model.repositories.count)
            model.repositories.append(
                RepositoryRecord(
                    id: id,
                    name: name,
                    projectId: projectId,
                    isDisabled: try r.optionalBool(repo["isDisabled"], at.member("isDisabled"), default: false),
                    defaultBranch: try r.optionalString(repo["defaultBranch"], at.member("defaultBranch")),
                    raw: repo
                )
            )
        }

        let wikisPath = JSONPath.root.member("wikis")
        for (index, value) in try r.array(document["wikis"] ?? .array([]), wikisPath).enumerated() {
            let at = wikisPath.index(index)
            let wiki = try r.object(value, at)
            let projectId = try r.guid(wiki["projectId"], at.member("projectId"))
            let repositoryId = try r.guid(wiki["repositoryId"], at.member("repositoryId"))
            guard model.projectById[projectId] != nil else {
                throw r.fail(at.member("projectId"), "unknown project id '\(projectId)'")
            }
            guard model.repository(id: repositoryId) != nil else {
                throw r.fail(at.member("repositoryId"), "unknown repository id '\(repositoryId)'")
            }
            model.wikis.append(
                WikiRecord(
                    id: try r.guid(wiki["id"], at.member("id")),
                    name: try r.nonEmptyString(wiki["name"], at.member("name")),
                    projectId: projectId,
                    repositoryId: repositoryId,
                    raw: wiki
                )
            )
        }

        let definitionsPath = JSONPath.root.member("buildDefinitions")
        for (index, value) in try r.array(document["buildDefinitions"] ?? .array([]), definitionsPath).enumerated() {
            let at = definitionsPath.index(index)
            let definition = try r.object(value, at)
            let id = try r.int(definition["id"], at.member("id"))
            _ = try r.nonEmptyString(definition["name"], at.member("name"))
            _ = try r.int(definition["revision"], at.member("revision"))
            let projectId = try r.guid(
                try r.object(definition["project"], at.member("project"))["id"],
                at.member("project").member("id")
            )
            guard model.projectById[projectId] != nil else {
                throw r.fail(at.member("project").member("id"), "unknown project id '\(projectId)'")
            }
            if let process = definition["process"] {
                _ = try r.int(try r.object(process, at.member("process"))["type"], at.member("process").member("type"))
            }
            guard model.definitionIndex[id] == nil else {
                throw r.fail(at.member("id"), "duplicate definition id \(id)")
            }
            model.definitionIndex[id] = model.definitions.count
            model.definitionsByProject[projectId, default: []].append(model.definitions.count)
            model.definitions.append(definition)
        }

        let endpointsPath = JSONPath.root.member("serviceEndpoints")
        for (index, value) in try r.array(document["serviceEndpoints"] ?? .array([]), endpointsPath).enumerated() {
            let at = endpointsPath.index(index)
            let endpoint = try r.object(value, at)
            var projectIds: Set<String> = []
            if let references = endpoint["serviceEndpointProjectReferences"] {
                let refsPath = at.member("serviceEndpointProjectReferences")
                for (refIndex, reference) in try r.array(references, refsPath).enumerated() {
                    let refPath = refsPath.index(refIndex).member("projectReference")
                    let projectRef = try r.object(
                        try r.object(reference, refsPath.index(refIndex))["projectReference"],
                        refPath
                    )
                    projectIds.insert(try r.guid(projectRef["id"], refPath.member("id")))
                }
            }
            model.endpoints.append(
                EndpointRecord(
                    id: try r.guid(endpoint["id"], at.member("id")),
                    name: try r.nonEmptyString(endpoint["name"], at.member("name")),
                    projectIds: projectIds,
                    raw: endpoint
                )
            )
        }

        let areasPath = JSONPath.root.member("areas")
        for (projectKey, root) in try r.object(document["areas"] ?? .object(JSONObject()), areasPath) {
            let at = areasPath.member(projectKey)
            guard let projectId = GUID.normalized(projectKey), let projectIndex = model.projectById[projectId] else {
                throw r.fail(at, "unknown project id '\(projectKey)'")
            }
            try indexArea(
                root,
                at,
                projectId: projectId,
                projectName: model.projects[projectIndex].name,
                chain: [],
                pathParts: [],
                into: &model,
                reader: r
            )
        }
    }

    private static func indexArea(
        _ value: JSON,
        _ at: JSONPath,
        projectId: String,
        projectName: String,
        chain: [String],
        pathParts: [String],
        into model: inout OrgModel,
        reader r: SnapshotReader
    ) throws(SnapshotError) {
        let node = try r.object(value, at)
        let identifier = try r.guid(node["identifier"], at.member("identifier"))
        let name = try r.nonEmptyString(node["name"], at.member("name"))
        let nodeChain = chain + [identifier]
        let parts = chain.isEmpty ? [projectName] : pathParts + [name]
        let areaPath = parts.joined(separator: "\\")
        model.areas[identifier] = AreaRecord(
            identifier: identifier,
            id: try r.int(node["id"], at.member("id")),
            projectId: projectId,
            chain: nodeChain,
            areaPath: areaPath
        )
        model.areaByPath["\(projectId)|\(areaPath.lowercased())"] = identifier
        if let children = node["children"], !children.isNull {
            for (index, child) in try r.array(children, at.member("children")).enumerated() {
                try indexArea(
                    child,
                    at.member("children").index(index),
                    projectId: projectId,
                    projectName: projectName,
                    chain: nodeChain,
                    pathParts: parts,
                    into: &model,
                    reader: r
                )
            }
        }
    }

    static func loadACLs(_ document: JSONObject, into model: inout OrgModel, reader r: SnapshotReader)
        throws(SnapshotError)
    {
        let path = JSONPath.root.member("acls")
        for (namespaceKey, list) in try r.object(document["acls"] ?? .object(JSONObject()), path) {
            let nsPath = path.member(namespaceKey)
            guard let namespaceId = GUID.normalized(namespaceKey), let namespace = model.namespaces[namespaceId] else {
                throw r.fail(nsPath, "unknown security namespace id '\(namespaceKey)'")
            }
            var byToken = model.acls[namespaceId]?.entries ?? [:]
            for (index, value) in try r.array(list, nsPath).enumerated() {
                let at = nsPath.index(index)
                let acl = try r.object(value, at)
                let token = try r.string(acl["token"], at.member("token"))
                var stored = StoredACL(
                    token: token,
                    inheritPermissions: try r.optionalBool(
                        acl["inheritPermissions"],
                        at.member("inheritPermissions"),
                        default: true
                    ),
                    aces: [:]
                )
                let acesPath = at.member("acesDictionary")
                for (key, entry) in try r.object(acl["acesDictionary"] ?? .object(JSONObject()), acesPath) {
                    let entryPath = acesPath.member(key)
                    let ace = try r.object(entry, entryPath)
                    let descriptor = try r.optionalString(ace["descriptor"], entryPath.member("descriptor")) ?? key
                    guard descriptor.lowercased() == key.lowercased() else {
                        throw r.fail(
                            entryPath.member("descriptor"),
                            "'\(descriptor)' does not match its dictionary key"
                        )
                    }
                    let allow = try r.int(ace["allow"] ?? .int(0), entryPath.member("allow"))
                    let deny = try r.int(ace["deny"] ?? .int(0), entryPath.member("deny"))
                    // An ACE with nothing set is "not set"; the store keeps none (see StoredACL.isRedundant).
                    if allow | deny != 0 {
                        stored.aces[key.lowercased()] = StoredACE(descriptor: descriptor, allow: allow, deny: deny)
                    }
                }
                let tokenKey = Tokens.key(token, in: namespace)
                guard byToken[tokenKey] == nil else {
                    throw r.fail(at.member("token"), "duplicate ACL for token '\(token)'")
                }
                if !stored.isRedundant { byToken[tokenKey] = stored }
            }
            model.acls[namespaceId] = ACLTable(byToken)
        }
    }
}
