import Foundation

/// Reads a compiled pipeline YAML (an ado-aw `.lock.yml` or any Azure Pipelines file): the ado-aw header, which
/// token the Stage 3 executor really uses, and every construct that reaches another project (reference/ado-aw.md
/// §5) — those break when the job token is limited to the pipeline's project.
struct LockFacts {
    /// `# @ado-aw source="agents/x.md" version=…`.
    var source: String?
    var compilerVersion: String?
    /// The connection of the `AzureCLI` step that mints `SC_WRITE_TOKEN`.
    var writeConnection: String?
    /// What the executor step maps to `SYSTEM_ACCESSTOKEN`: true for `$(SC_WRITE_TOKEN)`, false for
    /// `$(System.AccessToken)`, nil when the lock has no ado-aw executor step.
    var executorUsesWriteToken: Bool?
    var references: [CrossProjectReference] = []
}

enum LockScanner {
    /// Scans `text`. A file that is not valid YAML yields only the header facts and a warning.
    static func scan(_ text: String, file: String, project: Project) -> (LockFacts, [Diagnostic]) {
        var facts = LockFacts()
        for line in text.split(separator: "\n").prefix(5) where line.hasPrefix("# @ado-aw ") {
            facts.source = attribute("source", in: line)
            facts.compilerVersion = attribute("version", in: line)
        }
        let tree: YAMLTree?
        switch Result(catching: { () throws(Diagnostic) -> YAMLTree? in try YAMLTree.parse(text, file: file) }) {
        case .success(let value): tree = value
        case .failure(let diagnostic):
            var warning = diagnostic
            warning.severity = .warning
            warning.message = "cannot scan the pipeline YAML for cross-project constructs: " + diagnostic.message
            return (facts, [warning])
        }
        guard let tree else { return (facts, []) }
        var scan = Scan(project: project)
        for resource in tree["resources"]?["repositories"]?.items ?? [] { scan.repositoryResource(resource) }
        for resource in tree["resources"]?["pipelines"]?.items ?? [] { scan.pipelineResource(resource) }
        scan.walk(tree)
        facts.references = scan.references
        facts.writeConnection = scan.writeConnection
        facts.executorUsesWriteToken = executorToken(in: tree)
        return (facts, [])
    }

    private static func attribute(_ name: String, in line: Substring) -> String? {
        guard let range = line.range(of: name + "=") else { return nil }
        var rest = line[range.upperBound...]
        if rest.hasPrefix("\"") {
            rest = rest.dropFirst()
            return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
        }
        return rest.split(separator: " ").first.map(String.init)
    }

    private struct Scan {
        let project: Project
        var references: [CrossProjectReference] = []
        /// Repository-resource alias → (project, repository) for `template: x@alias` and `checkout: alias`.
        var aliases: [String: (project: String, repository: String)] = [:]
        var writeConnection: String?

        init(project: Project) { self.project = project }

        /// Whether a project reference (name or id as written) names another project. Pipeline variables
        /// (`$(System.TeamProject)`) are the current project.
        func isForeign(_ reference: String) -> Bool {
            let value = reference.trimmingCharacters(in: .whitespaces)
            if value.isEmpty || value.hasPrefix("$(") || value.hasPrefix("${{") { return false }
            return value.lowercased() != project.name.lowercased() && value.lowercased() != project.id
        }

        mutating func add(_ kind: CrossProjectReference.Kind, _ project: String, _ name: String?, _ at: SourceLocation) {
            references.append(CrossProjectReference(kind: kind, project: project, name: name, location: at))
        }

        mutating func repositoryResource(_ node: YAMLTree) {
            guard let name = node["name"]?.scalar, let alias = node["repository"]?.scalar else { return }
            let type = node["type"]?.scalar?.lowercased() ?? "git"
            guard type == "git" else { return }
            let parts = name.split(separator: "/", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { return }
            aliases[alias.lowercased()] = (parts[0], parts[1])
            if isForeign(parts[0]) {
                add(.repositoryResource, parts[0], parts[1], node["name"]?.location ?? node.location)
            }
        }

        mutating func pipelineResource(_ node: YAMLTree) {
            guard let other = node["project"]?.scalar, isForeign(other) else { return }
            add(.pipelineResource, other, node["source"]?.scalar, node["project"]?.location ?? node.location)
        }

        mutating func walk(_ node: YAMLTree) {
            switch node.kind {
            case .scalar: return
            case .sequence(let items): for item in items { walk(item) }
            case .mapping(let pairs):
                inspect(node)
                for (_, value) in pairs { walk(value) }
            }
        }

        /// One mapping: a step, a job, a template reference…
        mutating func inspect(_ node: YAMLTree) {
            if let checkout = node["checkout"]?.scalar, checkout.lowercased().hasPrefix("git://") {
                let path = checkout.dropFirst("git://".count).split(separator: "@").first.map(String.init) ?? ""
                let parts = path.split(separator: "/", maxSplits: 1).map(String.init)
                if parts.count == 2, isForeign(parts[0]) {
                    add(.inlineCheckout, parts[0], parts[1], node["checkout"]?.location ?? node.location)
                }
            }
            if let template = node["template"]?.scalar, let at = template.lastIndex(of: "@") {
                let alias = String(template[template.index(after: at)...]).lowercased()
                if alias != "self", let target = aliases[alias], isForeign(target.project) {
                    add(.template, target.project, target.repository, node["template"]?.location ?? node.location)
                }
            }
            guard let task = node["task"]?.scalar else { return }
            let taskName = task.split(separator: "@").first.map { $0.lowercased() } ?? ""
            let inputs = node["inputs"]
            switch taskName {
            case "downloadpipelineartifact", "downloadbuildartifacts":
                if let other = inputs?["project"]?.scalar, isForeign(other) {
                    let pipeline = inputs?["pipeline"]?.scalar ?? inputs?["definition"]?.scalar
                    add(.pipelineArtifact, other, pipeline, inputs?["project"]?.location ?? node.location)
                }
            case "downloadpackage", "nugetcommand", "npmauthenticate", "universalpackages":
                for key in ["feed", "vstsFeed", "feedPublish", "vstsFeedPublish"] {
                    guard let feed = inputs?[key]?.scalar, let slash = feed.firstIndex(of: "/") else { continue }
                    let other = String(feed[..<slash])
                    if isForeign(other) {
                        add(.feed, other, String(feed[feed.index(after: slash)...]), inputs?[key]?.location ?? node.location)
                    }
                }
            case "azurecli":
                let script = inputs?["inlineScript"]?.scalar ?? ""
                if script.contains("SC_WRITE_TOKEN") {
                    writeConnection = inputs?["azureSubscription"]?.scalar
                        ?? inputs?["connectedServiceNameARM"]?.scalar ?? inputs?["azureDevOpsServiceConnection"]?.scalar
                }
            default: break
            }
        }
    }
}

extension LockScanner {
    /// Whether a step mapping runs `ado-aw execute`, and what it maps to `SYSTEM_ACCESSTOKEN`.
    static func executorToken(in tree: YAMLTree) -> Bool? {
        var result: Bool?
        func visit(_ node: YAMLTree) {
            switch node.kind {
            case .scalar: return
            case .sequence(let items): items.forEach(visit)
            case .mapping(let pairs):
                let script = node["bash"]?.scalar ?? node["script"]?.scalar ?? ""
                if script.contains("ado-aw execute") || script.contains("ado-aw\" execute"),
                    let token = node["env"]?["SYSTEM_ACCESSTOKEN"]?.scalar
                {
                    result = token.contains("SC_WRITE_TOKEN")
                }
                for (_, value) in pairs { visit(value) }
            }
        }
        visit(tree)
        return result
    }
}
