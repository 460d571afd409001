import Plan
import Testing

/// Parses `text` and returns the rendered diagnostics, or nil when it parsed.
func parseErrors(_ text: String, file: String = "adoperm.yaml") -> [String]? {
    switch Result(catching: { try Manifest.parse(text, file: file) }) {
    case .success: return nil
    case .failure(let error): return (error as? DiagnosticError)?.diagnostics.map(\.description) ?? ["\(error)"]
    }
}

@Suite struct ManifestParserTests {
    @Test func parsesTheContractExample() throws {
        let text = """
            version: 1
            organization: https://dev.azure.com/contoso
            requirements:
              - id: pr-reviewer
                description: Payments PR reviewer comments on PRs
                subject:
                  pipeline: { project: Payments, name: payments-pr-reviewer }
                allow:
                  - git: { project: Payments, repository: payments-api }
                    permissions: [GenericRead, PullRequestContribute]
                  - git: { project: Payments, repository: payments-api, branch: agent }
                    permissions: [CreateBranch]
                  - build: { project: Payments, definition: Deploy-Canary }
                    permissions: [QueueBuilds]
                  - area: { project: Payments, path: "Payments\\\\Ops" }
                    permissions: [WORK_ITEM_READ, WORK_ITEM_WRITE]
                  - wiki: { project: Payments, name: Payments.wiki }
                    permissions: [GenericRead, GenericContribute]
                  - project: { name: Payments }
                    permissions: [GENERIC_READ]
                  - organization: {}
                    permissions: [CREATE_PROJECTS]
                  - process: { name: "*" }
                    permissions: [Create, Edit]
                  - namespace: 2e9eb7ed-3c0a-47d4-87c1-0ffdd275fd87
                    token: "repoV2"
                    permissions: [ManageNote]
              - id: xopero-restore
                subject: { identity: backup@contoso.com }
                profile: xopero-restore
                scope: { projects: ["*"] }
              - id: triage-agent
                from-agent: { project: Payments, repository: payments-api, path: agents/triage.md }
            forbid:
              - id: readers-no-push
                subject: { group: "[Payments]\\\\Readers" }
                git: { project: Payments, repository: payments-api }
                permissions: [GenericContribute, ForcePush]
            settings:
              - project: Payments
                limitJobAuthScope: true
                limitJobAuthScopeForReleases: true
                limitToReferencedRepos: true
            remediation:
              serviceConnection: { project: Payments, name: ado-aw-write }
              exclude: []
            """
        let manifest = try Manifest.parse(text, file: "adoperm.yaml")
        #expect(manifest.organization == "https://dev.azure.com/contoso")
        #expect(manifest.entries.map(\.id) == ["pr-reviewer", "xopero-restore", "triage-agent"])
        guard case .explicit(let subject, let allow) = manifest.entries[0].body else {
            Issue.record("expected an explicit requirement")
            return
        }
        #expect(subject == .pipeline(project: "Payments", name: "payments-pr-reviewer"))
        #expect(allow.count == 9)
        #expect(allow[3].resource == .area(project: "Payments", path: "Payments\\Ops"))
        #expect(allow[8].resource == .raw(namespaceId: "2e9eb7ed-3c0a-47d4-87c1-0ffdd275fd87", token: "repoV2"))
        #expect(allow[0].location(of: "permissions[1]") == SourceLocation(file: "adoperm.yaml", line: 10, column: 36))
        guard case .profile(let name, _, let scope, _) = manifest.entries[1].body else {
            Issue.record("expected a profile requirement")
            return
        }
        #expect(name == "xopero-restore" && scope.allProjects)
        guard case .fromAgent(let source) = manifest.entries[2].body else {
            Issue.record("expected a from-agent requirement")
            return
        }
        #expect(source.path == "agents/triage.md" && source.repository == "payments-api")
        #expect(manifest.forbids.first?.subject == .group("[Payments]\\Readers"))
        #expect(manifest.settings.first?.values == [
            "enforceJobAuthScope": true, "enforceJobAuthScopeForReleases": true,
            "enforceReferencedRepoScopedToken": true,
        ])
        #expect(manifest.remediation.serviceConnectionName == "ado-aw-write")
        #expect(manifest.manifestSha256.count == 64)
    }

    @Test func brokenYAMLIsOneLineWithPosition() {
        let errors = parseErrors("version: 1\nrequirements:\n  - id: a\n    subject: { pipeline: [\n")
        #expect(errors?.count == 1)
        let line = errors?.first ?? ""
        #expect(line.hasPrefix("adoperm.yaml:5:1: error: invalid YAML"), "\(line)")
        #expect(!line.contains("\n"))
    }

    @Test func emptyManifestIsOneClearLine() {
        #expect(parseErrors("") == [
            "adoperm.yaml:1:1: error: the manifest is empty, expected `version: 1` and a `requirements:` list"
        ])
        #expect(parseErrors("# only a comment\n")?.count == 1)
    }

    @Test func unknownKeysAreErrorsWithSuggestions() {
        let errors = parseErrors("""
            version: 1
            requirments: []
            """)
        #expect(errors == [
            "adoperm.yaml:2:1: error: unknown key 'requirments' in the manifest, expected one of version, "
                + "organization, requirements, forbid, settings, remediation (did you mean requirements?)"
        ])
    }

    @Test func collectsEveryErrorOnePerLine() {
        let errors = parseErrors("""
            version: 2
            requirements:
              - id: a
                subject: { pipeline: { project: Payments } }
                allow:
                  - git: { project: Payments, repo: x }
                    permissions: [GenericRead]
              - id: a
                subject: { identity: bob@contoso.com }
                allow:
                  - organization: {}
                    permissions: []
            """) ?? []
        #expect(errors == [
            "adoperm.yaml:1:10: error: found version '2', expected 1 (the only manifest version)",
            "adoperm.yaml:4:26: error: 'pipeline' has no 'name', expected 'name:' with a name",
            "adoperm.yaml:6:35: error: unknown key 'repo' in 'git', expected one of project, repository, branch "
                + "(did you mean repository?)",
            "adoperm.yaml:8:5: error: duplicate requirement id 'a' (first at line 3), expected ids to be unique",
            "adoperm.yaml:12:22: error: found an empty 'permissions' list, expected at least one permission name",
        ])
        #expect(errors.allSatisfy { !$0.contains("\n") })
    }

    @Test func duplicateIdsAcrossRequirementsAndForbids() {
        let errors = parseErrors("""
            version: 1
            requirements:
              - id: same
                subject: { identity: bob@contoso.com }
                allow:
                  - organization: {}
                    permissions: [GENERIC_READ]
            forbid:
              - id: same
                subject: { identity: bob@contoso.com }
                organization: {}
                permissions: [CREATE_PROJECTS]
            """)
        #expect(errors == ["adoperm.yaml:9:5: error: duplicate requirement id 'same' (first at line 3), expected ids to be unique"])
    }

    @Test func subjectMustNameExactlyOneKind() {
        let errors = parseErrors("""
            version: 1
            requirements:
              - id: a
                subject: { identity: bob@contoso.com, group: "[Payments]\\\\Readers" }
                allow:
                  - organization: {}
                    permissions: [GENERIC_READ]
            """)
        #expect(errors == [
            "adoperm.yaml:4:14: error: found identity and group in 'subject', expected exactly one of pipeline, "
                + "serviceConnection, identity, descriptor, group"
        ])
    }

    @Test func unknownRemedyKindAndSettings() {
        let errors = parseErrors("""
            version: 1
            settings:
              - project: Payments
                limitJobAuthScop: true
            remediation:
              exclude: [lift-deni]
            """)
        #expect(errors?.count == 2)
        #expect(errors?[0].hasPrefix("adoperm.yaml:4:5: error: unknown key 'limitJobAuthScop' in a settings entry") == true)
        #expect(errors?[0].hasSuffix("(did you mean limitJobAuthScope?)") == true)
        #expect(errors?[1].hasPrefix("adoperm.yaml:6:13: error: unknown remedy kind 'lift-deni'") == true)
        #expect(errors?[1].hasSuffix("(did you mean lift-deny?)") == true)
        #expect(parseErrors("version: 1\nsettings:\n  - project: Payments\n") == [
            "adoperm.yaml:3:5: error: the settings entry sets nothing, expected one of "
                + "limitJobAuthScope, limitJobAuthScopeForReleases, limitToReferencedRepos"
        ])
    }
}
