import Foundation
import Plan
import Testing

/// Prints how long planning a large organization takes. A benchmark, not a time assertion: it checks only that
/// the plan is right. By default 2,000 repositories and checks (so it does not starve the timing-sensitive
/// transport tests that run alongside); `ADOPERM_BENCHMARK=1` runs the 10,000-repository, 10,000-check size.
@Suite struct ScaleBenchmark {
    static func bigState(projects: Int, repositories: Int) -> OrgState {
        var state = Contoso.state()
        state.files = [:]
        let git = NamespaceID.git
        for p in 0..<projects {
            let projectId = String(format: "90000000-0000-4000-8000-%012d", p)
            state.projects.append(Project(id: projectId, name: "P\(p)"))
            state.buildDefinitions.append(BuildDefinition(
                id: 100_000 + p, name: "agent-\(p)", projectId: projectId, processType: .yaml,
                yamlFilename: "azure-pipelines.yml"))
            var entries: [IdentityDescriptor: AccessControlEntry] = [:]
            entries[Contoso.collectionBuildService] = AccessControlEntry(
                descriptor: Contoso.collectionBuildService, allow: 16502, deny: 0)
            state.acls.append(AccessControlList(namespaceId: git, token: "repoV2/\(projectId)", entries: entries))
            for r in 0..<repositories {
                let repositoryId = String(format: "91000000-0000-4000-8%03d-%012d", p % 1000, r)
                state.repositories.append(Repository(id: repositoryId, name: "repo-\(r)", projectId: projectId))
                if r % 10 == 0 {
                    state.acls.append(AccessControlList(
                        namespaceId: git, token: "repoV2/\(projectId)/\(repositoryId)",
                        entries: [Contoso.collectionBuildService: AccessControlEntry(
                            descriptor: Contoso.collectionBuildService, allow: 0, deny: 16384)]))
                }
            }
        }
        return state
    }

    static func manifest(projects: Int, repositories: Int) -> String {
        var text = "version: 1\nrequirements:\n"
        for p in 0..<projects {
            text += "  - id: agent-\(p)\n    subject: { pipeline: { project: P\(p), name: agent-\(p) } }\n    allow:\n"
            for r in 0..<repositories {
                text += "      - git: { project: P\(p), repository: repo-\(r) }\n        permissions: [PullRequestContribute]\n"
            }
        }
        return text + "remediation:\n  serviceConnection: { project: Payments, name: ado-aw-write }\n"
    }

    @Test func manyRepositoriesAndChecks() throws {
        let full = ProcessInfo.processInfo.environment["ADOPERM_BENCHMARK"] == "1"
        let (projects, repositories) = full ? (100, 100) : (40, 50)
        let clock = ContinuousClock()
        var timings: [(String, Duration)] = []
        func time<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
            let start = clock.now
            let result = try body()
            timings.append((name, clock.now - start))
            return result
        }
        let state = time("build state") { Self.bigState(projects: projects, repositories: repositories) }
        let text = Self.manifest(projects: projects, repositories: repositories)
        let manifest = try time("parse manifest") { try Manifest.parse(text, file: "big.yaml") }
        let index = time("index") { OrgIndex(state) }
        let desired = try time("expand") { try ManifestExpander.expand(manifest, index: index) }
        let bound = try time("bind") { try Binder.bind(desired, to: index) }
        let unsealed = time("plan") { Planner.makePlan(bound, index: index, createdAt: Scenario.createdAt) }
        let plan = time("seal") { unsealed.sealed() }
        let data = time("plan.json") { plan.fileData() }
        _ = time("verify") { PlanDocument.verify(data) }
        _ = time("render text") { TextRenderer.render(plan) }
        #expect(plan.summary.requirements == projects * repositories)
        #expect(plan.summary.gaps == projects * repositories / 10)
        let line = timings.map { "\($0.0) \($0.1.formatted(.units(allowed: [.milliseconds], width: .narrow)))" }
            .joined(separator: ", ")
        print("scale benchmark (\(projects * repositories) repositories, \(bound.checks.count) checks, "
              + "\(plan.summary.gaps) gaps, plan.json \(data.count / 1024) KiB): \(line)")
    }
}
