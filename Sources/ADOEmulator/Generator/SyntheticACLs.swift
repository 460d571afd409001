/// The generated organization's ACLs: what every organization has (administrators everywhere, project groups and
/// both build services on each project) plus the situations a permission tool must explain — explicit denies on
/// build services at repository level, project-level denies every repository inherits, group denies on
/// Project Valid Users, repositories that stop inheritance, branch ACLs and explicit allows that change nothing.
struct SyntheticACLs {
    let layout: SyntheticLayout

    /// Read, Contribute, CreateBranch, CreateTag, ManageNote, PullRequestContribute (the example's 16502).
    static let contribute = 2 | 4 | 16 | 32 | 64 | 16384
    static let pullRequestContribute = 16384

    private typealias Entry = (descriptor: String, allow: Int, deny: Int)

    private var git: NamespaceCatalog.Definition { NamespaceCatalog.named("Git Repositories") }

    func document() -> JSON {
        var namespaces: [String: [(token: String, inherit: Bool, entries: [Entry])]] = [:]
        func acl(_ namespace: NamespaceCatalog.Definition, _ token: String, _ entries: [Entry], inherit: Bool = true) {
            namespaces[namespace.id, default: []].append((token, inherit, entries))
        }
        let pca = layout.descriptor(.administrators)
        let pcbs = layout.collectionBuildService
        acl(git, "repoV2", [(pca, git.allBits, 0)])
        for project in layout.projects {
            let p = project.index
            let bs = layout.buildService(project: p)
            var collectionEntry: Entry = (pcbs, Self.contribute, 0)
            var projectEntry: Entry = (bs, Self.contribute, 0)
            switch project.inheritedDeny {
            case .collection?:
                collectionEntry = (pcbs, Self.contribute & ~Self.pullRequestContribute, Self.pullRequestContribute)
            case .project?:
                projectEntry = (bs, Self.contribute & ~Self.pullRequestContribute, Self.pullRequestContribute)
            case nil: break
            }
            acl(
                git,
                "repoV2/\(project.id)",
                [
                    (layout.descriptor(project: p, .administrators), git.allBits, 0),
                    (layout.descriptor(project: p, .contributors), Self.contribute, 0),
                    (layout.descriptor(project: p, .readers), 2, 0), collectionEntry, projectEntry,
                ]
            )
            for repository in project.repositories {
                for (token, inherit, entries) in repositoryACLs(project, repository) {
                    acl(git, token, entries, inherit: inherit)
                }
            }
        }
        addProjectNamespaces(acl)
        var result = JSONObject()
        for (namespaceId, lists) in namespaces {
            let separator = NamespaceCatalog.all.first { $0.id == namespaceId }?.separator ?? "/"
            let sorted = lists.map { (key: Self.canonical($0.token, separator: separator), acl: $0) }
                .sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            result[namespaceId] = .array(sorted.map { Self.render($0.acl.token, $0.acl.inherit, $0.acl.entries) })
        }
        return .object(result)
    }

    private func repositoryACLs(_ project: SyntheticLayout.Project, _ repository: SyntheticLayout.Repository)
        -> [(String, Bool, [Entry])]
    {
        let p = project.index
        let token = "repoV2/\(project.id)/\(repository.id)"
        var result: [(String, Bool, [Entry])] = []
        var entries: [Entry] = []
        if repository.locked {
            // What turning inheritance off leaves: the inherited entries copied, minus both build services.
            entries += [
                (layout.descriptor(.administrators), git.allBits, 0),
                (layout.descriptor(project: p, .administrators), git.allBits, 0),
                (layout.descriptor(project: p, .contributors), Self.contribute, 0),
                (layout.descriptor(project: p, .readers), 2, 0),
            ]
        }
        if repository.denyCollectionBuildService { entries.append((layout.collectionBuildService, 0, 16404)) }
        if repository.denyProjectBuildService {
            entries.append((layout.buildService(project: p), 0, Self.pullRequestContribute))
        }
        if repository.denyValidUsers {
            entries.append((layout.descriptor(project: p, .validUsers), 0, Self.pullRequestContribute))
        }
        if repository.readersCreateBranches { entries.append((layout.descriptor(project: p, .readers), 2 | 16, 0)) }
        if !entries.isEmpty || repository.locked { result.append((token, !repository.locked, entries)) }
        if repository.protectsMain {
            result.append(
                (
                    "\(token)/refs/heads/\(GitTokens.encodeSegment("main"))", true,
                    [(layout.descriptor(project: p, .contributors), 0, 8), (layout.collectionBuildService, 4, 0)]
                )
            )
        }
        if repository.agentBranches {
            result.append(
                (
                    "\(token)/refs/heads/\(GitTokens.encodeSegment("agent"))", true,
                    [(layout.collectionBuildService, 16 | 4, 0), (layout.buildService(project: p), 16 | 4, 0)]
                )
            )
        }
        return result
    }

    private func addProjectNamespaces(
        _ acl: (NamespaceCatalog.Definition, String, [Entry], Bool) -> Void
    ) {
        let pca = layout.descriptor(.administrators)
        let pcbs = layout.collectionBuildService
        let projectNamespace = NamespaceCatalog.named("Project")
        let build = NamespaceCatalog.named("Build")
        let css = NamespaceCatalog.named("CSS")
        let endpoints = NamespaceCatalog.named("ServiceEndpoints")
        acl(projectNamespace, "$PROJECT", [(pca, projectNamespace.allBits, 0)], true)
        for project in layout.projects {
            let p = project.index
            let bs = layout.buildService(project: p)
            let admins = layout.descriptor(project: p, .administrators)
            let contributors = layout.descriptor(project: p, .contributors)
            acl(
                projectNamespace,
                "$PROJECT:vstfs:///Classification/TeamProject/\(project.id)",
                [
                    (admins, projectNamespace.allBits, 0), (contributors, 1 | 8 | 512, 0),
                    (layout.descriptor(project: p, .readers), 1 | 512, 0),
                    (layout.descriptor(project: p, .validUsers), 1, 0), (pcbs, 1, 0), (bs, 1, 0),
                ],
                true
            )
            acl(
                build,
                project.id,
                [
                    (pca, build.allBits, 0), (admins, build.allBits, 0),
                    (layout.descriptor(project: p, .buildAdministrators), build.allBits & ~16384, 0),
                    (contributors, 1 | 128 | 1024, 0), (bs, 1 | 128 | 1024, 0), (pcbs, 1 | 128 | 1024, 0),
                ],
                true
            )
            acl(
                css,
                "vstfs:///Classification/Node/\(project.areaId)",
                [
                    (pca, css.allBits, 0), (admins, css.allBits, 0), (contributors, 16 | 32 | 512, 0),
                    (pcbs, 16 | 32, 0), (bs, 16 | 32, 0),
                ],
                true
            )
            acl(
                endpoints,
                "endpoints/\(project.id)",
                [(pca, endpoints.allBits, 0), (admins, endpoints.allBits, 0)],
                true
            )
        }
        for pipeline in layout.pipelines where layout.choose.chance(0.05, "definition-acl", pipeline.id) {
            // Contributors may not queue this one (a definition-level deny under the project's allow).
            let project = layout.projects[pipeline.projectIndex]
            let folder = pipeline.path.split(separator: "\\").joined(separator: "/")
            let token = folder.isEmpty ? "\(project.id)/\(pipeline.id)" : "\(project.id)/\(folder)/\(pipeline.id)"
            acl(build, token, [(layout.descriptor(project: project.index, .contributors), 0, 128)], true)
        }
        let collection = NamespaceCatalog.named("Collection")
        acl(collection, "NAMESPACE:", [(pca, collection.allBits, 0), (layout.descriptor(.validUsers), 1, 0)], true)
        let process = NamespaceCatalog.named("Process")
        acl(process, "$PROCESS", [(pca, process.allBits, 0)], true)
        let buildAdministration = NamespaceCatalog.named("BuildAdministration")
        acl(buildAdministration, "BuildPrivileges", [(pca, buildAdministration.allBits, 0)], true)
    }

    /// Lower case without a trailing separator: the key the emulator sorts its dump by.
    static func canonical(_ token: String, separator: String) -> String {
        var key = token.lowercased()
        if let character = separator.first, separator != "\u{0}" {
            while key.count > 1, key.last == character { key.removeLast() }
        }
        return key
    }

    private static func render(_ token: String, _ inherit: Bool, _ entries: [Entry]) -> JSON {
        var aces = JSONObject()
        for entry in entries where entry.allow | entry.deny != 0 {
            aces[entry.descriptor] = [
                "descriptor": .string(entry.descriptor), "allow": .int(entry.allow & ~entry.deny),
                "deny": .int(entry.deny),
            ]
        }
        return [
            "inheritPermissions": .bool(inherit), "token": .string(token), "acesDictionary": .object(aces),
        ]
    }
}
