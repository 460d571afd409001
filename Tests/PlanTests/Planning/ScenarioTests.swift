import Foundation
import Plan
import Testing

@Suite struct ScenarioTests {
    @Test func seedRecommendsTheServiceConnection() throws {
        let plan = try Scenario.seed.plan()
        let finding = try #require(plan.finding("pr-reviewer"))
        #expect(finding.missing == ["PullRequestContribute"] && finding.cause?.kind == "explicit-deny")
        #expect(finding.cause?.displayName == "Project Collection Build Service (contoso)")
        #expect(finding.ranking == ["1 service-connection viable *", "2 job-scope viable", "3 lift-deny viable"])
        let connection = try #require(finding.remedy(.serviceConnection))
        #expect(connection.changes.map(\.kind) == [.ace, .frontMatter, .manual])
        #expect(connection.changes[0].target["descriptor"]?.stringValue == Contoso.spn.rawValue)
        #expect(connection.changes[0].after == .object(["allow": .int(16384), "deny": .int(0)]))
        let toggle = try #require(finding.remedy(.jobScope))
        #expect(toggle.changes.map(\.kind) == [.pipelineSetting] && toggle.blastRadius?.pipelines == 5)
        let lift = try #require(finding.remedy(.liftDeny))
        #expect(lift.changes.first?.before == .object(["allow": .int(0), "deny": .int(16404)]))
        #expect(lift.changes.first?.after == .object(["allow": .int(0), "deny": .int(20)]))
        #expect(lift.blastRadius == BlastRadius(scope: "repository", identities: 1, pipelines: 5))
        #expect(plan.summary.gaps == 1 && plan.summary.changes == 3)
        #expect(plan.fingerprints.keys.sorted() == [
            "\(NamespaceID.git)|\(Scenario.repo)", "file|Payments/payments-api/agents/pr-reviewer.md",
            "settings|\(Contoso.payments)",
        ])
    }

    @Test func inheritedDenyRanksTheChildAllowFirst() throws {
        let finding = try #require(try Scenario.inheritedDeny.plan().finding("pr-reviewer"))
        #expect(finding.cause?.kind == "inherited-deny" && finding.cause?.token == Scenario.project)
        #expect(finding.ranking == [
            "1 service-connection viable *", "2 job-scope viable", "3 child-allow viable", "3 lift-deny viable",
        ])
        let child = try #require(finding.remedy(.childAllow))
        #expect(child.changes.first?.target["token"]?.stringValue == Scenario.repo)
        #expect(child.blastRadius?.scope == "repository")
        let lift = try #require(finding.remedy(.liftDeny))
        #expect(lift.changes.first?.target["token"]?.stringValue == Scenario.project)
        #expect(lift.blastRadius?.scope == "project")
    }

    @Test func groupDenyBlocksTheServiceConnection() throws {
        let finding = try #require(try Scenario.groupDeny.plan().finding("pr-reviewer"))
        #expect(finding.cause?.kind == "group-deny")
        #expect(finding.cause?.via == [
            "[contoso]\\Project Collection Build Service Accounts", "[Payments]\\Project Valid Users",
        ])
        #expect(finding.ranking == ["1 service-connection blocked", "2 job-scope blocked", "3 lift-deny viable *"])
        let connection = try #require(finding.remedy(.serviceConnection))
        #expect(connection.reason.contains("[Payments]\\Project Valid Users"))
        #expect(connection.reason.contains("reaches the service principal of ado-aw-write too"))
        let lift = try #require(finding.remedy(.liftDeny))
        #expect(lift.changes.first?.target["descriptor"]?.stringValue == Contoso.paymentsGroups.validUsers.rawValue)
        #expect((lift.blastRadius?.identities ?? 0) > 5)
    }

    @Test func projectIdentityLackingTheBitNeedsACompanion() throws {
        let finding = try #require(try Scenario.projectIdentityLacks.plan().finding("pr-reviewer"))
        let toggle = try #require(finding.remedy(.jobScope))
        #expect(toggle.status == .needsCompanion)
        #expect(toggle.changes.map(\.kind) == [.pipelineSetting, .ace])
        #expect(toggle.changes[1].target["descriptor"]?.stringValue == Contoso.paymentsBuildService.rawValue)
        // Read is inherited from repoV2/{Payments}; only the missing bit is added on the repository.
        #expect(toggle.changes[1].after == .object(["allow": .int(16384), "deny": .int(0)]))
        #expect(toggle.reason.contains("Payments Build Service (contoso) lacks GenericRead|PullRequestContribute") == false)
        #expect(toggle.reason.contains("lacks PullRequestContribute on Payments/payments-api"))
    }

    @Test func crossProjectRepositoryResourceListsTheCompanionGrants() throws {
        let plan = try Scenario.crossProject.plan()
        let finding = try #require(plan.findings.first {
            $0.status == .gap && $0.token == Scenario.repo && $0.origin == "ado-aw-create-pull-request"
        })
        #expect(finding.missing == ["GenericContribute", "CreateBranch", "PullRequestContribute"])
        let toggle = try #require(finding.remedy(.jobScope))
        #expect(toggle.status == .needsCompanion)
        let grants = toggle.changes.filter { $0.kind == .ace }.map(\.summary)
        // The toggle moves every check of the pipeline to the project identity: its pull requests on
        // payments-sdk and its wiki writes need grants in Shared, and so do the constructs of its YAML.
        #expect(grants == [
            "allow GenericRead|GenericContribute|CreateBranch|PullRequestContribute for Payments Build Service (contoso) on Shared/payments-sdk",
            "allow GenericRead|GenericContribute for Payments Build Service (contoso) on Shared/Shared.wiki",
            "allow GENERIC_READ for Payments Build Service (contoso) on project Shared",
            "allow ViewBuilds for Payments Build Service (contoso) on pipeline Shared/Payments-CI",
        ])
        #expect(toggle.reason.contains("repository-resource Shared/payments-sdk"))
    }

    @Test func alreadyEnforcedToggleIsNotApplicable() throws {
        let finding = try #require(try Scenario.alreadyEnforced.plan().finding("docs-bot"))
        #expect(finding.subject?.jobScope == "project" && finding.subject?.jobScopeReason == "project-setting")
        let toggle = try #require(finding.remedy(.jobScope))
        #expect(toggle.status == .notApplicable)
        #expect(toggle.reason.hasPrefix("Already project-scoped: the project limits job authorization scope"))
    }

    @Test func xoperoRestoreAccountMissingCreateNewProjects() throws {
        let plan = try Scenario.xoperoRestore.plan()
        let finding = try #require(plan.findings.first { $0.missing == ["CREATE_PROJECTS"] })
        #expect(finding.cause?.kind == "not-set" && finding.subject?.kind == "identity")
        #expect(finding.ranking == [
            "1 service-connection not-applicable", "2 job-scope not-applicable", "3 lift-deny not-applicable",
            "3 grant viable *",
        ])
        let grant = try #require(finding.remedy(.grant))
        #expect(grant.changes.first?.target["token"]?.stringValue == "NAMESPACE:")
        #expect(grant.changes.first?.after == .object(["allow": .int(4), "deny": .int(0)]))
        #expect(plan.summary.gaps == 4)
    }

    @Test func forbidRulesAndSettings() throws {
        let plan = try Scenario.forbidAndSettings.plan()
        let excess = try #require(plan.finding("contributors-no-force-push", .excess))
        #expect(excess.excess == ["GenericContribute"] && excess.grants?.first?.kind == "inherited-allow")
        #expect(excess.ranking == ["1 deny viable *", "2 revoke viable"])
        let setting = try #require(plan.finding("settings/Payments/limitJobAuthScope"))
        #expect(setting.setting?.actual == false && setting.setting?.desired == true)
        #expect(plan.finding("settings/Payments/limitToReferencedRepos", .satisfied) != nil)
        #expect(plan.finding("settings/Shared/limitJobAuthScope", .satisfied) != nil)
        // The setting's change is the same change (same id) remedy 2 proposes for the seed.
        let seedToggle = try #require(try Scenario.seed.plan().finding("pr-reviewer")?.remedy(.jobScope))
        #expect(setting.remedies.first?.changes.first?.id == seedToggle.changes.first?.id)
    }

    @Test func applyingTheRecommendedChangesClosesEveryGap() throws {
        for scenario in Scenario.all {
            let plan = try scenario.plan()
            var state = scenario.state
            for finding in plan.findings where finding.status == .gap {
                guard let remedy = finding.remedies.first(where: \.recommended),
                    [.liftDeny, .childAllow, .grant].contains(remedy.kind)
                else { continue }
                for change in remedy.changes where change.kind == .ace {
                    state.setACE(change.target["namespaceId"]!.stringValue!, change.target["token"]!.stringValue!,
                                 IdentityDescriptor(change.target["descriptor"]!.stringValue!),
                                 allow: change.after["allow"]!.intValue!, deny: change.after["deny"]!.intValue!)
                }
            }
            let again = try Planning.plan(manifest: scenario.manifest, file: "adoperm.yaml", state: state,
                                          createdAt: Scenario.createdAt)
            for finding in again.findings where finding.status == .gap {
                let before = plan.findings.first { $0.requirement == finding.requirement && $0.token == finding.token }
                #expect(before?.remedies.first(where: \.recommended).map { [.liftDeny, .childAllow, .grant].contains($0.kind) } != true,
                        "\(scenario.name): \(finding.requirement) still a gap")
            }
        }
    }

    @Test func samePlanTwiceIsByteIdentical() throws {
        for scenario in Scenario.all {
            let first = try scenario.plan().fileData()
            let second = try scenario.plan().fileData()
            #expect(first == second, "\(scenario.name)")
            guard case .valid(let document) = PlanDocument.verify(first) else {
                Issue.record("\(scenario.name): plan does not verify")
                continue
            }
            #expect(document.planId == (try scenario.plan()).planId)
        }
    }

    @Test func tamperedPlansAreRefused() throws {
        let data = try Scenario.seed.plan().fileData()
        let text = String(decoding: data, as: UTF8.self)
        let edited = text.replacingOccurrences(of: "\"deny\": 20", with: "\"deny\": 0")
        #expect(edited != text)
        guard case .invalid(let reason) = PlanDocument.verify(Data(edited.utf8)) else {
            Issue.record("an edited plan verified")
            return
        }
        #expect(reason.contains("does not match the plan's content"))
    }
}
