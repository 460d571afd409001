import ADOClient
import Foundation
import Plan
import Testing

/// The README's example: `examples/contoso/adoperm.yaml` against `examples/contoso/snapshot.json`, decoded with
/// the client's snapshot decoder (the same one `--snapshot` and the emulator path use).
enum Example {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("examples/contoso")

    static func state() throws -> OrgState {
        try OrgState(snapshotData: try Data(contentsOf: root.appendingPathComponent("snapshot.json")))
    }

    static func manifest() throws -> String {
        try String(contentsOf: root.appendingPathComponent("adoperm.yaml"), encoding: .utf8)
    }

    static func plan() throws -> PlanDocument {
        try Planning.plan(manifest: try manifest(), file: "examples/contoso/adoperm.yaml", state: try state(),
                          createdAt: Scenario.createdAt)
    }
}

@Suite struct ExampleTests {
    @Test func theSeedOnTheExampleOrganization() throws {
        let plan = try Example.plan()
        let finding = try #require(plan.finding("pr-reviewer"))
        #expect(finding.cause?.kind == "explicit-deny" && finding.missing == ["PullRequestContribute"])
        #expect(finding.ranking == ["1 service-connection viable *", "2 job-scope viable", "3 lift-deny viable"])
    }

    @Test func theXoperoRestoreAccountLacksCreateNewProjects() throws {
        let plan = try Example.plan()
        let finding = try #require(plan.findings.first { $0.requirement == "xopero-restore" && $0.missing == ["CREATE_PROJECTS"] })
        #expect(finding.remedy(.grant)?.recommended == true)
    }

    @Test func agentsOnTheExampleOrganization() throws {
        let plan = try Example.plan()
        // ops-triage writes through ado-aw-write: its service principal (a Payments reader) lacks the work-item
        // and queue bits; remedies 1 and 2 do not apply to a service principal.
        let triage = plan.findings.filter { $0.requirement == "ops-triage" && $0.status == .gap }
        #expect(!triage.isEmpty)
        #expect(triage.allSatisfy { $0.subject?.kind == "service-connection" })
        #expect(triage.contains { $0.namespace?.id == NamespaceID.build && $0.missing == ["QueueBuilds"] })
        // sdk-sync hits the seed's Deny; the toggle needs companion grants in Shared.
        let sync = try #require(plan.findings.first { $0.requirement == "sdk-sync" && $0.status == .gap })
        #expect(sync.remedy(.jobScope)?.status == .needsCompanion)
        #expect(plan.finding("readers-no-push", .satisfied) != nil)
    }

    @Test func examplePlanMatchesTheGoldenFiles() throws {
        let plan = try Example.plan()
        #expect(try Fixtures.matchesGolden(String(decoding: plan.fileData(), as: UTF8.self), "golden/examples-contoso.json"))
        #expect(try Fixtures.matchesGolden(TextRenderer.render(plan), "golden/examples-contoso.txt"))
        #expect(try Fixtures.matchesGolden(MarkdownRenderer.render(plan), "golden/examples-contoso.md"))
        #expect(try Example.plan().fileData() == plan.fileData())
    }
}
