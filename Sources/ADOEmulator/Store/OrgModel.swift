/// Everything the emulator serves, indexed for the lookups requests make (by namespace + token, descriptor,
/// project, repository, definition). A value type: the `Store` actor owns the one live copy.
struct OrgModel: Sendable {
    /// The snapshot as loaded: members the emulator never changes are served and dumped from here.
    var document: JSONObject
    var organization: Organization
    var namespaces: [String: Namespace] = [:]
    var directory = Directory()

    var projects: [ProjectRecord] = []
    var projectById: [String: Int] = [:]
    var projectByName: [String: Int] = [:]

    var repositories: [RepositoryRecord] = []
    var repositoryById: [String: Int] = [:]
    /// `"{projectId}/{lower-cased name}"` → index.
    var repositoryByName: [String: Int] = [:]
    /// project id → indexes into `repositories`, in snapshot order.
    var repositoriesByProject: [String: [Int]] = [:]

    var wikis: [WikiRecord] = []
    var endpoints: [EndpointRecord] = []
    var areas: [String: AreaRecord] = [:]
    /// `"{projectId}|{lower-cased area path}"` → node identifier.
    var areaByPath: [String: String] = [:]

    /// namespace id → its ACLs by canonical token.
    var acls: [String: ACLTable] = [:]

    var definitions: [JSONObject] = []
    var definitionIndex: [Int: Int] = [:]
    /// lower-case project id → indexes into `definitions`, in snapshot order (a definition never changes project).
    var definitionsByProject: [String: [Int]] = [:]
    /// Graph subject descriptor → (`graph` member, index in it).
    var graphSubjects: [String: (member: String, index: Int)] = [:]

    var organizationSettings = JSONObject()
    /// lower-case project id → stored (not effective) settings.
    var projectSettings: [String: JSONObject] = [:]
    /// lower-case project id → the key spelling used in the snapshot.
    var projectSettingsKeys: [String: String] = [:]

    /// `"{Project}/{repo}/{path}"` → text.
    var files: [String: String] = [:]
    /// `"{lower project}/{lower repo}/{path}"` → key in `files`.
    var fileIndex: [String: String] = [:]

    /// `[{org}]\Project Collection Administrators`, if the snapshot has it.
    var administratorsKey: String?

    /// Snapshot credentials by token.
    var credentials: [String: Credential] = [:]

    init(document: JSONObject, organization: Organization) {
        self.document = document
        self.organization = organization
    }

    // MARK: lookups

    func project(_ idOrName: String) -> ProjectRecord? {
        if let id = GUID.normalized(idOrName), let index = projectById[id] { return projects[index] }
        return projectByName[idOrName.lowercased()].map { projects[$0] }
    }

    func repository(id: String) -> RepositoryRecord? {
        guard let normalized = GUID.normalized(id) else { return nil }
        return repositoryById[normalized].map { repositories[$0] }
    }

    func repository(_ idOrName: String, in projectId: String?) -> RepositoryRecord? {
        if let byId = repository(id: idOrName) {
            if let projectId, byId.projectId != projectId { return nil }
            return byId
        }
        guard let projectId else { return nil }
        return repositoryByName["\(projectId)/\(idOrName.lowercased())"].map { repositories[$0] }
    }

    func definition(id: Int) -> JSONObject? { definitionIndex[id].map { definitions[$0] } }

    func evaluator(_ namespaceId: String) -> Evaluator? {
        guard let namespace = namespaces[namespaceId.lowercased()] else { return nil }
        return Evaluator(namespace: namespace, acls: acls[namespace.id]?.entries ?? [:])
    }

    /// Whether the identity set holds every bit of `bits` on `token` in the namespace.
    func allows(_ bits: Int, namespace namespaceId: String, token: String, identitySet: Set<String>) -> Bool {
        evaluator(namespaceId)?.allows(bits, token: token, identitySet: identitySet) ?? false
    }

    func file(project: String, repository: String, path: String) -> (key: String, text: String)? {
        let trimmed = path.hasPrefix("/") ? String(path.dropFirst()) : path
        guard let key = fileIndex["\(project.lowercased())/\(repository.lowercased())/\(trimmed)"],
            let text = files[key]
        else { return nil }
        return (key, text)
    }

    mutating func setFile(project: String, repository: String, path: String, text: String) {
        let trimmed = path.hasPrefix("/") ? String(path.dropFirst()) : path
        let indexKey = "\(project.lowercased())/\(repository.lowercased())/\(trimmed)"
        let key = fileIndex[indexKey] ?? "\(project)/\(repository)/\(trimmed)"
        fileIndex[indexKey] = key
        files[key] = text
    }

    mutating func indexFile(_ key: String) {
        let parts = key.split(separator: "/", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3 else { return }
        fileIndex["\(parts[0].lowercased())/\(parts[1].lowercased())/\(parts[2])"] = key
    }

    /// Effective project settings: stored values, with every `enforce…` flag the organization sets forced on
    /// (a project cannot loosen an org-enforced setting; reference/ado-rest.md §7.2 — applying the rule to all
    /// `enforce*` flags, not only the job-scope ones, is UNCONFIRMED).
    func effectiveSettings(projectId: String) -> JSONObject {
        var settings = projectSettings[projectId] ?? JSONObject()
        for (key, value) in organizationSettings where key.hasPrefix("enforce") && value == .bool(true) {
            settings[key] = .bool(true)
        }
        return settings
    }

    func settingIsOn(_ key: String, projectId: String) -> Bool {
        effectiveSettings(projectId: projectId)[key]?.boolValue ?? false
    }
}
