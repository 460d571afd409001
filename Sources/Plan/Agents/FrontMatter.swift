import Foundation

/// What adoperm reads from an ado-aw agent's front matter (reference/ado-aw.md §1): the write connection, the
/// safe-output tools with the keys that name their targets, `repos:` and the keys that reach other projects.
struct FrontMatter {
    /// One `repos:` entry.
    struct RepositoryEntry {
        var alias: String
        /// The project part of `Project/repo`; nil = the pipeline's project.
        var project: String?
        var repository: String
        var checkout: Bool
        /// `type: git` (the default); other types use their own endpoints and are unaffected by job scope.
        var isAzureRepos: Bool
        var location: SourceLocation
    }

    /// One configured safe-output tool.
    struct Tool {
        var name: String
        var config: YAMLTree
        var location: SourceLocation

        func string(_ key: String) -> String? { config[key].flatMap { $0.isNull ? nil : $0.scalar } }
        func strings(_ key: String) -> [String] {
            guard let node = config[key] else { return [] }
            if let items = node.items { return items.compactMap(\.scalar) }
            return node.scalar.map { [$0] } ?? []
        }
        func location(of key: String) -> SourceLocation { config[key]?.location ?? location }
    }

    var description: String?
    var writeConnection: String?
    var writeConnectionLocation: SourceLocation?
    /// `standalone` (default), `1es`, `job` or `stage`.
    var target: String = "standalone"
    var repositories: [RepositoryEntry] = []
    var tools: [Tool] = []
    var onPipeline: (project: String, name: String?, location: SourceLocation)?
    var pipelineArtifact: (project: String, definition: String?, location: SourceLocation)?
    var feed: (name: String, location: SourceLocation)?
    var location: SourceLocation

    /// Keys of `safe-outputs:` that configure the section rather than a tool.
    static let sectionKeys: Set<String> = [
        "staged", "require-approval", "threat-detection", "jobs", "report-failure-as-work-item", "github-token",
        "github-app", "github-api-url",
    ]

    /// Parses the YAML between the first two `---` lines of an agent markdown file.
    static func parse(_ text: String, file: String) throws(Diagnostic) -> FrontMatter {
        let start = SourceLocation(file: file, line: 1, column: 1)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if let first = lines.first, first.hasPrefix("\u{FEFF}") { lines[0] = String(first.dropFirst()) }
        guard lines.first?.trimmingCharacters(in: .whitespaces) == "---",
            let end = lines.dropFirst().firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "---" })
        else {
            throw Diagnostic(.error, "found no front matter, expected YAML between two `---` lines at the top", at: start)
        }
        let yaml = lines[1..<end].joined(separator: "\n")
        guard let tree = try YAMLTree.parse(yaml, file: file, lineOffset: 1), tree.pairs != nil else {
            throw Diagnostic(.error, "found empty front matter, expected ado-aw keys (name, permissions, safe-outputs…)",
                             at: start)
        }
        var matter = FrontMatter(location: tree.location)
        matter.description = tree["description"]?.scalar
        if let write = tree["permissions"]?["write"] {
            matter.writeConnection = write.scalar.flatMap { write.isNull ? nil : $0 }
                ?? write["service-connection"]?.scalar
            matter.writeConnectionLocation = write.location
        }
        if let target = tree["target"]?.scalar { matter.target = target }
        for item in tree["repos"]?.items ?? [] {
            if let entry = repositoryEntry(item) { matter.repositories.append(entry) }
        }
        for (key, value) in tree["safe-outputs"]?.pairs ?? [] {
            guard let name = key.scalar, !sectionKeys.contains(name) else { continue }
            matter.tools.append(Tool(name: name, config: value, location: key.location))
        }
        if let pipeline = tree["on"]?["pipeline"], let project = pipeline["project"]?.scalar {
            matter.onPipeline = (project, pipeline["name"]?.scalar, pipeline["project"]?.location ?? pipeline.location)
        }
        if let artifact = tree["supply-chain"]?["pipeline-artifact"], let project = artifact["project"]?.scalar {
            matter.pipelineArtifact = (project, artifact["definition-id"]?.scalar,
                                       artifact["project"]?.location ?? artifact.location)
        }
        if let feed = tree["supply-chain"]?["feed"], feed["service-connection"] == nil,
            let name = feed["name"]?.scalar ?? feed.scalar
        {
            matter.feed = (name, feed.location)
        }
        return matter
    }

    /// `Project/repo`, `alias=Project/repo`, or `{ name, alias, checkout, type }`; `self` entries only tune fetch.
    private static func repositoryEntry(_ node: YAMLTree) -> RepositoryEntry? {
        var alias: String?
        var name: String
        var checkout = true
        var type = "git"
        if let text = node.scalar {
            if let equals = text.firstIndex(of: "=") {
                alias = String(text[..<equals])
                name = String(text[text.index(after: equals)...])
            } else {
                name = text
            }
        } else {
            guard let value = node["name"]?.scalar else { return nil }
            name = value
            alias = node["alias"]?.scalar
            checkout = node["checkout"]?.bool ?? true
            type = node["type"]?.scalar ?? "git"
        }
        guard name != "self" else { return nil }
        let parts = name.split(separator: "/", maxSplits: 1).map(String.init)
        let project = parts.count == 2 ? parts[0] : nil
        let repository = parts.count == 2 ? parts[1] : parts[0]
        return RepositoryEntry(
            alias: alias ?? repository, project: project, repository: repository, checkout: checkout,
            isAzureRepos: ["git", "tfsgit", "azurerepos"].contains(type.lowercased()), location: node.location)
    }
}
