import Foundation
import Plan

/// Manifests, journal changes and states for the drift comparison tests (on the Contoso fixture).
enum DriftFixture {
    static let at = "2026-11-24T00:00:00Z"
    static let later = "2026-11-24T01:00:00Z"
    static let repo = "repoV2/\(Contoso.payments)/\(Contoso.paymentsApi)"

    static let manifest = """
        version: 1
        organization: https://dev.azure.com/contoso
        requirements:
          - id: pr-reviewer
            description: Payments PR reviewer comments on PRs
            subject: { pipeline: { project: Payments, name: payments-pr-reviewer } }
            allow:
              - git: { project: Payments, repository: payments-api }
                permissions: [GenericRead, PullRequestContribute]
        forbid:
          - id: readers-no-push
            subject: { group: "[Payments]\\\\Readers" }
            git: { project: Payments, repository: payments-api }
            permissions: [GenericContribute, ForcePush]
        settings:
          - project: Shared
            limitJobAuthScope: true
        """

    /// The seed with its Deny lifted (what remedy 3 leaves behind).
    static var lifted: OrgState {
        var state = Contoso.state()
        state.removeACE(NamespaceID.git, repo, Contoso.collectionBuildService)
        return state
    }

    /// The journal change that lifted the seed's Deny, as `adoperm apply` records it.
    static func liftDeny(state: String = "verified", run: String = "20261124T000000Z-abcd") -> JournalChange {
        JournalChange(
            runId: run,
            change: "c-0123456789ab",
            journal: ".adoperm/journal/\(run).jsonl",
            state: state,
            target: .object([
                "kind": .string("ace"), "namespaceId": .string(NamespaceID.git),
                "namespace": .string("Git Repositories"),
                "token": .string(repo), "descriptor": .string(Contoso.collectionBuildService.rawValue),
            ]),
            before: .object(["allow": .int(0), "deny": .int(16404), "present": .bool(true)]),
            after: .object(["allow": .int(0), "deny": .int(0), "present": .bool(false)]),
            summary: "clear deny PullRequestContribute|CreateBranch|GenericContribute for Project Collection Build "
                + "Service (contoso) on Payments/payments-api"
        )
    }

    /// A journal change that set a project's pipeline setting.
    static func setting(_ projectId: String, _ name: String, before: Bool, after: Bool) -> JournalChange {
        JournalChange(
            runId: "20261124T000000Z-set1",
            change: "c-5e7715e7715e",
            journal: ".adoperm/journal/set.jsonl",
            state: "verified",
            target: .object([
                "kind": .string("pipeline-setting"), "scope": .string("project"), "projectId": .string(projectId),
                "setting": .string(name),
            ]),
            before: .object(["value": .bool(before)]),
            after: .object(["value": .bool(after)])
        )
    }

    static func detect(
        _ state: OrgState,
        manifest: String = manifest,
        journal: [JournalChange] = [],
        previous: DriftState? = nil,
        at: String = at
    ) throws -> (report: DriftReport, state: DriftState) {
        try DriftDetector.detect(
            manifest: manifest,
            file: "adoperm.yaml",
            state: state,
            journal: journal,
            previous: previous,
            checkedAt: at
        )
    }
}

extension DriftReport {
    func items(_ kind: DriftItem.Kind) -> [DriftItem] { items.filter { $0.kind == kind } }

    func check(_ kind: CheckRef.Kind, _ id: String) -> DriftCheck? {
        checks.first { $0.kind == kind && $0.id == id }
    }
}
