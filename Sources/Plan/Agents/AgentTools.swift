/// What a tool's targets resolve against.
struct ToolContext {
    let project: Project
    /// The repository the agent (and its pipeline) lives in: ado-aw's `self`.
    let selfRepository: Repository?
    let matter: FrontMatter
    let definition: BuildDefinition?
    let subjectIsConnection: Bool
    var crossBuildUpload = false
}

extension AgentExpansion {
    /// The checks each configured safe-output tool needs (reference/ado-aw.md §2.2, corrected bits).
    mutating func toolChecks(_ context: inout ToolContext, holder: JobIdentityHolder, at location: SourceLocation?)
        -> [PermissionCheck]
    {
        var checks: [PermissionCheck] = []
        let projectName = context.project.name
        for tool in context.matter.tools {
            if ["noop", "missing-tool", "missing-data"].contains(tool.name) {
                // The Conclusion job files work items for these under the same identity as Stage 3.
                if let area = tool.string("area-path") {
                    checks.append(PermissionCheck(
                        resource: .area(project: projectName, path: area), permissions: ["WORK_ITEM_READ", "WORK_ITEM_WRITE"],
                        location: tool.location(of: "area-path"), reason: "\(tool.name) (Conclusion job work items)"))
                }
                continue
            }
            guard let profile = Profile.forTool(tool.name) else { continue }
            var scope = ProfileScope(project: projectName, location: tool.location)
            switch profile.target {
            case .none, .projects:
                if tool.name == "upload-pipeline-artifact" && !tool.strings("allowed-build-ids").isEmpty {
                    context.crossBuildUpload = true
                }
                continue
            case .repository:
                for (project, repository) in repositories(for: tool, context) {
                    let repositoryScope = ProfileScope(project: project, targets: [repository], location: tool.location)
                    checks += profile.checks(scope: repositoryScope, index: index, jobIdentity: holder,
                                             location: tool.location, diagnostics: &diagnostics)
                }
                continue
            case .area:
                scope.targets = [area(for: tool, context)]
            case .wiki:
                guard let wiki = tool.string("wiki-name") else {
                    error("\(tool.name) has no 'wiki-name', expected the wiki it writes to", at: tool.location)
                    continue
                }
                scope.project = tool.string("wiki-project") ?? projectName
                scope.targets = [wiki]
            case .definition:
                if tool.name == "add-build-tag" {
                    // A job token tags its own build without a grant; a connection's SPN (or any-build tagging) needs it.
                    let anyBuild = tool.config["allow-any-build"]?.bool == true
                    guard anyBuild || context.subjectIsConnection else { continue }
                    if anyBuild {
                        checks.append(PermissionCheck(
                            resource: .build(project: projectName, definition: nil), permissions: ["UpdateBuildInformation"],
                            location: tool.location, reason: profile.name))
                        continue
                    }
                    guard let definition = context.definition else { continue }
                    scope.targets = [String(definition.id)]
                } else {
                    scope.targets = tool.strings("allowed-pipelines")
                    if scope.targets.isEmpty {
                        error("\(tool.name) has no 'allowed-pipelines', expected the definition ids it queues",
                              at: tool.location)
                        continue
                    }
                }
            }
            checks += profile.checks(scope: scope, index: index, jobIdentity: holder, location: tool.location,
                                     diagnostics: &diagnostics)
        }
        return checks
    }

    /// Target repositories of a Git tool: `allowed-repositories` aliases (`self` or `repos:` entries), else `self`;
    /// `create-pull-request` targets `self` plus every `repos:` entry checked out.
    private mutating func repositories(for tool: FrontMatter.Tool, _ context: ToolContext) -> [(String, String)] {
        var aliases = tool.strings("allowed-repositories")
        if aliases.isEmpty {
            aliases = ["self"]
            if tool.name == "create-pull-request" {
                aliases += context.matter.repositories.filter { $0.checkout && $0.isAzureRepos }.map(\.alias)
            }
        }
        var result: [(String, String)] = []
        for alias in aliases {
            if alias == "self" {
                guard let repository = context.selfRepository else {
                    error("\(tool.name) targets `self` but the agent's repository is unknown, expected "
                          + "`repository:` in from-agent", at: tool.location)
                    continue
                }
                result.append((context.project.name, repository.name))
            } else if let entry = context.matter.repositories.first(where: { $0.alias == alias }) {
                result.append((entry.project ?? context.project.name, entry.repository))
            } else if alias.contains("/") {
                let parts = alias.split(separator: "/", maxSplits: 1).map(String.init)
                result.append((parts[0], parts[1]))
            } else {
                error("\(tool.name) names repository alias '\(alias)', expected `self` or an alias of `repos:`"
                      + Suggestion.hint(for: alias, in: ["self"] + context.matter.repositories.map(\.alias)),
                      at: tool.location(of: "allowed-repositories"))
            }
        }
        return result
    }

    /// The area a work-item tool writes in: `area-path`, an area-prefix `target`, else the project's root area
    /// (`target: "*"` or work item ids can be anywhere in the project; the root's ACL is what they inherit).
    private func area(for tool: FrontMatter.Tool, _ context: ToolContext) -> String {
        if let path = tool.string("area-path") { return path }
        if let target = tool.string("target"), target != "*", Int(target) == nil, !target.hasPrefix("[") {
            return target
        }
        return context.project.name
    }
}
