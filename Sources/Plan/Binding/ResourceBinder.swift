/// Resources → (namespace, token) and permission names → bits.
extension Binder {
    /// The token ADO checks for `check.resource` and its live namespace. The namespace is returned even when a
    /// name in the resource does not resolve, so the permission names are still checked in the same run.
    mutating func bindResource(_ check: PermissionCheck) -> (ResolvedResource?, SecurityNamespace?) {
        let namespace: SecurityNamespace?
        switch check.resource {
        case .git, .wiki: namespace = liveNamespace(NamespaceID.git, "Git Repositories", check)
        case .build: namespace = liveNamespace(NamespaceID.build, "Build", check)
        case .area: namespace = liveNamespace(NamespaceID.css, "CSS", check)
        case .project: namespace = liveNamespace(NamespaceID.project, "Project", check)
        case .organization: namespace = liveNamespace(NamespaceID.collection, "Collection", check)
        case .process: namespace = liveNamespace(NamespaceID.process, "Process", check)
        case .raw(let reference, _):
            let lowered = reference.lowercased()
            namespace = index.namespace(lowered) ?? index.state.namespaces.first { $0.name.lowercased() == lowered }
            if namespace == nil {
                error("unknown security namespace '\(reference)'"
                      + nameHint(reference, index.state.namespaces.map(\.name)), at: check.location(of: "namespace"))
            }
        }
        guard let namespace else { return (nil, nil) }
        return (resolve(check, in: namespace), namespace)
    }

    private mutating func resolve(_ check: PermissionCheck, in namespace: SecurityNamespace) -> ResolvedResource? {
        switch check.resource {
        case .git(let projectName, let repositoryName, let branch):
            guard let project = bindProject(projectName, at: check.location(of: "project")) else { return nil }
            guard let repositoryName else {
                let resource = ResolvedResource(namespaceId: namespace.id, token: Tokens.gitProject(project.id),
                                                kind: .allRepositories, projectId: project.id,
                                                label: "all repositories of \(project.name)")
                return resource
            }
            guard let repository = bindRepository(repositoryName, in: project, at: check.location(of: "repository"))
            else { return nil }
            let label = "\(project.name)/\(repository.name)"
            if let branch {
                let token = Tokens.gitBranch(projectId: project.id, repositoryId: repository.id, branch: branch)
                return ResolvedResource(namespaceId: namespace.id, token: token, kind: .branch, projectId: project.id,
                                         label: "branch \(branch) of \(label)")
            }
            let token = Tokens.gitRepository(projectId: project.id, repositoryId: repository.id)
            return ResolvedResource(namespaceId: namespace.id, token: token, kind: .repository,
                                     projectId: project.id, label: label)
        case .build(let projectName, let definitionName):
            guard let project = bindProject(projectName, at: check.location(of: "project")) else { return nil }
            guard let definitionName else {
                return ResolvedResource(namespaceId: namespace.id, token: Tokens.build(projectId: project.id),
                                         kind: .allDefinitions, projectId: project.id,
                                         label: "all pipelines of \(project.name)")
            }
            guard let definition = bindDefinition(definitionName, in: project, at: check.location(of: "definition"))
            else { return nil }
            let token = Tokens.build(projectId: project.id, folderPath: definition.path, definitionId: definition.id)
            return ResolvedResource(namespaceId: namespace.id, token: token, kind: .definition, projectId: project.id,
                                     label: "pipeline \(project.name)/\(definition.name)")
        case .area(let projectName, let path):
            guard let project = bindProject(projectName, at: check.location(of: "project")) else { return nil }
            var full = path
            while full.hasPrefix("\\") { full.removeFirst() }
            full = Binder.normalizeGroup(full)
            if full.lowercased() != project.name.lowercased()
                && !full.lowercased().hasPrefix(project.name.lowercased() + "\\")
            {
                full = project.name + "\\" + full
            }
            guard let node = index.area(projectId: project.id, path: full) else {
                let paths = index.state.areas.filter { $0.projectId == project.id }.map(OrgIndex.areaPath(of:))
                error("unknown area path '\(path)' in project \(project.name)" + nameHint(full, paths),
                      at: check.location(of: "path"))
                return nil
            }
            let token = Tokens.css(chain: index.areaChain(node))
            return ResolvedResource(namespaceId: namespace.id, token: token, kind: .area, projectId: project.id,
                                     label: "area \(OrgIndex.areaPath(of: node))")
        case .wiki(let projectName, let name):
            guard let project = bindProject(projectName, at: check.location(of: "project")) else { return nil }
            guard let wiki = index.wiki(projectId: project.id, named: name) else {
                let names = index.state.wikis.filter { $0.projectId == project.id }.map(\.name)
                error("unknown wiki '\(name)' in project \(project.name)" + nameHint(name, names),
                      at: check.location(of: "name"))
                return nil
            }
            let token = Tokens.gitRepository(projectId: wiki.projectId, repositoryId: wiki.repositoryId)
            return ResolvedResource(namespaceId: namespace.id, token: token, kind: .wiki, projectId: project.id,
                                     label: "wiki \(project.name)/\(wiki.name)")
        case .project(let name):
            guard let project = bindProject(name, at: check.location(of: "name")) else { return nil }
            return ResolvedResource(namespaceId: namespace.id, token: Tokens.project(project.id), kind: .project,
                                     projectId: project.id, label: "project \(project.name)")
        case .organization:
            let token = index.acl(namespaceId: namespace.id, token: Tokens.collection)?.token ?? Tokens.collection
            return ResolvedResource(namespaceId: namespace.id, token: token, kind: .organization, projectId: nil,
                                     label: "organization \(index.state.organization.name)")
        case .process(let name):
            if name == "*" {
                return ResolvedResource(namespaceId: namespace.id, token: Tokens.processRoot, kind: .process,
                                         projectId: nil, label: "all processes")
            }
            guard let process = index.state.processes.first(where: { $0.name.lowercased() == name.lowercased() })
            else {
                let names = index.state.processes.map(\.name)
                let detail = names.isEmpty
                    ? ", expected \"*\" (the organization state lists no processes)" : nameHint(name, names)
                error("unknown process '\(name)'" + detail, at: check.location(of: "name"))
                return nil
            }
            let token = Tokens.process(typeId: process.typeId, parentTypeId: process.parentTypeId)
            return ResolvedResource(namespaceId: namespace.id, token: token, kind: .process, projectId: nil,
                                     label: "process \(process.name)")
        case .raw(_, let token):
            return ResolvedResource(namespaceId: namespace.id, token: token, kind: .raw, projectId: nil,
                                     label: "\(namespace.title) \(token)")
        }
    }

    mutating func bindRepository(_ name: String, in project: Project, at location: SourceLocation?) -> Repository? {
        guard let repository = index.repository(projectId: project.id, named: name) else {
            error("unknown repository '\(name)' in project \(project.name)"
                  + nameHint(name, index.repositoryNames(projectId: project.id)), at: location)
            return nil
        }
        if repository.isDisabled {
            warning("repository \(project.name)/\(repository.name) is disabled: every call on it fails with "
                    + "TF401019 whatever the permissions", at: location)
        }
        return repository
    }

    /// Action names → bits of the live namespace, in bit order. Names match case-insensitively, and display names
    /// (`Contribute to pull requests`) are accepted too.
    mutating func bindPermissions(_ check: PermissionCheck, in namespace: SecurityNamespace) -> ([String], Int)? {
        var bits = 0
        var failed = false
        for (offset, name) in check.permissions.enumerated() {
            let action = namespace.action(named: name)
                ?? namespace.actions.first { $0.displayName.lowercased() == name.lowercased() }
            guard let action else {
                failed = true
                error("unknown permission '\(name)' in namespace \(namespace.title)"
                      + nameHint(name, namespace.actions.map(\.name)),
                      at: check.location(of: "permissions[\(offset)]"))
                continue
            }
            bits |= action.bit
        }
        if failed { return nil }
        let names = namespace.actions.filter { bits & $0.bit != 0 }.sorted { $0.bit < $1.bit }.map(\.name)
        return (names, bits)
    }

    /// The live definition of a namespace adoperm needs; its absence from the state is an error, never a guess.
    mutating func liveNamespace(_ id: String, _ name: String, _ check: PermissionCheck) -> SecurityNamespace? {
        if let namespace = index.namespace(id) { return namespace }
        error("the organization state has no \(name) security namespace (\(id)), expected its live definition",
              at: check.location)
        return nil
    }
}
