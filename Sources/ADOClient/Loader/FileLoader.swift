import Foundation
import Plan

/// Reads agent markdown and pipeline YAML through the git items API into snapshot `files`
/// (`"<projectName>/<repoName>/<path>"`). A file that does not exist (404) is left out; the planner reports it.
struct FileLoader: Sendable {
    let client: OrganizationClient

    struct Target: Sendable, Hashable {
        var projectName: String
        var repositoryName: String
        /// Repository id when known (preferred in the URL), else the name.
        var repository: String
        var path: String

        var key: String { "\(projectName)/\(repositoryName)/\(path)" }
    }

    func load(_ scope: LoadScope, projects: [JSONValue], collected: Collected) async throws(ADOError) -> [String:
        String]
    {
        let repositories = collected.repositories.compactMap(RepositoryInfo.init)
        var targets: [Target] = []
        for file in scope.files {
            let repository = repositories.first {
                $0.name.lowercased() == file.repository.lowercased()
                    && ($0.projectName.lowercased() == file.project.lowercased()
                        || $0.projectId == file.project.lowercased())
            }
            targets.append(
                Target(
                    projectName: repository?.projectName ?? file.project,
                    repositoryName: repository?.name ?? file.repository,
                    repository: repository?.id ?? file.repository,
                    path: file.path
                )
            )
        }
        var repositoriesById: [String: RepositoryInfo] = [:]
        for repository in repositories where repositoriesById[repository.id] == nil {
            repositoriesById[repository.id] = repository
        }
        for definition in Self.selectedDefinitions(scope.pipelineFiles, collected.definitions, projects: projects) {
            guard let target = Self.yamlTarget(definition, repositoriesById: repositoriesById) else { continue }
            targets.append(target)
        }
        // Sets and dictionaries, not linear searches: at 10,000 repositories and 2,000 pipelines those were
        // quadratic.
        var unique: [Target] = []
        var keys: Set<String> = []
        for target in targets where keys.insert(target.key).inserted { unique.append(target) }

        let client = self.client
        let texts = try await concurrently(unique) { target throws(ADOError) in
            try await Self.read(client, target)
        }
        var files: [String: String] = [:]
        var sources: [Target] = []
        for (target, text) in zip(unique, texts) {
            guard let text else { continue }
            files[target.key] = text
            // A compiled ado-aw lock names its source markdown in its second line.
            if let source = Self.adoAwSource(text) {
                let sourceTarget = Target(
                    projectName: target.projectName,
                    repositoryName: target.repositoryName,
                    repository: target.repository,
                    path: source
                )
                if files[sourceTarget.key] == nil, keys.insert(sourceTarget.key).inserted {
                    sources.append(sourceTarget)
                }
            }
        }
        let sourceTexts = try await concurrently(sources) { target throws(ADOError) in
            try await Self.read(client, target)
        }
        for (target, text) in zip(sources, sourceTexts) where text != nil { files[target.key] = text }
        return files
    }

    private static func read(_ client: OrganizationClient, _ target: Target) async throws(ADOError) -> String? {
        try await OrgStateLoader.optional { () async throws(ADOError) in
            try await client.fileText(project: target.projectName, repository: target.repository, path: target.path)
        }
    }

    static func selectedDefinitions(
        _ selection: LoadScope.PipelineFiles,
        _ definitions: [JSONValue],
        projects: [JSONValue]
    ) -> [JSONValue] {
        switch selection {
        case .none: return []
        case .all: return definitions
        case .definitions(let refs):
            var projectNames: [String: String] = [:]
            for project in projects {
                let id = (project["id"]?.stringValue ?? "").lowercased()
                if projectNames[id] == nil { projectNames[id] = (project["name"]?.stringValue ?? "").lowercased() }
            }
            // A reference names the project by name or id and the definition by name or id.
            let wanted = Set(refs.map { "\($0.project.lowercased())\u{0}\($0.definition.lowercased())" })
            return definitions.filter { definition in
                let projectId = (definition["project"]?["id"]?.stringValue ?? "").lowercased()
                let projectName = projectNames[projectId] ?? ""
                let name = (definition["name"]?.stringValue ?? "").lowercased()
                let id = definition["id"]?.intValue.map(String.init) ?? ""
                return [projectName, projectId].contains { project in
                    wanted.contains("\(project)\u{0}\(name)") || wanted.contains("\(project)\u{0}\(id)")
                }
            }
        }
    }

    /// The YAML file of a YAML definition building from an Azure Repos Git repository.
    static func yamlTarget(_ definition: JSONValue, repositoriesById: [String: RepositoryInfo]) -> Target? {
        guard definition["process"]?["type"]?.intValue == 2,
            var path = definition["process"]?["yamlFilename"]?.stringValue,
            let repositoryId = definition["repository"]?["id"]?.stringValue?.lowercased(),
            (definition["repository"]?["type"]?.stringValue ?? "TfsGit").lowercased() == "tfsgit",
            let repository = repositoriesById[repositoryId]
        else { return nil }
        while path.hasPrefix("/") { path.removeFirst() }
        return Target(
            projectName: repository.projectName,
            repositoryName: repository.name,
            repository: repository.id,
            path: path
        )
    }

    /// `agents/x.md` from `# @ado-aw source="agents/x.md" version=…` in the first lines of a lock file.
    static func adoAwSource(_ text: String) -> String? {
        for line in text.split(separator: "\n", maxSplits: 5).prefix(5) {
            guard line.hasPrefix("# @ado-aw"), let start = line.range(of: "source=\"") else { continue }
            let rest = line[start.upperBound...]
            guard let end = rest.firstIndex(of: "\"") else { continue }
            var path = String(rest[..<end])
            while path.hasPrefix("/") { path.removeFirst() }
            return path.isEmpty ? nil : path
        }
        return nil
    }
}

/// The parts of a wire repository the file loader needs.
struct RepositoryInfo: Sendable {
    var id: String
    var name: String
    var projectId: String
    var projectName: String

    init?(_ json: JSONValue) {
        guard let id = json["id"]?.stringValue, let name = json["name"]?.stringValue,
            let projectId = json["project"]?["id"]?.stringValue
        else { return nil }
        self.id = id.lowercased()
        self.name = name
        self.projectId = projectId.lowercased()
        self.projectName = json["project"]?["name"]?.stringValue ?? projectId
    }
}
