/// Remedy 2: limit the job authorization scope so the pipeline runs as its project's build service. Only for a
/// pipeline whose job identity is the collection build service. YAML pipelines have no per-pipeline switch: the
/// change is the project setting (every pipeline of the project moves); classic definitions get the narrower
/// definition change. Cross-project constructs in the YAML need companion grants for the project identity in
/// the other project (reference/ado-aw.md §5).
extension Planner {
    mutating func jobScopeRemedy(_ gap: Gap) -> Remedy {
        func remedy(_ status: Remedy.Status, _ reason: String, _ radius: BlastRadius? = nil, _ changes: [Change] = [])
            -> Remedy
        {
            Remedy(rank: 2, kind: .jobScope, status: status, reason: reason, blastRadius: radius, changes: changes)
        }
        guard gap.subject.kind == .pipeline, let job = gap.subject.job, let definition = gap.subject.definition else {
            return remedy(.notApplicable, "The subject is \(gap.subject.label), not a pipeline's job identity.")
        }
        guard job.scope == .collection else {
            return remedy(.notApplicable, "Already project-scoped: \(job.reason.text), so the pipeline runs as "
                          + "\(job.displayName).")
        }
        guard let project = index.project(id: definition.projectId) else {
            return remedy(.blocked, "The pipeline's project is not in the organization state.")
        }
        let projectJob = JobIdentity.projectScoped(projectId: project.id, in: index, reason: .projectSetting)
        var changes: [Change] = []
        let radius: BlastRadius
        if definition.processType == .classic {
            changes.append(Change.definitionScope(definition, after: .project))
            radius = BlastRadius(scope: "definition", identities: 1, pipelines: 1)
        } else {
            let before = index.state.pipelineSettings.projects[project.id]?.enforceJobAuthScope ?? false
            changes.append(Change.projectSetting(projectId: project.id, project: project.name,
                                                 setting: "enforceJobAuthScope", before: before, after: true))
            let moving = index.definitions(inProject: project.id).count { jobIdentities[$0.id]?.scope == .collection }
            radius = BlastRadius(scope: "project", identities: 1, pipelines: moving)
        }
        let analysis = toggleAnalysis(definition, projectJob: projectJob, references: gap.check.agent?.crossProjectReferences ?? [])
        changes += analysis.changes
        var problems = analysis.problems
        let blocked = analysis.blocked
        let references = gap.check.agent?.crossProjectReferences ?? []
        let list = references.map { "\($0.kind.rawValue) \($0.project)/\($0.name ?? "?")" }.joined(separator: ", ")
        let companionCount = changes.count - 1
        if !references.isEmpty && companionCount > analysis.problems.count {
            problems.append("the YAML reaches other projects (\(list))")
        }
        let target = definition.processType == .classic
            ? "Set the classic definition's job authorization scope to the current project"
            : "Limit job authorization scope to the current project in \(project.name) (YAML pipelines have no "
                + "per-pipeline switch; \(radius.pipelines) pipelines move)"
        if !blocked.isEmpty {
            return remedy(.blocked, "\(target), but \(blocked.joined(separator: "; ")); lifting that is remedy 3's "
                          + "kind of change.", radius, changes)
        }
        if companionCount == 0 {
            let reach = references.isEmpty
                ? "its YAML reaches no other project"
                : "what its YAML reaches in other projects (\(list)) is already granted to it"
            return remedy(.viable, "\(target): the pipeline then runs as \(projectJob.displayName), which already holds "
                          + "\(joined(gap.check.bits, gap.namespace)) on \(gap.check.resource.label), and \(reach).",
                          radius, changes)
        }
        return remedy(.needsCompanion, "\(target), with \(companionCount) companion grant\(companionCount == 1 ? "" : "s") "
                      + "for \(projectJob.displayName): \(problems.joined(separator: "; ")).", radius, changes)
    }

    /// What the toggle needs for one pipeline, computed once per definition: the project identity must hold the
    /// bits of every check of the pipeline (the toggle changes the identity of all of them) and whatever the YAML
    /// reaches in other projects.
    struct ToggleAnalysis {
        var changes: [Change]
        var problems: [String]
        var blocked: [String]
    }

    mutating func toggleAnalysis(
        _ definition: BuildDefinition,
        projectJob: JobIdentity,
        references: [CrossProjectReference]
    ) -> ToggleAnalysis {
        if let known = toggleCache[definition.id] { return known }
        var edits = AceEdits()
        var simulated = evaluator
        var problems: [String] = []
        var blocked: [String] = []
        var seen: Set<String> = []
        // Grants in the pipeline's own project on two or more repositories become one Allow on `repoV2/{project}`
        // for the project's own build service (how ADO grants it by default), instead of one ACE per repository.
        var ownRepositories: [(token: String, bits: Int, label: String)] = []
        let git = index.namespace(NamespaceID.git)
        for check in pipelineChecks[definition.id] ?? [] {
            guard let namespace = index.namespace(check.resource.namespaceId),
                seen.insert(namespace.id + "|" + check.resource.token + "|\(check.bits)").inserted
            else { continue }
            let own = simulated.evaluate(
                namespaceId: namespace.id, token: check.resource.token, subject: projectJob.descriptor, bits: check.bits)
            guard !own.isSatisfied else { continue }
            let lacking = joined(own.missing, namespace)
            if let deny = own.causes.first(where: { $0.kind != .notSet && !$0.inherited }) {
                blocked.append("\(projectJob.displayName) is denied \(lacking) on \(check.resource.label) "
                               + "(\(describe(deny, namespace)))")
            } else if namespace.id == NamespaceID.git, check.resource.projectId == definition.projectId,
                [.repository, .branch, .wiki].contains(check.resource.kind)
            {
                ownRepositories.append((check.resource.token, own.missing, check.resource.label))
            } else {
                let edit = allowEdit(simulated, namespace, check.resource.token, projectJob.descriptor, own.missing)
                edits.set(edit, namespace: namespace)
                simulated = simulated.applying([edit])
                problems.append("\(projectJob.displayName) lacks \(lacking) on \(check.resource.label)")
            }
        }
        if let git, !ownRepositories.isEmpty {
            let project = index.project(id: definition.projectId)?.name ?? definition.projectId
            if ownRepositories.count == 1, let only = ownRepositories.first {
                let edit = allowEdit(simulated, git, only.token, projectJob.descriptor, only.bits)
                edits.set(edit, namespace: git)
                simulated = simulated.applying([edit])
                problems.append("\(projectJob.displayName) lacks \(joined(only.bits, git)) on \(only.label)")
            } else {
                let bits = ownRepositories.reduce(0) { $0 | $1.bits }
                let edit = allowEdit(simulated, git, Tokens.gitProject(definition.projectId), projectJob.descriptor, bits)
                edits.set(edit, namespace: git)
                simulated = simulated.applying([edit])
                problems.append("\(projectJob.displayName) lacks \(joined(bits, git)) on \(ownRepositories.count) "
                                + "repositories of \(project) (granted once on all repositories of \(project))")
                for remaining in ownRepositories {
                    let after = simulated.evaluate(namespaceId: git.id, token: remaining.token,
                                                   subject: projectJob.descriptor, bits: remaining.bits, explain: false)
                    if after.missing != 0 {
                        blocked.append("an Allow on all repositories of \(project) does not reach \(remaining.label)")
                    }
                }
            }
        }
        let manual = companionGrants(references, identity: projectJob, edits: &edits, simulated: &simulated)
        var changes = edits.all.compactMap { edit in index.namespace(edit.namespaceId).map { change(for: edit, $0) } }
        changes += manual
        let analysis = ToggleAnalysis(changes: changes, problems: problems, blocked: blocked)
        toggleCache[definition.id] = analysis
        return analysis
    }

    /// Companion grants for the project-scoped identity: Git read of referenced repositories, Build view of
    /// pipelines whose artifacts or runs are read, Git read/contribute of wikis written, project read of every
    /// other project; manual steps for what ACLs cannot express (feeds, variable groups, unknown projects).
    mutating func companionGrants(
        _ references: [CrossProjectReference],
        identity: JobIdentity,
        edits: inout AceEdits,
        simulated: inout Evaluator
    ) -> [Change] {
        var manual: [Change] = []
        var readProjects: [String] = []
        func need(_ namespaceId: String, _ token: String, _ permissions: [String]) {
            guard let namespace = index.namespace(namespaceId) else { return }
            let bits = namespace.actions.filter { permissions.contains($0.name) }.reduce(0) { $0 | $1.bit }
            let current = simulated.evaluate(
                namespaceId: namespaceId, token: token, subject: identity.descriptor, bits: bits, explain: false)
            if current.missing != 0 {
                let edit = allowEdit(simulated, namespace, token, identity.descriptor, current.missing)
                edits.set(edit, namespace: namespace)
                simulated = simulated.applying([edit])
            }
        }
        for reference in references {
            guard let project = index.project(named: reference.project) else {
                manual.append(Change.manual("grant-in-other-project", [
                    "grant \(identity.displayName) access to \(reference.kind.rawValue) \(reference.name ?? "?") in "
                        + "project \(reference.project) (not in the organization state)"
                ]))
                continue
            }
            if !readProjects.contains(project.id) {
                readProjects.append(project.id)
                need(NamespaceID.project, Tokens.project(project.id), ["GENERIC_READ"])
            }
            switch reference.kind {
            case .repositoryResource, .inlineCheckout, .template:
                if let name = reference.name, let repository = index.repository(projectId: project.id, named: name) {
                    need(NamespaceID.git, Tokens.gitRepository(projectId: project.id, repositoryId: repository.id),
                         ["GenericRead"])
                } else {
                    need(NamespaceID.git, Tokens.gitProject(project.id), ["GenericRead"])
                }
            case .pipelineArtifact, .pipelineResource:
                let definition = reference.name.flatMap { name in
                    Int(name).flatMap(index.definition(id:)).flatMap { $0.projectId == project.id ? $0 : nil }
                        ?? index.definitions(projectId: project.id, named: name).first
                }
                let token = definition.map {
                    Tokens.build(projectId: project.id, folderPath: $0.path, definitionId: $0.id)
                } ?? Tokens.build(projectId: project.id)
                need(NamespaceID.build, token, ["ViewBuilds"])
            case .wiki:
                if let name = reference.name, let wiki = index.wiki(projectId: project.id, named: name) {
                    need(NamespaceID.git, Tokens.gitRepository(projectId: project.id, repositoryId: wiki.repositoryId),
                         ["GenericRead", "GenericContribute"])
                }
            case .feed:
                manual.append(Change.manual("feed-reader", [
                    "give \(identity.displayName) the Feed Reader role on feed \(reference.name ?? "?") in project "
                        + "\(project.name) (Artifacts → feed settings → Permissions)"
                ]))
            case .variableGroup:
                manual.append(Change.manual("variable-group", [
                    "share variable group \(reference.name ?? "?") of project \(project.name) with the pipeline's "
                        + "project and allow \(identity.displayName) to use it (Library → Security)"
                ]))
            }
        }
        return manual
    }
}
