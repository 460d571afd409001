import Foundation
import Plan

/// The scenarios the issue lists, built on the Contoso fixture. Each is a manifest and a state; the golden tests
/// render them and the scenario tests assert the diagnosis and the ranking.
struct Scenario: Sendable {
    var name: String
    var manifest: String
    var state: OrgState

    static let createdAt = "2026-11-24T00:00:00Z"

    func plan() throws -> PlanDocument {
        try Planning.plan(manifest: manifest, file: "adoperm.yaml", state: state, createdAt: Self.createdAt)
    }

    static let repo = "repoV2/\(Contoso.payments)/\(Contoso.paymentsApi)"
    static let project = "repoV2/\(Contoso.payments)"

    static func reviewer(_ permissions: String = "[GenericRead, PullRequestContribute]", connection: Bool = true) -> String {
        """
        version: 1
        organization: https://dev.azure.com/contoso
        requirements:
          - id: pr-reviewer
            description: Payments PR reviewer comments on PRs
            subject: { pipeline: { project: Payments, name: payments-pr-reviewer } }
            allow:
              - git: { project: Payments, repository: payments-api }
                permissions: \(permissions)
        """ + (connection ? "\nremediation:\n  serviceConnection: { project: Payments, name: ado-aw-write }\n" : "\n")
    }

    /// The seed: the collection build service has an explicit Deny 16404 on payments-api.
    static var seed: Scenario { Scenario(name: "seed", manifest: reviewer(), state: Contoso.state()) }

    /// The Deny lives on `repoV2/{Payments}` instead of the repository.
    static var inheritedDeny: Scenario {
        var state = Contoso.state()
        state.removeACE(NamespaceID.git, repo, Contoso.collectionBuildService)
        state.setACE(NamespaceID.git, project, Contoso.collectionBuildService, allow: Contoso.contributorsGit & ~16384,
                     deny: 16384)
        return Scenario(name: "inherited-deny", manifest: reviewer(), state: state)
    }

    /// A Deny on `[Payments]\Project Valid Users` on the repository: it reaches the build services and the SPN.
    static var groupDeny: Scenario {
        var state = Contoso.state()
        state.removeACE(NamespaceID.git, repo, Contoso.collectionBuildService)
        state.setACE(NamespaceID.git, repo, Contoso.paymentsGroups.validUsers, deny: 16384)
        return Scenario(name: "group-deny", manifest: reviewer(), state: state)
    }

    /// The seed, and the project build service holds only Read on the project's repositories.
    static var projectIdentityLacks: Scenario {
        var state = Contoso.state()
        state.setACE(NamespaceID.git, project, Contoso.paymentsBuildService, allow: 2)
        return Scenario(name: "project-identity-lacks", manifest: reviewer(), state: state)
    }

    /// The sdk-sync agent (repository resource, pipeline resource and artifact in Shared, wiki in Shared) hits the
    /// seed's Deny when it opens pull requests on payments-api.
    static var crossProject: Scenario {
        Scenario(name: "cross-project", manifest: """
            version: 1
            requirements:
              - id: sdk-sync
                from-agent: { project: Payments, repository: payments-api, path: agents/sdk-sync.md }
            remediation:
              serviceConnection: { project: Payments, name: ado-aw-write }
            """, state: Contoso.state())
    }

    /// Shared enforces project scope; its docs bot runs as Shared Build Service, which is denied on payments-sdk.
    static var alreadyEnforced: Scenario {
        var state = Contoso.state()
        let sdk = "repoV2/\(Contoso.shared)/\(Contoso.paymentsSdk)"
        state.setACE(NamespaceID.git, sdk, Contoso.sharedBuildService, deny: 16384)
        return Scenario(name: "already-enforced", manifest: """
            version: 1
            requirements:
              - id: docs-bot
                subject: { pipeline: { project: Shared, name: shared-docs-bot } }
                allow:
                  - git: { project: Shared, repository: payments-sdk }
                    permissions: [PullRequestContribute]
            """, state: state)
    }

    /// The Xopero ONE restore account lacks Create new projects (TF50309) and the rest of its profile.
    static var xoperoRestore: Scenario {
        Scenario(name: "xopero-restore", manifest: """
            version: 1
            requirements:
              - id: xopero-restore
                subject: { identity: backup@contoso.com }
                profile: xopero-restore
                scope: { projects: [Payments] }
            """, state: Contoso.state())
    }

    /// A forbid rule Contributors break, and project settings.
    static var forbidAndSettings: Scenario {
        Scenario(name: "forbid-and-settings", manifest: """
            version: 1
            requirements: []
            forbid:
              - id: contributors-no-force-push
                subject: { group: "[Payments]\\\\Contributors" }
                git: { project: Payments, repository: payments-api }
                permissions: [ForcePush, GenericContribute]
            settings:
              - project: Payments
                limitJobAuthScope: true
                limitToReferencedRepos: false
              - project: Shared
                limitJobAuthScope: true
            """, state: Contoso.state())
    }

    static var all: [Scenario] {
        [seed, inheritedDeny, groupDeny, projectIdentityLacks, crossProject, alreadyEnforced, xoperoRestore,
         forbidAndSettings]
    }
}

extension PlanDocument {
    /// The first finding of a requirement with this status.
    func finding(_ requirement: String, _ status: Finding.Status = .gap) -> Finding? {
        findings.first { $0.requirement == requirement && $0.status == status }
    }
}

extension Finding {
    func remedy(_ kind: Remedy.Kind) -> Remedy? { remedies.first { $0.kind == kind } }
    var ranking: [String] { remedies.map { "\($0.rank) \($0.kind.rawValue) \($0.status.rawValue)\($0.recommended ? " *" : "")" } }
}
