import Plan

extension Snapshot {
    /// The union of two captures of the same organization (e.g. a scope and its later extension): list members
    /// are merged by their natural key (the other capture's element wins on a clash), maps member by member.
    public func merged(with other: Snapshot) -> Snapshot {
        var result = self
        result.capturedAt = max(capturedAt, other.capturedAt)
        result.securityNamespaces = Self.union(securityNamespaces, other.securityNamespaces, by: ["namespaceId"])
        result.identities = Self.union(identities, other.identities, by: ["descriptor"])
        result.memberships = Self.union(memberships, other.memberships, by: ["member", "container"])
        result.graph.users = Self.union(graph.users, other.graph.users, by: ["descriptor"])
        result.graph.groups = Self.union(graph.groups, other.graph.groups, by: ["descriptor"])
        result.graph.servicePrincipals = Self.union(
            graph.servicePrincipals,
            other.graph.servicePrincipals,
            by: ["descriptor"]
        )
        result.projects = Self.union(projects, other.projects, by: ["id"])
        result.repositories = Self.union(repositories, other.repositories, by: ["id"])
        result.wikis = Self.union(wikis, other.wikis, by: ["id"])
        result.buildDefinitions = Self.union(buildDefinitions, other.buildDefinitions, by: ["id"])
        result.serviceEndpoints = Self.union(serviceEndpoints, other.serviceEndpoints, by: ["id"])
        result.pipelineSettings.projects.merge(other.pipelineSettings.projects) { $1 }
        if other.pipelineSettings.organization != .object([:]) {
            result.pipelineSettings.organization = other.pipelineSettings.organization
        }
        result.areas.merge(other.areas) { $1 }
        for (namespace, values) in other.acls {
            result.acls[namespace] = Self.union(acls[namespace] ?? [], values, by: ["token"])
        }
        result.files.merge(other.files) { $1 }
        return result.canonicalized()
    }

    static func union(_ first: [JSONValue], _ second: [JSONValue], by keys: [String]) -> [JSONValue] {
        func key(_ value: JSONValue) -> [String] {
            keys.map { name in
                switch value[name] {
                case .string(let text): text.lowercased()
                case .int(let number): String(number)
                default: JSONWriter.string(value)
                }
            }
        }
        var seen = Set<[String]>()
        var result: [JSONValue] = []
        for value in second where seen.insert(key(value)).inserted { result.append(value) }
        for value in first where seen.insert(key(value)).inserted { result.append(value) }
        return result
    }
}
