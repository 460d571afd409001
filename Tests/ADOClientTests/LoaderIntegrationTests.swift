import EmulatorSupport
import Foundation
import Plan
import Testing

@testable import ADOClient

@Suite struct LoaderIntegrationTests {
    /// The round trip: a snapshot of the emulator serving the example equals the example, modulo ordering
    /// and `capturedAt`.
    @Test func snapshotAllRoundTripsTheExample() async throws {
        let input = try Snapshot.decode(try Fixtures.contosoSnapshot())
        try await withEmulator { emulator in
            let client = try EmulatorClient.make(emulator)
            var captured = try await OrgStateLoader(client: client).loadSnapshot(.all)
            captured.capturedAt = input.capturedAt
            // The emulator rewrites the organization's service URLs (dev.azure.com, vssps, vsaex, vsrm) to itself so
            // links lead back to it; the example as served is the example with that rewrite applied.
            let expected = try Snapshot.decode(
                JSONWriter.data(EmulatedURLs.rewrite(input.json, to: emulator.organizationURL.absoluteString))
            )
            .canonicalized()
            let members = [
                "organization", "securityNamespaces", "identities", "memberships", "graph", "projects", "repositories",
                "wikis", "buildDefinitions", "pipelineSettings", "serviceEndpoints", "areas", "acls", "files",
            ]
            for member in members {
                let got = captured.json[member] ?? .null
                let want = expected.json[member] ?? .null
                #expect(
                    got == want,
                    "member \(member) differs:\n got \(JSONWriter.string(got).prefix(1500))\nwant \(JSONWriter.string(want).prefix(1500))"
                )
            }
            #expect(captured.encoded() == expected.encoded())
            print(
                "snapshot --all of the example: \(client.log.summary)\n"
                    + client.log.summary.routeLines.joined(separator: "\n")
            )
        }
    }

    @Test func liveStateEqualsTheSnapshotsState() async throws {
        var expected = try OrgState(snapshotData: try Fixtures.contosoSnapshot())
        try await withEmulator { emulator in
            let client = try EmulatorClient.make(emulator)
            let live = try await OrgStateLoader(client: client).load(.all)
            expected.organization.url = emulator.organizationURL.absoluteString
            #expect(live == expected)
        }
    }

    /// A manifest that touches one repository: the PR reviewer pipeline on payments-api.
    static let oneRepository = DesiredState(
        organization: nil,
        requirements: [
            Requirement(
                id: "pr-reviewer",
                subject: .pipeline(project: "Payments", name: "payments-pr-reviewer"),
                allow: [
                    PermissionCheck(
                        resource: .git(project: "Payments", repository: "payments-api", branch: nil),
                        permissions: ["GenericRead", "PullRequestContribute"]
                    )
                ]
            )
        ],
        manifestSha256: "test"
    )

    /// A manifest that touches every repository of every project.
    static let allRepositories = DesiredState(
        organization: nil,
        requirements: ["Payments", "Shared", "OpenSource"].map { project in
            Requirement(
                id: "read-\(project)",
                subject: .group("[\(project)]\\Readers"),
                allow: [
                    PermissionCheck(
                        resource: .git(project: project, repository: nil, branch: nil),
                        permissions: ["GenericRead"]
                    )
                ]
            )
        },
        manifestSha256: "test"
    )

    @Test func oneRepositoryScopeReadsOneRecursiveACLPerNamespaceOfItsProject() async throws {
        try await withEmulator { emulator in
            let client = try EmulatorClient.make(emulator)
            let state = try await OrgStateLoader(client: client).load(LoadScope(desired: Self.oneRepository))
            let records = client.log.records
            let aclQueries = records.filter { $0.route == "_apis/accesscontrollists/{namespaceId}" }
            // Root tokens (repoV2, $PROJECT) + Git, Build, Project, ServiceEndpoints and CSS for Payments.
            #expect(aclQueries.count == 7)
            #expect(records.allSatisfy { ($0.status ?? 0) < 400 })
            #expect(state.projects.map(\.name) == ["Payments"])
            #expect(state.repositories.allSatisfy { $0.projectId == Fixtures.Contoso.paymentsProjectId })
            // The pipeline's YAML (an ado-aw lock) and its source markdown were read.
            #expect(
                state.files.keys.sorted() == [
                    "Payments/payments-api/agents/pr-reviewer.lock.yml", "Payments/payments-api/agents/pr-reviewer.md",
                ]
            )
            // The seed deny and everything needed to evaluate the collection build service are present.
            let build = IdentityDescriptor(Fixtures.Contoso.collectionBuildService)
            #expect(state.acls.contains { $0.entries[build]?.deny == 16404 })
            #expect(state.identities.contains { $0.descriptor == build })
            let containers = Set(state.memberships.filter { $0.member == build }.map(\.container))
            #expect(!containers.isEmpty)
            #expect(containers.allSatisfy { container in state.identities.contains { $0.descriptor == container } })
            #expect(state.organization.collectionId == Fixtures.Contoso.collectionId)
            #expect(state.organization.hostId == Fixtures.Contoso.hostId)
            print("one repository: \(client.log.summary)\n" + client.log.summary.routeLines.joined(separator: "\n"))
        }
    }

    /// A scoped snapshot is a complete organization of its own: the emulator serves it, and loading the same scope
    /// from it gives the same state.
    @Test func scopedSnapshotIsServableAndStable() async throws {
        let scope = LoadScope(desired: Self.oneRepository)
        let (snapshot, state) = try await withEmulator { emulator in
            let loader = OrgStateLoader(client: try EmulatorClient.make(emulator))
            let snapshot = try await loader.loadSnapshot(scope)
            return (snapshot, try OrgState(snapshot: snapshot))
        }
        // adoperm never writes credentials; give the emulator the example's fixture credentials back.
        var served = snapshot.json.objectValue ?? [:]
        let loaded = Set(snapshot.identities.compactMap { $0["descriptor"]?.stringValue?.lowercased() })
        let credentials = try JSONParser.parse(try Fixtures.contosoSnapshot())["credentials"]?.arrayValue ?? []
        served["credentials"] = .array(credentials.filter { loaded.contains($0["identity"]?.stringValue?.lowercased() ?? "") })
        try await withEmulator(snapshotData: JSONWriter.data(.object(served))) { emulator in
            var again = try await OrgStateLoader(client: try EmulatorClient.make(emulator)).load(scope)
            again.organization.url = state.organization.url
            #expect(again == state)
        }
    }

    @Test func allRepositoriesScopeReadsEachProjectOnce() async throws {
        try await withEmulator { emulator in
            let client = try EmulatorClient.make(emulator)
            let state = try await OrgStateLoader(client: client).load(LoadScope(desired: Self.allRepositories))
            let aclQueries = client.log.records.filter { $0.route == "_apis/accesscontrollists/{namespaceId}" }
            // Naming every project costs what `.all` costs: one whole-namespace query per relevant namespace.
            #expect(aclQueries.count == 5)
            #expect(state.projects.count == 3)
            #expect(state.repositories.count == 7)
            #expect(state.identities.contains { $0.providerDisplayName == "[Shared]\\Readers" })
            print("all repositories: \(client.log.summary)\n" + client.log.summary.routeLines.joined(separator: "\n"))
        }
    }
}

/// The emulator's service-URL rewrite (ADOEmulator `RouteContext.rewriter`), applied to expected JSON.
enum EmulatedURLs {
    static let prefixes = [
        "https://dev.azure.com/contoso", "https://vssps.dev.azure.com/contoso",
        "https://vsaex.dev.azure.com/contoso", "https://vsrm.dev.azure.com/contoso",
    ]

    static func rewrite(_ value: JSONValue, to target: String) -> JSONValue {
        switch value {
        case .string(let text):
            for prefix in prefixes where text.lowercased().hasPrefix(prefix) {
                return .string(target + text.dropFirst(prefix.count))
            }
            return value
        case .array(let elements): return .array(elements.map { rewrite($0, to: target) })
        case .object(let members): return .object(members.mapValues { rewrite($0, to: target) })
        default: return value
        }
    }
}
