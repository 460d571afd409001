import ADOClient
import EmulatorSupport
import Foundation
import Plan
import Synchronization
import Testing
import Yams

@testable import ADOEmulator

/// `ado-emulator generate`: determinism, counts, realism, and that the emulator serves the result unchanged.
@Suite("Synthetic organizations", .serialized)
struct GeneratorTests {
    static let spec = SyntheticOrgSpec(projects: 12, reposPerProject: 15, pipelines: 90, seed: 11)

    static let cache = Mutex<[SyntheticOrgSpec: SyntheticOrg]>([:])

    /// The org of `spec`, generated once per test run off the cooperative pool (see `offPool`), and its JSON.
    static func generated(_ spec: SyntheticOrgSpec = spec) async throws -> (org: SyntheticOrg, json: [String: Any]) {
        let org: SyntheticOrg
        if let cached = cache.withLock({ $0[spec] }) {
            org = cached
        } else {
            org = try await offPool { try SyntheticOrg.generate(spec) }
            cache.withLock { $0[spec] = org }
        }
        return try await offPool {
            (org, try #require(try JSONSerialization.jsonObject(with: org.snapshot) as? [String: Any]))
        }
    }

    @Test func theSameSeedGivesTheSameBytes() async throws {
        let first = try await offPool { try SyntheticOrg.generate(Self.spec) }
        let second = try await offPool { try SyntheticOrg.generate(Self.spec) }
        #expect(first.snapshot == second.snapshot && first.manifest == second.manifest)
        var other = Self.spec
        other.seed = 12
        let reseededSpec = other
        let reseeded = try await offPool { try SyntheticOrg.generate(reseededSpec) }
        #expect(reseeded.snapshot != first.snapshot)
    }

    @Test func countsMatchTheArguments() async throws {
        let (_, json) = try await Self.generated()
        #expect((json["projects"] as? [Any])?.count == 12)
        #expect((json["repositories"] as? [Any])?.count == 12 * 15)
        let definitions = try #require(json["buildDefinitions"] as? [[String: Any]])
        #expect(definitions.count == 90)
        #expect(Set(definitions.map { $0["id"] as! Int }).count == 90)
        let identities = try #require(json["identities"] as? [[String: Any]])
        let groups = identities.filter { $0["isContainer"] as? Bool == true }
        #expect(groups.count == 3 + 5 * 12)
        let buildServices = identities.filter {
            ($0["descriptor"] as? String)?.hasPrefix("Microsoft.TeamFoundation.ServiceIdentity;") == true
        }
        #expect(buildServices.count == 12 + 1)
        let graph = try #require(json["graph"] as? [String: [[String: Any]]])
        let endpoints = try #require(json["serviceEndpoints"] as? [[String: Any]])
        #expect(graph["servicePrincipals"]?.count == endpoints.count && endpoints.count == 12 + 4)
        // Every service connection names the application id of a graph service principal.
        let applications = Set(graph["servicePrincipals"]!.compactMap { $0["applicationId"] as? String })
        for endpoint in endpoints {
            let parameters = (endpoint["authorization"] as? [String: Any])?["parameters"] as? [String: Any]
            #expect(applications.contains(parameters?["serviceprincipalid"] as? String ?? ""))
        }
        let expected = 3 + 5 * 12 + 13 + 36 + 16  // groups, build services, users, service principals
        #expect(identities.count == expected)
    }

    @Test func theSecurityNamespacesAreTheExampleOrganizations() async throws {
        let example = try #require(
            try JSONSerialization.jsonObject(with: Fixtures.contosoSnapshot()) as? [String: Any]
        )
        let (_, json) = try await Self.generated()
        let canonical = { (value: Any) in try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys]) }
        #expect(try canonical(json["securityNamespaces"]!) == (try canonical(example["securityNamespaces"]!)))
    }

    @Test func itHoldsTheSituationsAPermissionToolMustExplain() async throws {
        let (org, json) = try await Self.generated(
            SyntheticOrgSpec(projects: 30, reposPerProject: 20, pipelines: 300, seed: 3)
        )
        let layout = SyntheticLayout(spec: SyntheticOrgSpec(projects: 30, reposPerProject: 20, pipelines: 300, seed: 3))
        let git = try #require((json["acls"] as? [String: [[String: Any]]])?[Fixtures.Contoso.gitNamespace])
        func entries(_ acl: [String: Any]) -> [[String: Any]] {
            ((acl["acesDictionary"] as? [String: [String: Any]]) ?? [:]).map(\.value)
        }
        let levels = Set(git.map { ($0["token"] as! String).split(separator: "/").count })
        #expect(levels == [1, 2, 3, 6])  // organization, project, repository, branch
        let denies = git.flatMap(entries).filter { ($0["deny"] as? Int ?? 0) != 0 }
        #expect(
            denies.contains {
                $0["descriptor"] as? String == layout.collectionBuildService && $0["deny"] as? Int == 16404
            }
        )
        #expect(
            denies.contains {
                ($0["descriptor"] as? String)?.contains(":Build:") == true && $0["deny"] as? Int == 16384
            }
        )
        let validUsers = Set(layout.projects.map { layout.descriptor(project: $0.index, .validUsers) })
        #expect(denies.contains { validUsers.contains($0["descriptor"] as? String ?? "") })
        #expect(git.contains { $0["inheritPermissions"] as? Bool == false })
        #expect(layout.projects.contains { $0.inheritedDeny != nil })
        let definitions = try #require(json["buildDefinitions"] as? [[String: Any]])
        let types = definitions.map { ($0["process"] as? [String: Any])?["type"] as? Int }
        #expect(types.contains(1) && types.contains(2))
        #expect(Set(definitions.map { $0["path"] as! String }).count > 2)
        let files = try #require(json["files"] as? [String: String])
        #expect(files.count == types.filter { $0 == 2 }.count)
        #expect(files.values.contains { $0.contains("resources:\n  repositories:") })
        let settings = try #require(
            (json["pipelineSettings"] as? [String: Any])?["projects"] as? [String: [String: Bool]]
        )
        let scoped = settings.values.map { $0["enforceJobAuthScope"] ?? false }
        #expect(scoped.contains(true) && scoped.contains(false))
        #expect(!org.manifest.isEmpty)
    }

    @Test func theEmulatorServesItAndDumpsTheSameBytes() async throws {
        let (org, _) = try await Self.generated()
        try await withEmulator(snapshotData: org.snapshot) { emulator in
            #expect(try await emulator.stateDump() == org.snapshot)
            let response = try await emulator.http.get(
                "/fabrikam/_apis/git/repositories?api-version=7.1",
                pat: SyntheticOrg.adminPAT
            )
            #expect(try response.values().count == 12 * 15)
        }
    }

    /// Whether each requirement's job identity holds the asked bits, by the emulator's own evaluator: a minted
    /// job token asks `_apis/permissions` for its repository.
    static func emulatorVerdicts(_ org: SyntheticOrg, _ json: [String: Any]) async throws -> [String: Bool] {
        let manifest = try #require(
            try Yams.load(yaml: String(decoding: org.manifest, as: UTF8.self)) as? [String: Any]
        )
        let requirements = try #require(manifest["requirements"] as? [[String: Any]])
        let definitions = try #require(json["buildDefinitions"] as? [[String: Any]])
        let repositories = try #require(json["repositories"] as? [[String: Any]])
        var verdicts: [String: Bool] = [:]
        try await withEmulator(snapshotData: org.snapshot) { emulator in
            for requirement in requirements {
                let pipeline = try #require(
                    (requirement["subject"] as? [String: Any])?["pipeline"] as? [String: String]
                )
                let definition = try #require(
                    definitions.first {
                        $0["name"] as? String == pipeline["name"]
                            && ($0["project"] as? [String: Any])?["name"] as? String == pipeline["project"]
                    }
                )
                let allow = try #require((requirement["allow"] as? [[String: Any]])?.first)
                let git = try #require(allow["git"] as? [String: String])
                let names = try #require(allow["permissions"] as? [String])
                let bits = names.reduce(0) {
                    $0 | ($1 == "GenericRead" ? 2 : $1 == "PullRequestContribute" ? 16384 : 0)
                }
                let repository = try #require(
                    repositories.first {
                        $0["name"] as? String == git["repository"]
                            && ($0["project"] as? [String: Any])?["name"] as? String == git["project"]
                    }
                )
                let projectId = (repository["project"] as! [String: Any])["id"] as! String
                let token = "repoV2/\(projectId)/\(repository["id"] as! String)"
                let job = try await emulator.mintPipelineToken(definitionId: definition["id"] as! Int)
                let answer = try await emulator.http.send(
                    "GET",
                    "/fabrikam/_apis/permissions/\(Fixtures.Contoso.gitNamespace)/\(bits)?tokens=\(token)&api-version=7.1",
                    bearer: job.token
                )
                let allowed = try #require(try answer.object()["value"] as? [Bool])
                verdicts[requirement["id"] as! String] = allowed == [true]
            }
        }
        return verdicts
    }

    /// The manifest parses as YAML with one requirement per pipeline naming pipelines and repositories that
    /// exist; adoperm's own parser, expander and binder take it without a diagnostic; its planner (an
    /// independent evaluator) and the emulator's evaluator agree on every requirement, and find both satisfied
    /// requirements and gaps.
    @Test func theManifestBindsAndThePlannerAgreesWithTheEmulator() async throws {
        let (org, json) = try await Self.generated()
        let manifest = try #require(
            try Yams.load(yaml: String(decoding: org.manifest, as: UTF8.self)) as? [String: Any]
        )
        #expect(manifest["version"] as? Int == 1)
        #expect(manifest["organization"] as? String == "https://dev.azure.com/fabrikam")
        let requirements = try #require(manifest["requirements"] as? [[String: Any]])
        #expect(requirements.count == 90)
        #expect(Set(requirements.map { $0["id"] as! String }).count == 90)
        let plan = try await offPool {
            try Planning.plan(
                manifest: String(decoding: org.manifest, as: UTF8.self),
                file: "big.yaml",
                state: try OrgState(snapshotData: org.snapshot),
                createdAt: "2026-12-01T00:00:00Z"
            )
        }
        #expect(plan.summary.unresolvable == 0)
        #expect(plan.summary.satisfied > 0 && plan.summary.gaps > 0)
        var planned: [String: Bool] = [:]
        for finding in plan.findings where finding.status == .satisfied || finding.status == .gap {
            planned[finding.requirement] = (planned[finding.requirement] ?? true) && finding.status == .satisfied
        }
        let verdicts = try await Self.emulatorVerdicts(org, json)
        #expect(verdicts.count == 90)
        #expect(verdicts.values.contains(true) && verdicts.values.contains(false))
        #expect(planned == verdicts)
    }

    @Test func moreRequirementsThanPipelinesReachFurtherRepositories() async throws {
        var spec = Self.spec
        spec.requirements = 300
        let larger = spec
        let generated = try await offPool { try SyntheticOrg.generate(larger) }
        let manifest = try #require(
            try Yams.load(yaml: String(decoding: generated.manifest, as: UTF8.self)) as? [String: Any]
        )
        let requirements = try #require(manifest["requirements"] as? [[String: Any]])
        #expect(requirements.count == 300)
        #expect(Set(requirements.map { $0["id"] as! String }).count == 300)
        let later = requirements.dropFirst(90).compactMap {
            ($0["allow"] as? [[String: Any]])?.first?["permissions"] as? [String]
        }
        #expect(later.allSatisfy { $0 == ["GenericRead"] })
    }

    @Test func badSpecsAreRefused() {
        #expect(throws: SyntheticOrgError(problem: "--projects must be at least 1")) {
            try SyntheticOrg.generate(SyntheticOrgSpec(projects: 0, reposPerProject: 1, pipelines: 1))
        }
        #expect(throws: SyntheticOrgError(problem: "--organization must be letters, digits and '-'")) {
            try SyntheticOrg.generate(
                SyntheticOrgSpec(projects: 1, reposPerProject: 1, pipelines: 1, organization: "a/b")
            )
        }
    }
}
