import Foundation
import Plan
import Testing

func expand(_ text: String, state: OrgState = Contoso.state(), files: [String: String] = [:]) throws -> DesiredState {
    try ManifestExpander.expand(try Manifest.parse(text, file: "adoperm.yaml"), index: OrgIndex(state), localFiles: files)
}

@Suite struct ExpansionTests {
    @Test func xoperoRestoreCoversTheOrganizationAndEveryProject() throws {
        let bound = try bind("""
            version: 1
            requirements:
              - id: xopero-restore
                subject: { identity: backup@contoso.com }
                profile: xopero-restore
                scope: { projects: ["*"] }
            """)
        let summary = bound.checks.map { "\($0.resource.label): \($0.permissionNames.joined(separator: "|"))" }
        #expect(summary == [
            "organization contoso: CREATE_PROJECTS",
            "all processes: Edit|Create",
            "project OpenSource: GENERIC_READ", "project Payments: GENERIC_READ", "project Shared: GENERIC_READ",
            "all repositories of OpenSource: GenericRead|CreateBranch|CreateRepository",
            "all repositories of Payments: GenericRead|CreateBranch|CreateRepository",
            "all repositories of Shared: GenericRead|CreateBranch|CreateRepository",
        ])
        #expect(bound.checks.allSatisfy { $0.subject == .identity(Contoso.backup) && $0.reason == "xopero-restore" })
    }

    @Test func toolProfilesNeedTheirTarget() throws {
        let bound = try bind("""
            version: 1
            requirements:
              - id: reviewer
                subject: { pipeline: { project: Payments, name: payments-pr-reviewer } }
                profile: ado-aw-create-pull-request
                scope: { project: Payments, repository: payments-api }
              - id: queue
                subject: { serviceConnection: { project: Payments, name: ado-aw-write } }
                profile: ado-aw-queue-build
                scope: { project: Payments, definitions: [Deploy-Canary] }
            """)
        let p = Contoso.payments, r = Contoso.paymentsApi
        #expect(bound.checks.map(\.resource.token) == [
            "repoV2/\(p)/\(r)", "repoV2/\(p)/\(r)/refs/heads/6100670065006e007400/", "repoV2/\(p)/\(r)", "\(p)/Release/57",
        ])
        #expect(bound.checks.map(\.bits) == [16406, 20, 2, 128])
        let errors = bindErrors("""
            version: 1
            requirements:
              - id: queue
                subject: { identity: bob@contoso.com }
                profile: ado-aw-queue-buld
            """)
        #expect(errors == ["adoperm.yaml:5:14: error: unknown profile 'ado-aw-queue-buld' (did you mean ado-aw-queue-build?)"])
    }

    @Test func fromAgentWithoutWriteConnectionRunsAsThePipeline() throws {
        let desired = try expand("""
            version: 1
            requirements:
              - id: reviewer
                from-agent: { project: Payments, repository: payments-api, path: agents/pr-reviewer.md }
            """)
        let requirement = try #require(desired.requirements.first)
        #expect(requirement.subject == .pipeline(project: "Payments", name: "payments-pr-reviewer"))
        #expect(requirement.description == "Reviews PRs to payments-api and leaves inline comments")
        #expect(requirement.allow.map(\.reason) == ["ado-aw-add-pr-comment", "ado-aw-submit-pr-review", "ado-aw-resolve-pr-thread"])
        #expect(requirement.allow.allSatisfy {
            $0.resource == .git(project: "Payments", repository: "payments-api", branch: nil)
                && $0.permissions == ["GenericRead", "PullRequestContribute"]
        })
        let agent = try #require(requirement.agent)
        #expect(agent.writeConnection == nil && agent.lockAvailable && agent.crossProjectReferences.isEmpty)
        #expect(agent.definitionId == 12 && agent.lockPath == "agents/pr-reviewer.lock.yml")
    }

    @Test func fromAgentWithWriteConnectionRunsAsItsServicePrincipal() throws {
        let bound = try bind("""
            version: 1
            requirements:
              - id: triage
                from-agent: { project: Payments, repository: payments-api, path: agents/ops-triage.md }
            """)
        #expect(bound.checks.allSatisfy {
            $0.subject == .serviceConnection(endpointId: "5e000000-0000-4000-8000-000000000001", identity: Contoso.spn)
        })
        let css = "vstfs:///Classification/Node/"
        let ops = "\(css)\(Contoso.areaPaymentsRoot):\(css)\(Contoso.areaPaymentsOps)"
        #expect(bound.checks.map { "\($0.resource.token) \($0.bits)" } == [
            "\(ops) 48", "\(ops) 528", "\(css)\(Contoso.areaPaymentsRoot) 48", "\(Contoso.payments)/Release/57 128",
            "\(ops) 48",
        ])
        #expect(bound.checks.map(\.reason) == [
            "ado-aw-create-work-item", "ado-aw-comment-on-work-item", "ado-aw-update-work-item", "ado-aw-queue-build",
            "noop (Conclusion job work items)",
        ])
    }

    @Test func crossProjectConstructsAreFoundWithTheirPositions() throws {
        let desired = try expand("""
            version: 1
            requirements:
              - id: sdk-sync
                from-agent: { project: Payments, repository: payments-api, path: agents/sdk-sync.md }
            """)
        let requirement = try #require(desired.requirements.first)
        #expect(requirement.subject == .pipeline(project: "Payments", name: "sdk-sync"))
        let references = try #require(requirement.agent?.crossProjectReferences)
        #expect(references.map { "\($0.kind.rawValue) \($0.project)/\($0.name ?? "-") \($0.location?.description ?? "")" } == [
            "repository-resource Shared/payments-sdk Payments/payments-api/agents/sdk-sync.lock.yml:11:11",
            "pipeline-resource Shared/Payments-CI Payments/payments-api/agents/sdk-sync.lock.yml:16:14",
            "pipeline-artifact Shared/2560 Payments/payments-api/agents/sdk-sync.lock.yml:30:16",
            "wiki Shared/Shared.wiki Payments/payments-api/agents/sdk-sync.md:25:19",
        ])
        // create-pull-request targets self and the checked-out sdk repository; the wiki is in Shared.
        let targets = requirement.allow.map(\.resource)
        #expect(targets.contains(.git(project: "Shared", repository: "payments-sdk", branch: nil)))
        #expect(targets.contains(.git(project: "Payments", repository: "payments-api", branch: "agent")))
        #expect(targets.contains(.wiki(project: "Shared", name: "Shared.wiki")))
    }

    @Test func staleLockIsReportedAndTheJobIdentityEvaluated() throws {
        var state = Contoso.state()
        let key = "Payments/payments-api/agents/pr-reviewer.md"
        state.files[key] = state.files[key]!.replacingOccurrences(
            of: "  read: ado-aw-read            # Stage 1 only", with: "  read: ado-aw-read\n  write: ado-aw-write")
        let desired = try expand("""
            version: 1
            requirements:
              - id: reviewer
                from-agent: { project: Payments, repository: payments-api, path: agents/pr-reviewer.md }
            """, state: state)
        #expect(desired.requirements.first?.subject == .pipeline(project: "Payments", name: "payments-pr-reviewer"))
        #expect(desired.warnings.map(\.description) == [
            "Payments/payments-api/agents/pr-reviewer.md:12:10: warning: the front matter sets permissions.write but "
                + "the compiled lock's executor still uses System.AccessToken (stale lock: recompile with "
                + "`ado-aw compile agents/pr-reviewer.md`); evaluating the job identity"
        ])
    }

    @Test func localAgentFilesComeFromTheCaller() throws {
        let markdown = try Fixtures.text("contoso/files/Payments/payments-api/agents/ops-triage.md")
        let lock = try Fixtures.text("contoso/files/Payments/payments-api/agents/ops-triage.lock.yml")
        let desired = try expand("""
            version: 1
            requirements:
              - id: triage
                from-agent: { project: Payments, file: agents/ops-triage.md }
            """, files: ["agents/ops-triage.md": markdown, "agents/ops-triage.lock.yml": lock])
        let agent = try #require(desired.requirements.first?.agent)
        #expect(agent.isLocalFile && agent.writeConnection == "ado-aw-write" && agent.definitionId == 13)
        let missing = Result { try expand("""
            version: 1
            requirements:
              - id: triage
                from-agent: { project: Payments, file: agents/nope.md }
            """) }
        #expect(throws: DiagnosticError.self) { try missing.get() }
    }

    @Test func pipelineSubjectsCarryTheirAgentContext() throws {
        let desired = try expand("""
            version: 1
            requirements:
              - id: reviewer
                subject: { pipeline: { project: Payments, name: payments-pr-reviewer } }
                allow:
                  - git: { project: Payments, repository: payments-api }
                    permissions: [PullRequestContribute]
              - id: ci
                subject: { pipeline: { project: Payments, name: payments-ci } }
                allow:
                  - git: { project: Payments, repository: payments-api }
                    permissions: [GenericRead]
            """)
        let reviewer = try #require(desired.requirements[0].agent)
        #expect(reviewer.isAgent && reviewer.path == "agents/pr-reviewer.md" && reviewer.tools.count == 3)
        let ci = try #require(desired.requirements[1].agent)
        #expect(!ci.isAgent && ci.lockAvailable && ci.crossProjectReferences.isEmpty)
    }
}
