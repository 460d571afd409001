/// `from-agent`: derives the subject and the checks of an ado-aw agent from its front matter and compiled lock.
struct AgentExpansion {
    let index: OrgIndex
    let localFiles: [String: String]
    var diagnostics: [Diagnostic] = []
    var warnings: [Diagnostic] = []
    /// `pipelineContext` per definition id with the warnings it produced: requirements naming the same pipeline
    /// share one scan of its YAML (10,000 requirements over 2,000 pipelines scanned each file five times).
    var pipelineContexts: [String: (context: AgentContext?, warnings: [Diagnostic])] = [:]

    mutating func error(_ message: String, at location: SourceLocation?) {
        diagnostics.append(Diagnostic(.error, message, at: location))
    }

    /// The requirement of one `from-agent` entry, nil (with diagnostics) when the agent cannot be read.
    mutating func requirement(_ entry: RequirementEntry, _ source: AgentSource) -> Requirement? {
        guard let project = index.project(named: source.project) else {
            error("unknown project '\(source.project)'" + Suggestion.hint(for: source.project, in: index.projectNames),
                  at: source.location(of: "project"))
            return nil
        }
        var repository: Repository?
        if let name = source.repository {
            repository = index.repository(projectId: project.id, named: name)
            if repository == nil {
                error("unknown repository '\(name)' in project \(project.name)"
                      + Suggestion.hint(for: name, in: index.repositoryNames(projectId: project.id)),
                      at: source.location(of: "repository"))
                return nil
            }
        }
        let markdownPath = OrgIndex.normalizePath(source.path ?? source.file ?? "")
        let lockPath = Self.lockPath(for: markdownPath)
        let text: String
        let fileName: String
        if let file = source.file {
            guard let local = localFiles[file] else {
                error("cannot read the agent file '\(file)', expected a readable local file", at: source.location(of: "file"))
                return nil
            }
            text = local
            fileName = file
        } else if let repository, let stored = index.file(project: project, repository: repository, path: markdownPath) {
            text = stored
            fileName = "\(project.name)/\(repository.name)/\(markdownPath)"
        } else {
            error("found no file '\(markdownPath)' in \(project.name)/\(repository?.name ?? "?"), expected the agent "
                  + "markdown (read through the git items API)", at: source.location(of: "path"))
            return nil
        }
        let matter: FrontMatter
        switch Result(catching: { () throws(Diagnostic) -> FrontMatter in try FrontMatter.parse(text, file: fileName) }) {
        case .success(let value): matter = value
        case .failure(let diagnostic):
            diagnostics.append(diagnostic)
            return nil
        }
        var lockText: String?
        var lockFile = lockPath
        if let file = source.file {
            lockFile = Self.lockPath(for: file)
            lockText = localFiles[lockFile]
        }
        if lockText == nil, let repository {
            lockText = index.file(project: project, repository: repository, path: lockPath)
            if lockText != nil { lockFile = "\(project.name)/\(repository.name)/\(lockPath)" }
        }
        let definition = Self.definition(running: lockPath, in: project, repository: repository, index: index)
        let selfRepository = repository ?? definition.flatMap { $0.repositoryId.flatMap(index.repository(id:)) }
        var facts = LockFacts()
        if let lockText {
            let (scanned, notes) = LockScanner.scan(lockText, file: lockFile, project: project)
            facts = scanned
            warnings += notes
        } else {
            warnings.append(Diagnostic(
                .warning, "found no compiled lock '\(lockPath)' next to the agent; using the front matter alone",
                at: source.location))
        }
        // Stage 3 runs what the lock says; a front matter the lock does not reflect is a stale lock.
        var writeConnection = matter.writeConnection
        if lockText != nil, let usesWrite = facts.executorUsesWriteToken {
            if matter.writeConnection != nil && !usesWrite {
                warnings.append(Diagnostic(
                    .warning, "the front matter sets permissions.write but the compiled lock's executor still uses "
                        + "System.AccessToken (stale lock: recompile with `ado-aw compile \(markdownPath)`); "
                        + "evaluating the job identity", at: matter.writeConnectionLocation))
                writeConnection = nil
            } else if usesWrite {
                writeConnection = facts.writeConnection ?? matter.writeConnection
            }
        }
        let pipelineRef = definition.map { definition in
            let unique = index.definitions(projectId: project.id, named: definition.name).count == 1
            return SubjectRef.pipeline(project: project.name, name: unique ? definition.name : String(definition.id))
        }
        let subject: SubjectRef
        let holder: JobIdentityHolder
        if let writeConnection {
            subject = .serviceConnection(project: project.name, name: writeConnection)
            holder = pipelineRef.map { .pipeline($0) } ?? .none
        } else if let pipelineRef {
            subject = pipelineRef
            holder = .subject
        } else {
            error("no pipeline in project \(project.name) runs '\(lockPath)', expected a build definition whose YAML "
                  + "file is the agent's compiled lock", at: source.location)
            return nil
        }
        var context = ToolContext(project: project, selfRepository: selfRepository, matter: matter,
                                  definition: definition, subjectIsConnection: writeConnection != nil)
        let checks = toolChecks(&context, holder: holder, at: entry.location)
        let agent = AgentContext(
            project: project.name, repository: repository?.name, path: markdownPath, isLocalFile: source.file != nil,
            writeConnection: writeConnection, tools: matter.tools.map(\.name), lockPath: lockPath,
            crossProjectReferences: Self.merge(facts.references, Self.frontMatterReferences(matter, project: project,
                                                                                             lockScanned: lockText != nil)),
            lockAvailable: lockText != nil, crossBuildUpload: context.crossBuildUpload, definitionId: definition?.id,
            declaredWriteConnection: matter.writeConnection)
        var withDigest = agent
        withDigest.sourceSha256 = sha256Hex(text)
        return Requirement(
            id: entry.id, description: entry.description ?? matter.description, subject: subject, allow: checks,
            origin: .agent(markdownPath), location: entry.location, agent: withDigest, subjectLocation: source.location)
    }

    /// `agents/x.md` → `agents/x.lock.yml`.
    static func lockPath(for markdown: String) -> String {
        (markdown.hasSuffix(".md") ? String(markdown.dropLast(3)) : markdown) + ".lock.yml"
    }

    /// The definition whose YAML file is `lockPath` (in `repository` when known; a suffix match for local files).
    static func definition(
        running lockPath: String,
        in project: Project,
        repository: Repository?,
        index: OrgIndex
    ) -> BuildDefinition? {
        let wanted = lockPath.lowercased()
        let candidates = index.definitions(inProject: project.id).filter { definition in
            guard let file = definition.yamlFilename.map({ OrgIndex.normalizePath($0).lowercased() }) else { return false }
            if let repository, definition.repositoryId != repository.id { return false }
            return file == wanted || (repository == nil && (file.hasSuffix("/" + wanted) || wanted.hasSuffix("/" + file)))
        }
        return candidates.min { $0.id < $1.id }
    }

    /// Constructs only the front matter shows (and, without a lock, everything the lock would have shown).
    static func frontMatterReferences(_ matter: FrontMatter, project: Project, lockScanned: Bool) -> [CrossProjectReference] {
        func foreign(_ value: String) -> Bool {
            value.lowercased() != project.name.lowercased() && value.lowercased() != project.id
        }
        var result: [CrossProjectReference] = []
        for tool in matter.tools where tool.name == "create-wiki-page" || tool.name == "update-wiki-page" {
            if let other = tool.string("wiki-project"), foreign(other) {
                result.append(CrossProjectReference(kind: .wiki, project: other, name: tool.string("wiki-name"),
                                                    location: tool.location(of: "wiki-project")))
            }
        }
        if let feed = matter.feed, let slash = feed.name.firstIndex(of: "/"), foreign(String(feed.name[..<slash])) {
            result.append(CrossProjectReference(kind: .feed, project: String(feed.name[..<slash]),
                                                name: String(feed.name[feed.name.index(after: slash)...]),
                                                location: feed.location))
        }
        guard !lockScanned else { return result }
        for repository in matter.repositories where repository.isAzureRepos {
            if let other = repository.project, foreign(other) {
                result.append(CrossProjectReference(kind: .repositoryResource, project: other,
                                                    name: repository.repository, location: repository.location))
            }
        }
        if let pipeline = matter.onPipeline, foreign(pipeline.project) {
            result.append(CrossProjectReference(kind: .pipelineResource, project: pipeline.project, name: pipeline.name,
                                                location: pipeline.location))
        }
        if let artifact = matter.pipelineArtifact, foreign(artifact.project) {
            result.append(CrossProjectReference(kind: .pipelineArtifact, project: artifact.project,
                                                name: artifact.definition, location: artifact.location))
        }
        return result
    }

    /// Keeps the first of each (kind, project, name).
    static func merge(_ lists: [CrossProjectReference]...) -> [CrossProjectReference] {
        var seen: Set<String> = []
        return lists.joined().filter { reference in
            seen.insert([reference.kind.rawValue, reference.project.lowercased(), reference.name?.lowercased() ?? ""]
                .joined(separator: "|")).inserted
        }
    }
}

extension AgentExpansion {
    /// The context of a pipeline named directly as a subject: its YAML's cross-project constructs and, when the
    /// YAML is an ado-aw lock whose source is in the same repository, the agent's tools and write connection.
    mutating func pipelineContext(_ definition: BuildDefinition) -> AgentContext? {
        // Definition ids are unique per project only.
        let key = "\(definition.projectId.lowercased())/\(definition.id)"
        if let known = pipelineContexts[key] {
            warnings += known.warnings
            return known.context
        }
        let before = warnings.count
        let context = scanPipelineContext(definition)
        pipelineContexts[key] = (context, Array(warnings[before...]))
        return context
    }

    private mutating func scanPipelineContext(_ definition: BuildDefinition) -> AgentContext? {
        guard definition.processType == .yaml, let yamlPath = definition.yamlFilename.map(OrgIndex.normalizePath),
            let project = index.project(id: definition.projectId),
            let repository = definition.repositoryId.flatMap(index.repository(id:))
        else { return nil }
        guard let text = index.file(project: project, repository: repository, path: yamlPath) else {
            return AgentContext(project: project.name, repository: repository.name, path: yamlPath, isLocalFile: false,
                                writeConnection: nil, tools: [], lockPath: yamlPath, lockAvailable: false,
                                definitionId: definition.id, isAgent: false)
        }
        let file = "\(project.name)/\(repository.name)/\(yamlPath)"
        let (facts, notes) = LockScanner.scan(text, file: file, project: project)
        warnings += notes
        var matter: FrontMatter?
        if let source = facts.source.map(OrgIndex.normalizePath),
            let markdown = index.file(project: project, repository: repository, path: source)
        {
            matter = try? FrontMatter.parse(markdown, file: "\(project.name)/\(repository.name)/\(source)")
        }
        guard let matter, let source = facts.source.map(OrgIndex.normalizePath),
            let markdown = index.file(project: project, repository: repository, path: source)
        else {
            return AgentContext(project: project.name, repository: repository.name, path: yamlPath, isLocalFile: false,
                                writeConnection: nil, tools: [], lockPath: yamlPath,
                                crossProjectReferences: facts.references, definitionId: definition.id, isAgent: false)
        }
        let uploads = matter.tools.contains { $0.name == "upload-pipeline-artifact" && !$0.strings("allowed-build-ids").isEmpty }
        let write = facts.executorUsesWriteToken == true ? (facts.writeConnection ?? matter.writeConnection) : nil
        var context = AgentContext(
            project: project.name, repository: repository.name, path: source, isLocalFile: false, writeConnection: write,
            tools: matter.tools.map(\.name), lockPath: yamlPath,
            crossProjectReferences: Self.merge(facts.references,
                                               Self.frontMatterReferences(matter, project: project, lockScanned: true)),
            crossBuildUpload: uploads, definitionId: definition.id, declaredWriteConnection: matter.writeConnection)
        context.sourceSha256 = sha256Hex(markdown)
        return context
    }
}
