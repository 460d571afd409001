import Foundation
import Plan

/// Reads an organization into a `Snapshot` (ADO's wire JSON) or straight into the planner's `OrgState`, with as
/// few requests as the scope allows:
/// - one recursive ACL query per (namespace, project) from the project's token, plus the root tokens — or, for all
///   projects, one query per namespace;
/// - project resources per project (organization-wide lists when every project is in scope);
/// - identities by descriptor in batches, level by level (see `IdentityCrawler`);
/// - independent reads in parallel (the transport bounds requests per host).
public struct OrgStateLoader: Sendable {
    public let client: OrganizationClient

    public init(client: OrganizationClient) { self.client = client }

    /// The scope's part of the organization as the planner's model.
    public func load(_ scope: LoadScope) async throws(ADOError) -> OrgState {
        let snapshot = try await loadSnapshot(scope)
        do {
            return try OrgState(snapshot: snapshot)
        } catch {
            throw .decoding(route: "organization state", detail: error.description)
        }
    }

    /// The scope's part of the organization as a snapshot (`capturedAt` = `capturedAt`, ISO 8601).
    public func loadSnapshot(_ scope: LoadScope, capturedAt: Date = Date()) async throws(ADOError) -> Snapshot {
        let client = self.client

        // Organization-wide reads, in parallel.
        async let namespacesResult = capture { () async throws(ADOError) in try await client.rawSecurityNamespaces() }
        async let projectsResult = capture { () async throws(ADOError) in try await client.rawProjects() }
        async let orgSettingsResult = capture { () async throws(ADOError) in
            try await Self.optional { () async throws(ADOError) in try await client.rawGeneralSettings(project: nil) }
        }
        async let principalsResult = capture { () async throws(ADOError) in try await client.rawGraphServicePrincipals()
        }
        async let usersResult = capture { () async throws(ADOError) -> [JSONValue] in
            scope.allIdentities ? try await client.rawGraphUsers() : []
        }
        async let groupsResult = capture { () async throws(ADOError) -> [JSONValue] in
            scope.allIdentities ? try await client.rawGraphGroups() : []
        }
        let namespaces = try await namespacesResult.get()
        let allProjectValues = try await projectsResult.get()
        let orgSettings = try await orgSettingsResult.get()
        let principals = try await principalsResult.get()
        let users = try await usersResult.get()
        let groups = try await groupsResult.get()

        let projects = Self.select(allProjectValues, scope.projects)
        let projectIds = projects.compactMap { $0["id"]?.stringValue }
        // Naming every project costs as much as `.all`: organization-wide lists and whole-namespace ACL queries.
        let allProjects = scope.projects == .all || (!projects.isEmpty && projects.count == allProjectValues.count)
        var effectiveScope = scope
        if allProjects { effectiveScope.projects = .all }

        // Per-project reads and ACL queries, as one flat list of jobs.
        var jobs: [LoadJob] = allProjects ? [.allRepositories, .allWikis] : []
        for id in projectIds {
            jobs += [
                .definitions(id), .settings(id), .endpoints(id),
                .areas(id, withACLs: scope.namespaces == .relevant && !allProjects),
            ]
            if !allProjects { jobs += [.repositories(id), .wikis(id)] }
        }
        jobs += Self.aclJobs(effectiveScope, namespaces: namespaces, projectIds: projectIds)
        let results = try await concurrently(jobs) { job throws(ADOError) in try await job.run(client) }

        var collected = Collected()
        for result in results { collected.add(result) }
        if allProjects {
            // Organization-wide lists may include projects that are not well formed; keep what the scope holds.
            let ids = Set(projectIds.map { $0.lowercased() })
            collected.repositories = collected.repositories.filter {
                ids.contains(($0["project"]?["id"]?.stringValue ?? "").lowercased())
            }
            collected.wikis = collected.wikis.filter { ids.contains(($0["projectId"]?.stringValue ?? "").lowercased()) }
        }

        // Identities: everyone an ACE names, the scope's subjects, in-scope service principals, build services.
        let identities = try await loadIdentities(
            scope,
            collected: collected,
            principals: principals,
            graph: users + groups,
            projectIds: projectIds
        )
        let files = try await FileLoader(client: client).load(scope, projects: projects, collected: collected)
        let organization = try await OrganizationFacts.derive(
            client: client,
            projects: allProjectValues,
            identities: identities.values.map(\.record.identity)
        )

        var acls: [String: [JSONValue]] = [:]
        for (namespace, values) in collected.acls where !values.isEmpty { acls[namespace] = values }
        let snapshot = Snapshot(
            capturedAt: Self.iso8601(capturedAt),
            organization: organization,
            securityNamespaces: namespaces,
            identities: identities.values.map { $0.raw.removing(IdentityDecoding.membershipKeys) },
            memberships: IdentityCrawler.memberships(identities),
            graph: Snapshot.Graph(users: users, groups: groups, servicePrincipals: principals),
            projects: projects,
            repositories: collected.repositories,
            wikis: collected.wikis,
            buildDefinitions: collected.definitions,
            pipelineSettings: Snapshot.PipelineSettingsMember(
                organization: orgSettings ?? .object([:]),
                projects: collected.settings
            ),
            serviceEndpoints: collected.endpoints,
            areas: collected.areas,
            acls: acls,
            files: files
        )
        return snapshot.canonicalized()
    }

    // MARK: steps

    private func loadIdentities(
        _ scope: LoadScope,
        collected: Collected,
        principals: [JSONValue],
        graph: [JSONValue],
        projectIds: [String]
    ) async throws(ADOError) -> [String: IdentityCrawler.Loaded] {
        var descriptors: [IdentityDescriptor] = []
        var aceGroups = Set<String>()
        for values in collected.acls.values {
            for acl in values {
                for key in acl["acesDictionary"]?.objectValue?.keys.sorted() ?? [] {
                    let descriptor = IdentityDescriptor(key)
                    descriptors.append(descriptor)
                    if scope.expandMembersOfACEGroups { aceGroups.insert(descriptor.key) }
                }
            }
        }
        for subject in scope.subjects {
            if case .descriptor(let descriptor) = subject { descriptors.append(descriptor) }
        }
        // Project build services exist lazily; ask for each project's, with the host id any build service shows.
        if let host = descriptors.lazy.compactMap(OrganizationFacts.buildServiceHost).first {
            for id in projectIds {
                descriptors.append(IdentityDescriptor("Microsoft.TeamFoundation.ServiceIdentity;\(host):Build:\(id)"))
            }
        }
        // Service principals behind the in-scope service connections (matched by application id).
        let applicationIds = Set(
            collected.endpoints.compactMap {
                $0["authorization"]?["parameters"]?["serviceprincipalid"]?.stringValue?.lowercased()
            }
        )
        var subjectDescriptors = principals.filter {
            scope.allIdentities || applicationIds.contains(($0["applicationId"]?.stringValue ?? "").lowercased())
        }.compactMap { $0["descriptor"]?.stringValue }
        if scope.allIdentities { subjectDescriptors += graph.compactMap { $0["descriptor"]?.stringValue } }

        let client = self.client
        let names: [String] = scope.subjects.compactMap { subject in
            if case .name(let name) = subject { return name }
            return nil
        }
        let searched = try await concurrently(names) { name throws(ADOError) in
            try await client.rawSearchIdentities(.general, value: name)
        }
        return try await IdentityCrawler(client: client).crawl(
            descriptors: descriptors,
            subjectDescriptors: subjectDescriptors,
            preloaded: searched.flatMap { $0 },
            expandDown: aceGroups,
            expandAllGroups: false
        )
    }

    static func select(_ projects: [JSONValue], _ selection: LoadScope.Projects) -> [JSONValue] {
        guard case .named(let names) = selection else { return projects }
        let wanted = Set(names.map { $0.lowercased() })
        return projects.filter { project in
            wanted.contains((project["name"]?.stringValue ?? "").lowercased())
                || wanted.contains((project["id"]?.stringValue ?? "").lowercased())
        }
    }

    /// ACL queries that do not depend on a project's areas.
    static func aclJobs(_ scope: LoadScope, namespaces: [JSONValue], projectIds: [String]) -> [LoadJob] {
        var jobs: [LoadJob] = []
        switch scope.namespaces {
        case .every:
            for namespace in namespaces.compactMap({ $0["namespaceId"]?.stringValue }) {
                jobs.append(.acls(namespace: namespace, token: nil, recurse: false))
            }
        case .relevant:
            if scope.projects == .all {
                for namespace in LoadScope.projectNamespaces {
                    jobs.append(.acls(namespace: namespace, token: nil, recurse: false))
                }
            } else {
                jobs.append(.acls(namespace: NamespaceID.git, token: "repoV2", recurse: false))
                jobs.append(.acls(namespace: NamespaceID.project, token: "$PROJECT", recurse: false))
                for id in projectIds {
                    jobs.append(.acls(namespace: NamespaceID.git, token: "repoV2/\(id)", recurse: true))
                    jobs.append(.acls(namespace: NamespaceID.build, token: id, recurse: true))
                    jobs.append(
                        .acls(
                            namespace: NamespaceID.project,
                            token: "$PROJECT:vstfs:///Classification/TeamProject/\(id)",
                            recurse: true
                        )
                    )
                    jobs.append(.acls(namespace: NamespaceID.serviceEndpoints, token: "endpoints/\(id)", recurse: true))
                }
            }
            if scope.organizationNamespaces {
                for namespace in LoadScope.organizationNamespaceIds {
                    jobs.append(.acls(namespace: namespace, token: nil, recurse: false))
                }
            }
        }
        for extra in scope.extraACLs {
            jobs.append(.acls(namespace: extra.namespaceId, token: extra.token, recurse: false))
        }
        return jobs
    }

    /// A read whose absence is normal (404): nil instead of an error.
    static func optional<T>(_ read: () async throws(ADOError) -> T) async throws(ADOError) -> T? {
        do throws(ADOError) {
            return try await read()
        } catch {
            if error.status == 404 { return nil }
            throw error
        }
    }

    static func iso8601(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}

/// One independent read of the loader.
enum LoadJob: Sendable {
    case allRepositories
    case allWikis
    case repositories(String)
    case wikis(String)
    case definitions(String)
    case settings(String)
    case endpoints(String)
    /// The project's area tree, then (when asked) the CSS ACLs from its root node.
    case areas(String, withACLs: Bool)
    case acls(namespace: String, token: String?, recurse: Bool)

    enum Result: Sendable {
        case repositories([JSONValue])
        case wikis([JSONValue])
        case definitions([JSONValue])
        case settings(projectId: String, JSONValue?)
        case endpoints([JSONValue])
        case areas(projectId: String, JSONValue, acls: [JSONValue])
        case acls(namespace: String, [JSONValue])
    }

    func run(_ client: OrganizationClient) async throws(ADOError) -> Result {
        switch self {
        case .allRepositories: return .repositories(try await client.rawRepositories(project: nil))
        case .allWikis: return .wikis(try await client.rawWikis(project: nil))
        case .repositories(let project): return .repositories(try await client.rawRepositories(project: project))
        case .wikis(let project): return .wikis(try await client.rawWikis(project: project))
        case .definitions(let project):
            return .definitions(try await client.rawBuildDefinitions(project: project, includeAllProperties: true))
        case .settings(let project):
            return .settings(
                projectId: project,
                try await OrgStateLoader.optional { () async throws(ADOError) in
                    try await client.rawGeneralSettings(project: project)
                }
            )
        case .endpoints(let project): return .endpoints(try await client.rawServiceEndpoints(project: project))
        case .areas(let project, let withACLs):
            guard
                let root = try await OrgStateLoader.optional({ () async throws(ADOError) in
                    try await client.rawAreas(project: project, depth: 20)
                })
            else { return .areas(projectId: project, .null, acls: []) }
            var acls: [JSONValue] = []
            if withACLs, let identifier = root["identifier"]?.stringValue {
                acls = try await client.rawAccessControlLists(
                    namespaceId: NamespaceID.css,
                    token: "vstfs:///Classification/Node/\(identifier)",
                    recurse: true
                )
            }
            return .areas(projectId: project, root, acls: acls)
        case .acls(let namespace, let token, let recurse):
            return .acls(
                namespace: namespace,
                try await client.rawAccessControlLists(namespaceId: namespace, token: token, recurse: recurse)
            )
        }
    }
}

/// The loader's reads, merged (ACLs deduplicated by namespace and token, endpoints by id).
struct Collected {
    var repositories: [JSONValue] = []
    var wikis: [JSONValue] = []
    var definitions: [JSONValue] = []
    var settings: [String: JSONValue] = [:]
    var endpoints: [JSONValue] = []
    var areas: [String: JSONValue] = [:]
    var acls: [String: [JSONValue]] = [:]
    private var aclKeys = Set<String>()
    private var endpointIds = Set<String>()

    mutating func add(_ result: LoadJob.Result) {
        switch result {
        case .repositories(let values): repositories += values
        case .wikis(let values): wikis += values
        case .definitions(let values): definitions += values
        case .settings(let projectId, let value): if let value { settings[projectId] = value }
        case .endpoints(let values):
            // An endpoint shared into several projects is listed by each; keep one.
            for value in values where endpointIds.insert((value["id"]?.stringValue ?? "").lowercased()).inserted {
                endpoints.append(value)
            }
        case .areas(let projectId, let root, let values):
            if root != .null { areas[projectId] = root }
            addACLs(NamespaceID.css, values)
        case .acls(let namespace, let values): addACLs(namespace, values)
        }
    }

    private mutating func addACLs(_ namespace: String, _ values: [JSONValue]) {
        let namespace = namespace.lowercased()
        for acl in values {
            let token = (acl["token"]?.stringValue ?? "").lowercased()
            guard aclKeys.insert(namespace + "|" + token).inserted else { continue }
            acls[namespace, default: []].append(acl)
        }
    }
}
