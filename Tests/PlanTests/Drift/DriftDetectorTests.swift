import Foundation
import Plan
import Testing

/// The pure drift comparison on the Contoso fixture: what is drift, what is pending or a note, and how runs relate.
@Suite struct DriftDetectorTests {
    typealias F = DriftFixture

    @Test func theSeedIsPendingNotDrift() throws {
        let (report, state) = try F.detect(Contoso.state())
        #expect(report.inSync)
        #expect(report.format == "adoperm-drift/1")
        #expect(report.previousRun == nil)
        #expect(report.check(.requirement, "pr-reviewer")?.status == .pending)
        #expect(report.check(.forbid, "readers-no-push")?.status == .ok)
        #expect(report.check(.setting, "settings/Shared/limitJobAuthScope")?.status == .ok)
        #expect(report.checks.map(\.kind) == [.requirement, .forbid, .setting])
        #expect(report.notes.contains { $0.kind == .pending && $0.id == "pr-reviewer" })
        #expect(state.satisfied.isEmpty)
        // Every loaded pipeline's identity is recorded: the reviewer runs as the collection build service.
        #expect(state.identities["12"]?.descriptor == Contoso.collectionBuildService.rawValue)
        #expect(state.identities["2560"]?.descriptor == Contoso.sharedBuildService.rawValue)
    }

    @Test func aRequirementSatisfiedInThePreviousRunThatFailsIsDrift() throws {
        let first = try F.detect(F.lifted)
        #expect(first.report.inSync)
        #expect(first.report.check(.requirement, "pr-reviewer")?.status == .ok)
        #expect(first.state.satisfied.count == 1)

        // Someone puts the Deny back.
        let second = try F.detect(Contoso.state(), previous: first.state, at: F.later)
        #expect(!second.report.inSync)
        #expect(second.report.previousRun == F.at)
        let item = try #require(second.report.items(.requirement).first)
        #expect(item.status == .new)
        #expect(item.id == "pr-reviewer")
        #expect(item.before == "satisfied in an earlier run")
        #expect(item.now.contains("missing PullRequestContribute"))
        #expect(item.now.contains("explicit Deny for Project Collection Build Service (contoso)"))
        #expect(item.ace?.token == F.repo)
        #expect(item.ace?.descriptor == Contoso.collectionBuildService.rawValue)
        #expect(item.ace?.deny == 16404)
        #expect(item.location == "adoperm.yaml:8:9")
        // The planner's recommended remedy for the gap (no service connection is named: the toggle's companion or
        // the Deny's lift).
        let remedy = try #require(item.remedy)
        #expect(!remedy.changes.isEmpty)
        #expect(second.report.check(.requirement, "pr-reviewer")?.status == .drift)
        #expect(second.report.check(.requirement, "pr-reviewer")?.items == [item.key])
        #expect(second.report.changedObjects == ["\(NamespaceID.git)|\(F.repo.lowercased())"])

        // Still denied an hour later: the same item, ongoing; the baseline keeps the requirement as satisfied.
        let third = try F.detect(Contoso.state(), previous: second.state, at: "2026-11-24T02:00:00Z")
        #expect(third.report.items.map(\.status) == [.ongoing])
        #expect(third.report.newItems.isEmpty && !third.report.hasNews)
        #expect(third.state.satisfied == first.state.satisfied)

        // Lifted again: resolved.
        let fourth = try F.detect(F.lifted, previous: third.state, at: "2026-11-24T03:00:00Z")
        #expect(fourth.report.inSync)
        #expect(fourth.report.resolved.map(\.key) == [item.key])
        #expect(fourth.report.resolved.first?.status == .resolved)
    }

    @Test func aRevertedJournalChangeIsDriftNamingTheRequirementTheACEAndTheChange() throws {
        let (report, _) = try F.detect(Contoso.state(), journal: [F.liftDeny()])
        #expect(!report.inSync)
        let requirement = try #require(report.items(.requirement).first)
        #expect(
            requirement.before == "satisfied (made so by journal change c-0123456789ab of run 20261124T000000Z-abcd)"
        )
        #expect(requirement.journal?.map(\.change) == ["c-0123456789ab"])
        #expect(requirement.journal?.first?.state == .reverted)
        let journal = try #require(report.items(.journal).first)
        #expect(journal.check == CheckRef(.requirement, "pr-reviewer"))
        #expect(
            journal.summary.hasPrefix(
                "journal change c-0123456789ab (run 20261124T000000Z-abcd) reverted: the ACE "
                    + "of Project Collection Build Service (contoso) on Payments/payments-api"
            )
        )
        #expect(journal.before == "no entry")
        #expect(journal.now == "deny GenericContribute|CreateBranch|PullRequestContribute (16404)")
        let reapply = try #require(journal.remedy?.changes.first)
        #expect(journal.remedy?.kind == "reapply")
        #expect(reapply.kind == .ace && reapply.after == .object(["allow": .int(0), "deny": .int(0)]))
        #expect(reapply.before == .object(["allow": .int(0), "deny": .int(16404)]))
        #expect(report.check(.requirement, "pr-reviewer")?.items.count == 2)

        // Restored: in sync, and the requirement is part of the baseline.
        let (restored, state) = try F.detect(F.lifted, journal: [F.liftDeny()])
        #expect(restored.inSync)
        #expect(restored.check(.requirement, "pr-reviewer")?.status == .ok)
        #expect(state.satisfied.count == 1)
    }

    @Test func anAlteredChangeAndRolledBackChanges() throws {
        var state = Contoso.state()
        state.setACE(NamespaceID.git, F.repo, Contoso.collectionBuildService, allow: 2, deny: 16384)
        let (report, _) = try F.detect(state, journal: [F.liftDeny()])
        #expect(report.items(.journal).first?.journal?.first?.state == .altered)
        #expect(report.items(.journal).first?.now == "allow GenericRead (2), deny PullRequestContribute (16384)")

        // A change that was rolled back is not compared; the seed is pending again.
        let (rolledBack, _) = try F.detect(Contoso.state(), journal: [F.liftDeny(state: "rolled-back")])
        #expect(rolledBack.inSync)
        #expect(rolledBack.check(.requirement, "pr-reviewer")?.status == .pending)

        // A later verified change of the same ACE supersedes the earlier one.
        var later = F.liftDeny(run: "20261125T000000Z-ffff")
        later.change = "c-ffffffffffff"
        later.before = later.after
        later.after = .object(["allow": .int(0), "deny": .int(16404), "present": .bool(true)])
        let (superseded, _) = try F.detect(Contoso.state(), journal: [F.liftDeny(), later])
        #expect(superseded.items(.journal).isEmpty)
    }

    @Test func aForbidRuleThatMatchesIsDriftWithItsGrantAndRemedy() throws {
        var state = Contoso.state()
        state.setACE(NamespaceID.git, F.repo, Contoso.paymentsGroups.readers, allow: 4)
        let (report, _) = try F.detect(state)
        let item = try #require(report.items(.forbid).first)
        #expect(item.id == "readers-no-push")
        #expect(item.summary.contains("holds forbidden GenericContribute on Payments/payments-api"))
        #expect(item.ace?.descriptor == Contoso.paymentsGroups.readers.rawValue)
        #expect(item.ace?.allow == 4)
        #expect(item.remedy != nil)
        #expect(report.check(.forbid, "readers-no-push")?.status == .drift)
    }

    @Test func aDeclaredSettingThatDiffersMovesTheProjectsPipelinesToAnotherIdentity() throws {
        var state = Contoso.state()
        state.pipelineSettings.projects[Contoso.shared]?.values["enforceJobAuthScope"] = false
        let (report, _) = try F.detect(state)
        let setting = try #require(report.items(.setting).first)
        #expect(
            setting.summary == "settings/Shared/limitJobAuthScope: enforceJobAuthScope of project Shared is false, "
                + "declared true"
        )
        #expect(setting.setting?.expected == true && setting.setting?.actual == false)
        #expect(setting.remedy?.kind == "setting")
        let identities = report.items(.identity)
        #expect(identities.compactMap(\.pipeline?.definitionId) == [2560, 2570])
        for item in identities {
            #expect(item.check == CheckRef(.setting, "settings/Shared/limitJobAuthScope"))
            #expect(item.pipeline?.before.descriptor == Contoso.sharedBuildService.rawValue)
            #expect(item.pipeline?.now.descriptor == Contoso.collectionBuildService.rawValue)
            #expect(item.now.hasPrefix("Project Collection Build Service (contoso) (collection-scoped"))
            #expect(item.remedy?.kind == "setting")
        }
        #expect(report.check(.setting, "settings/Shared/limitJobAuthScope")?.items.count == 3)
    }

    @Test func anUndeclaredProjectSettingChangeIsAnIdentityChangeAgainstThePreviousRun() throws {
        let first = try F.detect(Contoso.state())
        var state = Contoso.state()
        state.pipelineSettings.projects[Contoso.payments, default: PipelineSettings()].values["enforceJobAuthScope"] =
            true
        let second = try F.detect(state, previous: first.state, at: F.later)
        let items = second.report.items(.identity)
        #expect(items.compactMap(\.pipeline?.definitionId).sorted() == [11, 12, 13, 14, 57])
        // The reviewer's item belongs to its requirement (listed first); the others get entries of their own.
        #expect(items.first?.pipeline?.definitionId == 12)
        #expect(items.first { $0.pipeline?.definitionId == 12 }?.check == CheckRef(.requirement, "pr-reviewer"))
        #expect(items.first { $0.pipeline?.definitionId == 11 }?.check == CheckRef(.identity, "Payments/payments-ci"))
        #expect(second.report.check(.identity, "Payments/payments-ci")?.status == .drift)
        // The baseline keeps the expected identity: the drift persists until the setting is back.
        #expect(second.state.identities["11"] == first.state.identities["11"])
        let third = try F.detect(state, previous: second.state, at: "2026-11-24T02:00:00Z")
        #expect(third.report.items(.identity).map(\.status) == Array(repeating: .ongoing, count: 5))
        // Meanwhile the reviewer ran as Payments Build Service, which may comment: its requirement joined the
        // baseline. Back on the collection build service, the seed's Deny makes that requirement drift.
        #expect(third.state.satisfied.count == 1)
        let fourth = try F.detect(Contoso.state(), previous: third.state, at: "2026-11-24T03:00:00Z")
        #expect(fourth.report.resolved.count == 5)
        #expect(fourth.report.items.map(\.kind) == [.requirement])
    }

    @Test func aJournalSettingChangeExplainsTheIdentityItGave() throws {
        let change = F.setting(Contoso.payments, "enforceJobAuthScope", before: false, after: true)
        var applied = Contoso.state()
        applied.pipelineSettings.projects[Contoso.payments, default: PipelineSettings()].values["enforceJobAuthScope"] =
            true
        // Recorded before the toggle, the identities then changed through the journaled change: accepted.
        let before = try F.detect(Contoso.state())
        let after = try F.detect(applied, journal: [change], previous: before.state, at: F.later)
        #expect(after.report.inSync)
        #expect(after.state.identities["12"]?.descriptor == Contoso.paymentsBuildService.rawValue)
        // Turned off again out of band: the journal change is reverted and the pipelines' identity moved back.
        let reverted = try F.detect(
            Contoso.state(),
            journal: [change],
            previous: after.state,
            at: "2026-11-24T02:00:00Z"
        )
        let journal = try #require(reverted.report.items(.journal).first)
        // Under the toggle the reviewer ran as Payments Build Service and could comment: the change had made the
        // requirement hold, so both are filed under it.
        #expect(journal.check == CheckRef(.requirement, "pr-reviewer"))
        #expect(reverted.report.items(.requirement).first?.journal?.first?.change == "c-5e7715e7715e")
        #expect(journal.summary.contains("setting enforceJobAuthScope of project Payments is false; the run set true"))
        let identities = reverted.report.items(.identity)
        #expect(identities.count == 5)
        #expect(identities.allSatisfy { $0.journal?.first?.change == "c-5e7715e7715e" })
        #expect(identities.first?.pipeline?.now.descriptor == Contoso.collectionBuildService.rawValue)
    }

    @Test func authoritativeEntriesMakeUndeclaredBitsDrift() throws {
        func manifest(_ authoritative: Bool) -> String {
            """
            version: 1
            requirements:
              - id: carol-reads
                subject: { identity: carol@contoso.com }
                allow:
                  - git: { project: Payments, repository: payments-api }
                    permissions: [GenericRead]
                    authoritative: \(authoritative)
            """
        }
        var state = Contoso.state()
        state.setACE(NamespaceID.git, F.repo, Contoso.carol, allow: 2 | 4)
        let (strict, _) = try F.detect(state, manifest: manifest(true))
        let item = try #require(strict.items(.authoritative).first)
        #expect(
            item.summary.contains(
                "allows carol@contoso.com only GenericRead, but it also allowed GenericContribute (4)"
            )
        )
        #expect(item.ace?.descriptor == Contoso.carol.rawValue && item.ace?.allow == 6)
        #expect(item.remedy.map { ["revoke", "deny"].contains($0.kind) } == true)
        #expect(strict.check(.requirement, "carol-reads")?.status == .drift)

        let (lenient, _) = try F.detect(state, manifest: manifest(false))
        #expect(lenient.inSync)
        let note = try #require(lenient.notes.first { $0.kind == .undeclaredBits })
        #expect(note.message.contains("also allows GenericContribute (4)"))

        // Bits that reach carol through her groups count too when the entry is authoritative.
        var viaGroup = Contoso.state()
        viaGroup.setACE(NamespaceID.git, F.repo, Contoso.paymentsGroups.readers, allow: 2 | 32)
        let (grouped, _) = try F.detect(viaGroup, manifest: manifest(true))
        #expect(grouped.items(.authoritative).first?.now.contains("CreateTag (32)") == true)
        #expect(grouped.items(.authoritative).first?.ace?.descriptor == Contoso.paymentsGroups.readers.rawValue)
    }

    @Test func theStateRoundTripsAndAnotherOrganizationsStateIsIgnored() throws {
        let (_, state) = try F.detect(F.lifted)
        let data = state.fileData()
        #expect(try DriftState.parse(data) == state)
        #expect(data == state.fileData())
        #expect(String(decoding: data, as: UTF8.self).contains("\"format\": \"adoperm-drift-state/1\""))

        var other = state
        other.collectionId = "00000000-0000-0000-0000-000000000000"
        other.organization = "https://dev.azure.com/fabrikam"
        let (report, _) = try F.detect(Contoso.state(), previous: other)
        #expect(report.previousRun == nil && report.inSync)
        #expect(report.notes.contains { $0.kind == .state && $0.message.contains("fabrikam") })

        let future = Data(#"{"format": "adoperm-drift-state/9"}"#.utf8)
        #expect(throws: DriftStateError.unsupportedFormat("adoperm-drift-state/9")) { try DriftState.parse(future) }
        #expect(throws: DriftStateError.self) { try DriftState.parse(Data("{".utf8)) }
    }

    @Test func frontMatterChangesAreNotesNotDrift() throws {
        let change = JournalChange(
            runId: "r",
            change: "c-f00f00f00f00",
            journal: "j.jsonl",
            state: "verified",
            target: .object(["kind": .string("front-matter"), "localPath": .string("/tmp/agents/x.md")]),
            before: .object(["text": .string("a")]),
            after: .object(["text": .string("b")])
        )
        let (report, _) = try F.detect(Contoso.state(), journal: [change])
        #expect(report.inSync)
        #expect(report.notes.contains { $0.kind == .journalUnchecked && $0.id == "c-f00f00f00f00" })
    }

    @Test func reportsAreDeterministic() throws {
        var state = Contoso.state()
        state.pipelineSettings.projects[Contoso.shared]?.values["enforceJobAuthScope"] = false
        let a = try F.detect(state, journal: [F.liftDeny()])
        let b = try F.detect(state, journal: [F.liftDeny()])
        #expect(a.report == b.report && a.state.fileData() == b.state.fileData())
        #expect(Set(a.report.items.map(\.key)).count == a.report.items.count)
    }
}
