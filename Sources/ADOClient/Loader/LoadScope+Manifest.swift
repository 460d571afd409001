import Plan

extension LoadScope {
    /// What a parsed manifest names directly, before expansion: the projects of its subjects, resources, profile
    /// scopes, agents, settings and remediation connection; each agent's markdown and compiled lock; the YAML of
    /// pipelines named as subjects; organization namespaces when a profile or resource needs them. Cross-project
    /// references inside agent files are only known after expansion (see `OrgStateLoader.loadSnapshot(manifest:)`).
    public init(manifest: Manifest) {
        var builder = ScopeBuilder()
        for entry in manifest.entries {
            switch entry.body {
            case .explicit(let subject, let allow):
                builder.add(subject)
                for check in allow { builder.add(check) }
            case .profile(_, let subject, let scope, let allow):
                builder.add(subject)
                for check in allow { builder.add(check) }
                if let project = scope.project {
                    builder.addProject(project)
                } else if scope.allProjects {
                    builder.wildcard = true
                } else {
                    for project in scope.projects ?? [] { builder.addProject(project) }
                }
                // Profiles reach organization-level bits (Xopero: Create new projects, Process Create/Edit).
                builder.organizationLevel = true
            case .fromAgent(let source):
                builder.addProject(source.project)
                if let repository = source.repository, let path = source.path {
                    builder.files.append(FileRef(project: source.project, repository: repository, path: path))
                    builder.files.append(
                        FileRef(project: source.project, repository: repository, path: Self.lockPath(of: path))
                    )
                }
            }
        }
        for forbid in manifest.forbids {
            builder.add(forbid.subject)
            builder.add(forbid.check)
        }
        for setting in manifest.settings { builder.addProject(setting.project) }
        if let project = manifest.remediation.serviceConnectionProject { builder.addProject(project) }
        self = builder.scope
    }

    /// `agents/x.md` → `agents/x.lock.yml` (ado-aw's naming).
    public static func lockPath(of path: String) -> String {
        path.lowercased().hasSuffix(".md") ? String(path.dropLast(3)) + ".lock.yml" : path + ".lock.yml"
    }

    /// The part of `self` not covered by `loaded` (projects and files), or nil when nothing is missing.
    func missing(from loaded: Snapshot) -> LoadScope? {
        let loadedProjects = Set(
            loaded.projects.flatMap { project in
                [project["name"]?.stringValue, project["id"]?.stringValue].compactMap { $0?.lowercased() }
            }
        )
        var delta = self
        var changed = false
        switch projects {
        case .all:
            changed = true
        case .named(let names):
            let missing = names.filter { !loadedProjects.contains($0.lowercased()) }
            delta.projects = .named(missing)
            changed = !missing.isEmpty
        }
        let loadedFiles = Set(loaded.files.keys.map { $0.lowercased() })
        delta.files = files.filter { file in
            !loadedFiles.contains("\(file.project)/\(file.repository)/\(file.path)".lowercased())
        }
        changed = changed || !delta.files.isEmpty
        return changed ? delta : nil
    }
}

/// Collects what a manifest or desired state touches.
struct ScopeBuilder {
    var projects: [String] = []
    var wildcard = false
    var organizationLevel = false
    var extra: [LoadScope.ExtraACL] = []
    var files: [LoadScope.FileRef] = []
    var definitions: [LoadScope.DefinitionRef] = []
    var subjects: [LoadScope.SubjectKey] = []
    // What the arrays hold, for constant-time checks: with 10,000 requirements the linear `contains` calls were
    // quadratic (a tenth of a plan's CPU).
    private var projectKeys: Set<String> = []
    private var definitionSet: Set<LoadScope.DefinitionRef> = []
    private var subjectSet: Set<LoadScope.SubjectKey> = []
    private var extraSet: Set<LoadScope.ExtraACL> = []

    mutating func addProject(_ name: String) {
        if name == "*" {
            wildcard = true
        } else if projectKeys.insert(name.lowercased()).inserted {
            projects.append(name)
        }
    }

    mutating func add(_ subject: SubjectRef) {
        switch subject {
        case .pipeline(let project, let name):
            addProject(project)
            let ref = LoadScope.DefinitionRef(project: project, definition: name)
            if definitionSet.insert(ref).inserted { definitions.append(ref) }
        case .serviceConnection(let project, _): addProject(project)
        case .identity(let name), .group(let name):
            if subjectSet.insert(.name(name)).inserted { subjects.append(.name(name)) }
        case .descriptor(let text):
            let key = LoadScope.SubjectKey.descriptor(IdentityDescriptor(text))
            if subjectSet.insert(key).inserted { subjects.append(key) }
        }
    }

    mutating func add(_ check: PermissionCheck) {
        if let subject = check.subject { add(subject) }
        add(check.resource)
    }

    mutating func add(_ resource: ResourceRef) {
        switch resource {
        case .git(let project, _, _), .build(let project, _), .area(let project, _), .wiki(let project, _):
            addProject(project)
        case .project(let name): addProject(name)
        case .organization, .process: organizationLevel = true
        case .raw(let namespaceId, let token):
            let acl = LoadScope.ExtraACL(namespaceId: namespaceId, token: token)
            if extraSet.insert(acl).inserted { extra.append(acl) }
        }
    }

    var scope: LoadScope {
        var uniqueFiles: [LoadScope.FileRef] = []
        var seen: Set<LoadScope.FileRef> = []
        for file in files where seen.insert(file).inserted { uniqueFiles.append(file) }
        return LoadScope(
            projects: wildcard ? .all : .named(projects),
            organizationNamespaces: organizationLevel,
            extraACLs: extra,
            files: uniqueFiles,
            pipelineFiles: definitions.isEmpty ? .none : .definitions(definitions),
            subjects: subjects
        )
    }
}
