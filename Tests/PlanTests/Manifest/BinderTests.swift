import Plan
import Testing

/// Parses, expands and binds `text` against the Contoso fixture (or `state`).
func bind(_ text: String, state: OrgState = Contoso.state(), files: [String: String] = [:]) throws -> BoundDesiredState {
    let index = OrgIndex(state)
    let manifest = try Manifest.parse(text, file: "adoperm.yaml")
    let desired = try ManifestExpander.expand(manifest, index: index, localFiles: files)
    return try Binder.bind(desired, to: index)
}

func bindErrors(_ text: String, state: OrgState = Contoso.state()) -> [String] {
    switch Result(catching: { try bind(text, state: state) }) {
    case .success: return []
    case .failure(let error): return (error as? DiagnosticError)?.diagnostics.map(\.description) ?? ["\(error)"]
    }
}

@Suite struct BinderTests {
    @Test func bindsTokensOfEveryResourceKind() throws {
        let bound = try bind("""
            version: 1
            requirements:
              - id: all
                subject: { pipeline: { project: Payments, name: payments-pr-reviewer } }
                allow:
                  - git: { project: Payments, repository: payments-api }
                    permissions: [GenericRead, pullrequestcontribute]
                  - git: { project: Payments, repository: payments-api, branch: release/1.0 }
                    permissions: [CreateBranch]
                  - git: { project: Payments }
                    permissions: [Contribute to pull requests]
                  - build: { project: Payments, definition: Deploy-Canary }
                    permissions: [QueueBuilds]
                  - build: { project: Payments, definition: "12" }
                    permissions: [ViewBuilds]
                  - area: { project: Payments, path: "Payments\\\\Ops" }
                    permissions: [WORK_ITEM_READ, WORK_ITEM_WRITE]
                  - area: { project: Payments, path: "Ops" }
                    permissions: [WORK_ITEM_READ]
                  - wiki: { project: Payments, name: Payments.wiki }
                    permissions: [GenericRead, GenericContribute]
                  - project: { name: payments }
                    permissions: [GENERIC_READ]
                  - organization: {}
                    permissions: [CREATE_PROJECTS]
                  - process: { name: "*" }
                    permissions: [Create, Edit]
                  - namespace: Tagging
                    token: "/\(Contoso.payments)"
                    permissions: [Create]
            """)
        let p = Contoso.payments
        #expect(bound.checks.map(\.resource.token) == [
            "repoV2/\(p)/\(Contoso.paymentsApi)",
            "repoV2/\(p)/\(Contoso.paymentsApi)/refs/heads/720065006c006500610073006500/31002e003000/",
            "repoV2/\(p)",
            "\(p)/Release/57",
            "\(p)/agents/12",
            "vstfs:///Classification/Node/\(Contoso.areaPaymentsRoot):vstfs:///Classification/Node/\(Contoso.areaPaymentsOps)",
            "vstfs:///Classification/Node/\(Contoso.areaPaymentsRoot):vstfs:///Classification/Node/\(Contoso.areaPaymentsOps)",
            "repoV2/\(p)/\(Contoso.paymentsWikiRepo)",
            "$PROJECT:vstfs:///Classification/TeamProject/\(p)",
            "NAMESPACE:",
            "$PROCESS",
            "/\(p)",
        ])
        #expect(bound.checks[0].bits == 16386)
        #expect(bound.checks[0].permissionNames == ["GenericRead", "PullRequestContribute"])
        #expect(bound.checks[2].bits == 16384)
        #expect(bound.checks[3].bits == 128)
        #expect(bound.checks[10].bits == 5)
        #expect(bound.checks[0].subject == .pipeline(definitionId: 12, projectId: p))
    }

    @Test func unknownNamesAreOneLineEachWithSuggestions() {
        let errors = bindErrors("""
            version: 1
            requirements:
              - id: a
                subject: { pipeline: { project: Payments, name: payments-pr-reviewr } }
                allow:
                  - git: { project: Payments, repository: payments-apj }
                    permissions: [GenericRead, PullRequestContribut]
                  - git: { project: Paymnts, repository: payments-api }
                    permissions: [GenericRead]
              - id: b
                subject: { identity: bob@contoso.co }
                allow:
                  - build: { project: Payments, definition: Deploy-Canry }
                    permissions: [QueueBuild]
                  - area: { project: Payments, path: "Payments\\\\Opps" }
                    permissions: [WORK_ITEM_READ]
            forbid:
              - id: c
                subject: { group: "[Payments]\\\\Reader" }
                wiki: { project: Payments, name: Payments.wik }
                permissions: [GenericContribute]
            remediation:
              serviceConnection: { project: Payments, name: ado-aw-writ }
            """)
        #expect(errors == [
            "adoperm.yaml:4:14: error: unknown pipeline 'payments-pr-reviewr' in project Payments (did you mean payments-pr-reviewer?)",
            "adoperm.yaml:6:47: error: unknown repository 'payments-apj' in project Payments (did you mean payments-api?)",
            "adoperm.yaml:7:36: error: unknown permission 'PullRequestContribut' in namespace Git Repositories (did you mean PullRequestContribute?)",
            "adoperm.yaml:8:25: error: unknown project 'Paymnts' (did you mean Payments?)",
            "adoperm.yaml:11:14: error: unknown identity 'bob@contoso.co' (did you mean bob@contoso.com?)",
            "adoperm.yaml:13:49: error: unknown pipeline 'Deploy-Canry' in project Payments (did you mean Deploy-Canary?)",
            "adoperm.yaml:14:23: error: unknown permission 'QueueBuild' in namespace Build (did you mean QueueBuilds?)",
            "adoperm.yaml:15:42: error: unknown area path 'Payments\\Opps' in project Payments (did you mean Payments\\Ops?)",
            "adoperm.yaml:19:14: error: unknown group '[Payments]\\Reader' (did you mean [Payments]\\Readers?)",
            "adoperm.yaml:20:38: error: unknown wiki 'Payments.wik' in project Payments (did you mean Payments.wiki?)",
            "adoperm.yaml:23:22: error: unknown service connection 'ado-aw-writ' in project Payments (did you mean ado-aw-write?)",
        ])
        #expect(errors.allSatisfy { !$0.contains("\n") })
    }

    @Test func permissionNamesComeFromTheLiveNamespace() throws {
        var state = Contoso.state()
        let git = state.namespaces.firstIndex { $0.id == NamespaceID.git }!
        state.namespaces[git].actions = state.namespaces[git].actions.map { action in
            var renamed = action
            if action.bit == 16384 { renamed.name = "PullRequestContribute2" }
            return renamed
        }
        let text = """
            version: 1
            requirements:
              - id: a
                subject: { identity: bob@contoso.com }
                allow:
                  - git: { project: Payments, repository: payments-api }
                    permissions: [PullRequestContribute]
            """
        #expect(bindErrors(text, state: state) == [
            "adoperm.yaml:7:23: error: unknown permission 'PullRequestContribute' in namespace Git Repositories (did you mean PullRequestContribute2?)"
        ])
        #expect(bindErrors(text).isEmpty)
    }
}
