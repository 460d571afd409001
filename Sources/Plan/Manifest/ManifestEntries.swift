/// `allow:` entries and forbid rules: one resource key plus `permissions:`.
enum ResourceReading {
    static let kinds = ["git", "build", "area", "wiki", "project", "organization", "process", "namespace"]
    /// Keys an entry may carry besides `permissions`/`authoritative` (`token` goes with `namespace`).
    static let resourceKeys = kinds + ["token"]
    static let entryKeys = resourceKeys + ["permissions", "authoritative"]

    static func parseAllowList(_ node: YAMLTree, _ reader: inout ManifestReader) -> [PermissionCheck] {
        guard let items = node.items else {
            reader.error("found \(node.found) for 'allow', expected a list of permission entries", at: node.location)
            return []
        }
        var checks: [PermissionCheck] = []
        for item in items {
            guard let fields = reader.fields(item, "an allow entry", keys: entryKeys) else { continue }
            if let check = parseEntry(item, fields, "the allow entry", &reader) { checks.append(check) }
        }
        return checks
    }

    /// Reads the resource and permissions of an allow entry or forbid rule whose fields are already checked.
    static func parseEntry(
        _ node: YAMLTree,
        _ fields: [String: YAMLTree],
        _ what: String,
        _ reader: inout ManifestReader
    ) -> PermissionCheck? {
        let present = kinds.filter { fields[$0] != nil }
        guard present.count == 1, let kind = present.first, let value = fields[kind] else {
            if present.isEmpty {
                reader.error("\(what) names no resource, expected one of " + kinds.joined(separator: ", "),
                             at: node.location)
            } else {
                reader.error("\(what) names \(present.count) resources (\(present.joined(separator: ", "))), "
                             + "expected exactly one", at: node.location)
            }
            return nil
        }
        if fields["token"] != nil && kind != "namespace" {
            reader.error("found 'token' with '\(kind)', expected 'token' only with 'namespace'",
                         at: reader.keyLocation(node, "token"))
        }
        var locations: [String: SourceLocation] = [:]
        guard let resource = parseResource(kind, value, node, fields, &locations, &reader) else { return nil }
        var permissions: [String] = []
        if let permissionNode = fields["permissions"] {
            if let list = reader.strings(permissionNode, "permissions") {
                for (index, (name, location)) in list.enumerated() {
                    permissions.append(name)
                    locations["permissions[\(index)]"] = location
                }
                if list.isEmpty {
                    reader.error("found an empty 'permissions' list, expected at least one permission name",
                                 at: permissionNode.location)
                }
            }
        } else {
            reader.error("\(what) has no 'permissions', expected a list of action names", at: node.location)
        }
        var authoritative = false
        if let flag = fields["authoritative"] { authoritative = reader.bool(flag, "authoritative") ?? false }
        guard !permissions.isEmpty else { return nil }
        return PermissionCheck(resource: resource, permissions: permissions, authoritative: authoritative,
                               location: node.location, fieldLocations: locations)
    }

    private static func parseResource(
        _ kind: String,
        _ value: YAMLTree,
        _ entry: YAMLTree,
        _ entryFields: [String: YAMLTree],
        _ locations: inout [String: SourceLocation],
        _ reader: inout ManifestReader
    ) -> ResourceRef? {
        func inner(_ keys: [String]) -> [String: YAMLTree]? {
            reader.fields(value, "'\(kind)'", keys: keys)
        }
        func required(_ fields: [String: YAMLTree], _ key: String) -> String? {
            locations[key] = fields[key]?.location
            return reader.string(fields, key, in: "'\(kind)'", at: value)
        }
        func optional(_ fields: [String: YAMLTree], _ key: String) -> String? {
            locations[key] = fields[key]?.location
            return reader.optionalString(fields, key)
        }
        switch kind {
        case "git":
            guard let fields = inner(["project", "repository", "branch"]) else { return nil }
            let project = required(fields, "project")
            let repository = optional(fields, "repository")
            let branch = optional(fields, "branch")
            if branch != nil && repository == nil {
                reader.error("found 'branch' without 'repository', expected the repository the branch is in",
                             at: fields["branch"]?.location)
            }
            return project.map { .git(project: $0, repository: repository, branch: branch) }
        case "build":
            guard let fields = inner(["project", "definition"]) else { return nil }
            let project = required(fields, "project")
            let definition = optional(fields, "definition")
            return project.map { .build(project: $0, definition: definition) }
        case "area":
            guard let fields = inner(["project", "path"]) else { return nil }
            let project = required(fields, "project")
            let path = optional(fields, "path")
            return project.map { .area(project: $0, path: path ?? $0) }
        case "wiki":
            guard let fields = inner(["project", "name"]) else { return nil }
            let project = required(fields, "project")
            let name = required(fields, "name")
            guard let project, let name else { return nil }
            return .wiki(project: project, name: name)
        case "project":
            guard let fields = inner(["name"]) else { return nil }
            return required(fields, "name").map { .project(name: $0) }
        case "organization":
            guard inner([]) != nil else { return nil }
            return .organization
        case "process":
            guard let fields = inner(["name"]) else { return nil }
            return .process(name: optional(fields, "name") ?? "*")
        default:
            locations["namespace"] = value.location
            let namespace = reader.string(value, "namespace")
            guard let tokenNode = entryFields["token"] else {
                reader.error("found 'namespace' without 'token', expected the literal security token",
                             at: entry.location)
                return nil
            }
            locations["token"] = tokenNode.location
            guard let namespace, let token = tokenNode.scalar, !tokenNode.isNull else {
                if !tokenNode.isNull, tokenNode.scalar == nil {
                    reader.error("found \(tokenNode.found) for 'token', expected a string", at: tokenNode.location)
                }
                return nil
            }
            return .raw(namespaceId: namespace, token: token)
        }
    }
}

/// `subject:` — exactly one of pipeline, serviceConnection, identity, descriptor, group.
enum SubjectReading {
    static let keys = ["pipeline", "serviceConnection", "identity", "descriptor", "group"]

    static func parse(_ node: YAMLTree, _ reader: inout ManifestReader) -> SubjectRef? {
        guard let fields = reader.fields(node, "'subject'", keys: keys) else { return nil }
        let present = keys.filter { fields[$0] != nil }
        guard present.count == 1, let kind = present.first, let value = fields[kind] else {
            let found = present.isEmpty ? "nothing" : present.joined(separator: " and ")
            reader.error("found \(found) in 'subject', expected exactly one of " + keys.joined(separator: ", "),
                         at: node.location)
            return nil
        }
        switch kind {
        case "pipeline", "serviceConnection":
            guard let inner = reader.fields(value, "'\(kind)'", keys: ["project", "name"]) else { return nil }
            let project = reader.string(inner, "project", in: "'\(kind)'", at: value)
            let name = reader.string(inner, "name", in: "'\(kind)'", at: value)
            guard let project, let name else { return nil }
            return kind == "pipeline"
                ? .pipeline(project: project, name: name) : .serviceConnection(project: project, name: name)
        case "identity": return reader.string(value, kind).map { .identity($0) }
        case "descriptor": return reader.string(value, kind).map { .descriptor($0) }
        default: return reader.string(value, kind).map { .group($0) }
        }
    }
}

/// `scope:` of a profile requirement.
enum ScopeReading {
    static let targetKeys = [
        "repository", "repositories", "area", "areas", "definition", "definitions", "wiki", "wikis",
    ]

    static func parse(_ node: YAMLTree, _ reader: inout ManifestReader) -> ProfileScope {
        var scope = ProfileScope(location: node.location)
        guard let fields = reader.fields(node, "'scope'", keys: ["projects", "project"] + targetKeys) else {
            return scope
        }
        if let projects = fields["projects"], let list = reader.strings(projects, "projects") {
            scope.projects = list.map(\.0)
            for (index, item) in list.enumerated() { scope.fieldLocations["projects[\(index)]"] = item.1 }
        }
        if let project = fields["project"] {
            scope.project = reader.string(project, "project")
            scope.fieldLocations["project"] = project.location
        }
        for key in targetKeys {
            guard let value = fields[key], let list = reader.strings(value, key) else { continue }
            for item in list {
                scope.fieldLocations["targets[\(scope.targets.count)]"] = item.1
                scope.targets.append(item.0)
            }
        }
        return scope
    }
}

/// `from-agent:` — `{ project, repository, path }` or `{ project, file[, repository] }`.
enum AgentReading {
    static func parseSource(_ node: YAMLTree, _ reader: inout ManifestReader) -> AgentSource? {
        guard let fields = reader.fields(node, "'from-agent'", keys: ["project", "repository", "path", "file"]) else {
            return nil
        }
        let project = reader.string(fields, "project", in: "'from-agent'", at: node)
        let repository = reader.optionalString(fields, "repository")
        let path = reader.optionalString(fields, "path")
        let file = reader.optionalString(fields, "file")
        if path == nil && file == nil {
            reader.error("'from-agent' names no agent, expected 'path' (in the repository) or 'file' (local)",
                         at: node.location)
        }
        if path != nil && file != nil {
            reader.error("found both 'path' and 'file' in 'from-agent', expected one of them", at: node.location)
        }
        if path != nil && repository == nil {
            reader.error("found 'path' without 'repository', expected the repository holding the agent",
                         at: fields["path"]?.location)
        }
        guard let project, path != nil || file != nil else { return nil }
        var locations: [String: SourceLocation] = [:]
        for key in ["project", "repository", "path", "file"] { locations[key] = fields[key]?.location }
        return AgentSource(project: project, repository: repository, path: path, file: file,
                           location: node.location, fieldLocations: locations)
    }
}
