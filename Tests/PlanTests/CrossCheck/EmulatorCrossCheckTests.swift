import ADOClient
import EmulatorSupport
import Foundation
import Plan
import PropertyBased
import Synchronization
import Testing

/// The planner's evaluator against the emulator's (written separately, DESIGN.md "Two evaluators"): for random
/// variants of the example organization — random Allow/Deny of Read and PullRequestContribute for the build
/// services and Payments groups on the repository, project and root Git tokens, random inheritance, random job
/// authorization settings — the pipeline's real call (a PR thread from `payments-pr-reviewer`'s job token) must
/// succeed exactly when the planner says its job identity holds the bits.
@Suite struct EmulatorCrossCheckTests {
    static let payments = "a6845a01-3c2b-4d5e-8f70-1a2b3c4d5e6f"
    static let repository = "9c76eef0-cc15-557d-ac6d-418753d92a5d"
    static let git = NamespaceID.git
    static let descriptors = [
        EmulatorSupport.Fixtures.Contoso.collectionBuildService,
        EmulatorSupport.Fixtures.Contoso.buildService(scope: payments),
        "Microsoft.TeamFoundation.Identity;S-1-9-1551374245-2714720318-2728854982-3120689556-263038626-0-0-0-0-3",
        "Microsoft.TeamFoundation.Identity;S-1-9-1551374245-2636307096-1438794421-2224517813-1552931048-0-0-0-1-1",
    ]
    static let tokens = ["repoV2", "repoV2/\(payments)", "repoV2/\(payments)/\(repository)"]

    /// One random variant: per (token, descriptor) an allow and a deny mask over bits 2 and 16384, per token an
    /// inheritance flag, and the two job-scope settings.
    struct Variant: CustomStringConvertible {
        var seeds: [Int]
        var description: String { "Variant(\(seeds))" }

        func edit(_ snapshot: inout [String: Any]) {
            var values = seeds.makeIterator()
            func next(_ bound: Int) -> Int { Int((values.next() ?? 0).magnitude % UInt(bound)) }
            let masks = [0, 2, 16384, 16386]
            var acls = snapshot["acls"] as? [String: Any] ?? [:]
            var git = acls[EmulatorCrossCheckTests.git] as? [[String: Any]] ?? []
            for token in EmulatorCrossCheckTests.tokens {
                var index = git.firstIndex { ($0["token"] as? String) == token }
                if index == nil {
                    git.append(["token": token, "inheritPermissions": true, "acesDictionary": [String: Any]()])
                    index = git.count - 1
                }
                var entry = git[index!]
                var aces = entry["acesDictionary"] as? [String: Any] ?? [:]
                for descriptor in EmulatorCrossCheckTests.descriptors where next(3) > 0 {
                    let allow = masks[next(4)]
                    let deny = masks[next(4)] & (next(2) == 0 ? 0 : 16386)
                    if allow == 0 && deny == 0 {
                        aces.removeValue(forKey: descriptor)
                    } else {
                        aces[descriptor] = ["descriptor": descriptor, "allow": allow, "deny": deny]
                    }
                }
                entry["acesDictionary"] = aces
                if token != "repoV2" { entry["inheritPermissions"] = next(6) > 0 }
                git[index!] = entry
            }
            acls[EmulatorCrossCheckTests.git] = git
            snapshot["acls"] = acls
            var settings = snapshot["pipelineSettings"] as? [String: Any] ?? [:]
            var organization = settings["organization"] as? [String: Any] ?? [:]
            organization["enforceJobAuthScope"] = next(5) == 0
            settings["organization"] = organization
            var projects = settings["projects"] as? [String: Any] ?? [:]
            var project = projects[EmulatorCrossCheckTests.payments] as? [String: Any] ?? [:]
            project["enforceJobAuthScope"] = next(3) == 0
            projects[EmulatorCrossCheckTests.payments] = project
            settings["projects"] = projects
            snapshot["pipelineSettings"] = settings
        }
    }

    @Test func plannerAndEmulatorAgreeOnThePipelinesCall() async throws {
        let outcomes = Mutex<Set<Int>>([])
        await propertyCheck(count: 40, input: Gen.int(in: 0...1_000_000).array(of: 60).map { Variant(seeds: $0) }) { variant in
            do {
                let data = try EmulatorSupport.Fixtures.contosoSnapshot(editing: variant.edit)
                let state = try OrgState(snapshotData: data)
                let index = OrgIndex(state)
                let definition = try #require(index.definition(id: 12))
                let job = JobIdentity.of(definition, in: index)
                let evaluator = Evaluator(index: index)
                let canSeeProject = evaluator.evaluate(
                    namespaceId: NamespaceID.project, token: Tokens.project(Self.payments), subject: job.descriptor, bits: 1,
                    explain: false).isSatisfied
                let repoToken = Tokens.gitRepository(projectId: Self.payments, repositoryId: Self.repository)
                let git = evaluator.evaluate(namespaceId: Self.git, token: repoToken, subject: job.descriptor,
                                             bits: 16386, explain: false)
                let expected = !canSeeProject || git.allowed & 2 == 0 ? 404 : git.allowed & 16384 == 0 ? 403 : 200
                let status = try await withEmulator(snapshotData: data) { emulator in
                    let minted = try await emulator.mintPipelineToken(definitionId: 12)
                    #expect(minted.identity.lowercased() == job.descriptor.key, "job identity \(variant)")
                    let body = try TestHTTP.json(["comments": [["content": "review", "commentType": 1]], "status": 1])
                    let response = try await emulator.http.send(
                        "POST",
                        "/contoso/Payments/_apis/git/repositories/\(Self.repository)/pullRequests/7/threads?api-version=7.1",
                        bearer: minted.token, body: body)
                    return response.status
                }
                outcomes.withLock { $0.insert(status) }
                #expect(status == expected, "planner says \(expected), emulator answered \(status) for \(variant)")
            } catch {
                Issue.record("\(variant): \(error)")
            }
        }
        // The generator must reach every verdict, or the agreement says little.
        #expect(outcomes.withLock { $0 } == [200, 403, 404])
    }
}
