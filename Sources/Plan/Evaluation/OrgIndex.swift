import Foundation

/// The lookups planning needs, built once per plan from an `OrgState`: ACLs by canonical token, transitive group
/// closures, and names → objects. Building is linear in the size of the state (plus the closure sizes), so a plan
/// over 10,000 repositories and 10,000 requirements does the expensive work once.
public struct OrgIndex: Sendable {
    public let state: OrgState
    let namespacesById: [String: SecurityNamespace]
    let acls: [String: AccessControlList]
    let identitiesByDescriptor: [IdentityDescriptor: Identity]
    let identitiesByName: [String: [IdentityDescriptor]]
    let directGroups: [IdentityDescriptor: [IdentityDescriptor]]
    let directMembers: [IdentityDescriptor: [IdentityDescriptor]]
    /// Transitive containers of every descriptor that is a member of anything (not including itself).
    let closures: [IdentityDescriptor: Set<IdentityDescriptor>]
    let projectsById: [String: Project]
    let projectsByName: [String: Project]
    let repositoriesById: [String: Repository]
    let repositoriesByName: [String: Repository]
    let wikisByName: [String: Wiki]
    let definitionsById: [Int: BuildDefinition]
    let definitionsByName: [String: [BuildDefinition]]
    let definitionsByProject: [String: [BuildDefinition]]
    let groupsByName: [String: IdentityDescriptor]
    let endpointsByName: [String: ServiceEndpoint]
    let areasByIdentifier: [String: AreaNode]
    let areasByPath: [String: AreaNode]
    let servicePrincipalsByApplication: [String: ServicePrincipal]
    let identitiesBySubject: [String: IdentityDescriptor]
    let filesByKey: [String: String]

    public init(_ state: OrgState) {
        self.state = state
        namespacesById = Dictionary(state.namespaces.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var acls: [String: AccessControlList] = [:]
        for acl in state.acls {
            let separator = namespacesById[acl.namespaceId]?.separator
            acls[Self.aclKey(acl.namespaceId, Tokens.canonical(acl.token, separator: separator))] = acl
        }
        self.acls = acls
        identitiesByDescriptor = Dictionary(state.identities.map { ($0.descriptor, $0) }, uniquingKeysWith: { a, _ in a })
        var byName: [String: [IdentityDescriptor]] = [:]
        var bySubject: [String: IdentityDescriptor] = [:]
        for identity in state.identities {
            let names = Set([identity.displayName, identity.providerDisplayName, identity.account, identity.mail]
                .compactMap { $0?.lowercased() })
            for name in names { byName[name, default: []].append(identity.descriptor) }
            if let subject = identity.subjectDescriptor { bySubject[subject.lowercased()] = identity.descriptor }
        }
        identitiesByName = byName
        identitiesBySubject = bySubject
        var groups: [IdentityDescriptor: [IdentityDescriptor]] = [:]
        var members: [IdentityDescriptor: [IdentityDescriptor]] = [:]
        for edge in state.memberships {
            groups[edge.member, default: []].append(edge.container)
            members[edge.container, default: []].append(edge.member)
        }
        directGroups = groups
        directMembers = members
        closures = Self.transitiveClosures(groups)
        projectsById = Dictionary(state.projects.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        projectsByName = Dictionary(state.projects.map { ($0.name.lowercased(), $0) }, uniquingKeysWith: { a, _ in a })
        repositoriesById = Dictionary(state.repositories.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        repositoriesByName = Dictionary(
            state.repositories.map { (Self.scoped($0.projectId, $0.name), $0) }, uniquingKeysWith: { a, _ in a })
        wikisByName = Dictionary(state.wikis.map { (Self.scoped($0.projectId, $0.name), $0) }, uniquingKeysWith: { a, _ in a })
        definitionsById = Dictionary(state.buildDefinitions.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        definitionsByName = Dictionary(grouping: state.buildDefinitions) { Self.scoped($0.projectId, $0.name) }
        definitionsByProject = Dictionary(grouping: state.buildDefinitions) { $0.projectId }
        var named: [String: IdentityDescriptor] = [:]
        for identity in state.identities where identity.isContainer {
            // `[Scope]\Name` only: a bare account name (`Contributors`) exists once per project.
            for name in [identity.providerDisplayName, identity.account].compactMap({ $0 }) where name.contains("\\") {
                let key = Self.normalizeGroupName(name)
                if named[key] == nil { named[key] = identity.descriptor }
            }
        }
        groupsByName = named
        var endpoints: [String: ServiceEndpoint] = [:]
        for endpoint in state.serviceEndpoints {
            for reference in endpoint.projectReferences {
                endpoints[Self.scoped(reference.projectId, reference.name)] = endpoint
            }
        }
        endpointsByName = endpoints
        areasByIdentifier = Dictionary(state.areas.map { ($0.identifier, $0) }, uniquingKeysWith: { a, _ in a })
        areasByPath = Dictionary(
            state.areas.map { (Self.scoped($0.projectId, Self.areaPath(of: $0)), $0) }, uniquingKeysWith: { a, _ in a })
        filesByKey = Dictionary(state.files.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { a, _ in a })
        servicePrincipalsByApplication = Dictionary(
            state.servicePrincipals.map { ($0.applicationId.lowercased(), $0) }, uniquingKeysWith: { a, _ in a })
    }

    // MARK: Keys

    static func aclKey(_ namespaceId: String, _ canonicalToken: String) -> String {
        namespaceId.lowercased() + "|" + canonicalToken
    }

    static func scoped(_ projectId: String, _ name: String) -> String { projectId.lowercased() + "/" + name.lowercased() }

    /// The work-item area path of a node: ADO's `\Payments\Area\Ops` → `Payments\Ops`.
    public static func areaPath(of node: AreaNode) -> String {
        var parts = node.path.split(separator: "\\").map(String.init)
        if parts.count >= 2, parts[1].lowercased() == "area" { parts.remove(at: 1) }
        return parts.joined(separator: "\\")
    }

    private static func transitiveClosures(
        _ groups: [IdentityDescriptor: [IdentityDescriptor]]
    ) -> [IdentityDescriptor: Set<IdentityDescriptor>] {
        var result: [IdentityDescriptor: Set<IdentityDescriptor>] = [:]
        result.reserveCapacity(groups.count)
        for start in groups.keys {
            var seen: Set<IdentityDescriptor> = []
            var queue = groups[start] ?? []
            var head = 0
            while head < queue.count {
                let next = queue[head]
                head += 1
                if next == start || !seen.insert(next).inserted { continue }
                if let known = result[next] {
                    seen.formUnion(known)
                    seen.remove(start)
                } else {
                    queue.append(contentsOf: groups[next] ?? [])
                }
            }
            result[start] = seen
        }
        return result
    }

    // MARK: Lookups

    public func namespace(_ id: String) -> SecurityNamespace? { namespacesById[id.lowercased()] }

    /// The stored ACL of a token (any spelling), if any.
    public func acl(namespaceId: String, token: String) -> AccessControlList? {
        acls[Self.aclKey(namespaceId, Tokens.canonical(token, separator: namespace(namespaceId)?.separator))]
    }

    func acl(namespaceId: String, canonicalKey: String) -> AccessControlList? {
        acls[Self.aclKey(namespaceId, canonicalKey)]
    }

    public func identity(_ descriptor: IdentityDescriptor) -> Identity? { identitiesByDescriptor[descriptor] }

    /// The descriptor and every group it belongs to, transitively.
    public func identitySet(of descriptor: IdentityDescriptor) -> Set<IdentityDescriptor> {
        var set = closures[descriptor] ?? []
        set.insert(descriptor)
        return set
    }

    /// The groups a descriptor belongs to, transitively.
    public func groups(of descriptor: IdentityDescriptor) -> Set<IdentityDescriptor> { closures[descriptor] ?? [] }

    /// The shortest membership path from `member` to `group` (`[direct group, …, group]`), nil if not a member.
    public func membershipPath(from member: IdentityDescriptor, to group: IdentityDescriptor) -> [IdentityDescriptor]? {
        var previous: [IdentityDescriptor: IdentityDescriptor] = [:]
        var queue = [member]
        var head = 0
        var seen: Set<IdentityDescriptor> = [member]
        while head < queue.count {
            let current = queue[head]
            head += 1
            for container in (directGroups[current] ?? []).sorted() where seen.insert(container).inserted {
                previous[container] = current
                if container == group {
                    var path = [container]
                    var step = current
                    while step != member, let before = previous[step] {
                        path.insert(step, at: 0)
                        step = before
                    }
                    return path
                }
                queue.append(container)
            }
        }
        return nil
    }

    /// Every descriptor that is `group` or a transitive member of it.
    public func members(of group: IdentityDescriptor) -> Set<IdentityDescriptor> {
        var seen: Set<IdentityDescriptor> = [group]
        var queue = [group]
        var head = 0
        while head < queue.count {
            let current = queue[head]
            head += 1
            for member in directMembers[current] ?? [] where seen.insert(member).inserted { queue.append(member) }
        }
        return seen
    }

    /// What to call a descriptor in messages: the identity's display name, else the descriptor itself.
    public func displayName(_ descriptor: IdentityDescriptor) -> String {
        identitiesByDescriptor[descriptor]?.displayName ?? descriptor.rawValue
    }

    public func project(id: String) -> Project? { projectsById[id.lowercased()] }

    /// A project by name or id.
    public func project(named name: String) -> Project? {
        projectsByName[name.lowercased()] ?? projectsById[name.lowercased()]
    }

    /// A repository of a project by name or id.
    public func repository(projectId: String, named name: String) -> Repository? {
        if let repository = repositoriesByName[Self.scoped(projectId, name)] { return repository }
        if let byId = repositoriesById[name.lowercased()], byId.projectId == projectId.lowercased() { return byId }
        return nil
    }

    public func repository(id: String) -> Repository? { repositoriesById[id.lowercased()] }

    public func wiki(projectId: String, named name: String) -> Wiki? {
        wikisByName[Self.scoped(projectId, name)] ?? state.wikis.first { $0.id == name.lowercased() }
    }

    public func definition(id: Int) -> BuildDefinition? { definitionsById[id] }

    /// Definitions of a project with this name (names repeat across folders).
    public func definitions(projectId: String, named name: String) -> [BuildDefinition] {
        definitionsByName[Self.scoped(projectId, name)] ?? []
    }

    public func definitions(inProject projectId: String) -> [BuildDefinition] {
        definitionsByProject[projectId.lowercased()] ?? []
    }

    /// A group by `[Scope]\Name` (single or doubled backslash) or account name, case-insensitive.
    public func group(named name: String) -> IdentityDescriptor? { groupsByName[Self.normalizeGroupName(name)] }

    static func normalizeGroupName(_ name: String) -> String {
        var text = name.lowercased()
        while let range = text.range(of: "\\\\") { text.replaceSubrange(range, with: "\\") }
        return text
    }

    /// A service connection by the name it has in a project (endpoints are shared into projects under a name).
    public func endpoint(projectId: String, named name: String) -> ServiceEndpoint? {
        endpointsByName[Self.scoped(projectId, name)]
            ?? state.serviceEndpoints.first {
                $0.id == name.lowercased() && $0.projectReferences.contains { $0.projectId == projectId.lowercased() }
            }
    }

    public func area(projectId: String, path: String) -> AreaNode? {
        var path = path
        while path.hasPrefix("\\") { path.removeFirst() }
        return areasByPath[Self.scoped(projectId, path)]
    }

    public func rootArea(projectId: String) -> AreaNode? {
        state.areas.first { $0.projectId == projectId.lowercased() && $0.parentIdentifier == nil }
    }

    /// The area's identifier chain from the project's root area node.
    public func areaChain(_ node: AreaNode) -> [String] {
        var chain = [node.identifier]
        var current = node
        var guardCount = 0
        while let parent = current.parentIdentifier, let next = areasByIdentifier[parent], guardCount < 64 {
            chain.insert(next.identifier, at: 0)
            current = next
            guardCount += 1
        }
        return chain
    }

    /// Identities whose display name, provider name, account (UPN) or mail is `name` (case-insensitive).
    public func identities(named name: String) -> [IdentityDescriptor] {
        identitiesByName[name.lowercased()] ?? []
    }

    /// The organization identity of a service connection's service principal: graph service principal by
    /// `applicationId` (= the endpoint's `serviceprincipalid`), then the identity with that subject descriptor, else
    /// the `AadServicePrincipal;{tenant}\{objectId}` identity. Nil when the principal is not an organization user.
    public func servicePrincipalIdentity(of endpoint: ServiceEndpoint) -> IdentityDescriptor? {
        guard let applicationId = endpoint.servicePrincipalId,
            let principal = servicePrincipalsByApplication[applicationId]
        else { return nil }
        if let descriptor = identitiesBySubject[principal.subjectDescriptor.lowercased()] { return descriptor }
        guard let objectId = principal.originId?.lowercased() else { return nil }
        return state.identities.first {
            $0.descriptor.identityType.hasSuffix("AadServicePrincipal")
                && $0.descriptor.identifier.lowercased().hasSuffix("\\" + objectId)
        }?.descriptor
    }

    /// A repository file read through the git items API (`OrgState.files`), matched without regard to case.
    public func file(project: Project, repository: Repository, path: String) -> String? {
        filesByKey[(project.name + "/" + repository.name + "/" + Self.normalizePath(path)).lowercased()]
    }

    /// `./agents/x.yml` and `/agents/x.yml` → `agents/x.yml`.
    public static func normalizePath(_ path: String) -> String {
        var result = path
        while result.hasPrefix("./") { result.removeFirst(2) }
        while result.hasPrefix("/") { result.removeFirst() }
        return result
    }

    /// Candidate names for did-you-mean messages.
    var projectNames: [String] { state.projects.map(\.name) }
    func repositoryNames(projectId: String) -> [String] {
        state.repositories.filter { $0.projectId == projectId.lowercased() }.map(\.name)
    }
}
