import Apply
import Foundation
import Plan
import PropertyBased
import Testing

@Suite("Rollback planning")
struct RollbackPlanTests {
    static let first = Resource.ace(
        AceTarget(
            namespaceId: HandPlan.git,
            namespaceName: "Git Repositories",
            token: "repoV2/p/r",
            descriptor: IdentityDescriptor(HandPlan.spn)
        )
    )
    static let second = Resource.setting(
        SettingTarget(projectId: "p1", projectName: "Payments", name: "enforceJobAuthScope")
    )

    /// A journal: `c-1` verified, `c-2` with only its intent (the process died), optionally rolled back records.
    func journal(_ extra: [(JournalRecord.Kind, String)] = [], crashAfterIntent: Bool = true) throws -> Journal {
        let path = try TestSupport.temporaryDirectory() + "/run.jsonl"
        let writer = try JournalWriter(path: path, runId: "run", planId: "plan")
        func append(
            _ type: JournalRecord.Kind,
            _ change: String? = nil,
            _ resource: Resource? = nil,
            before: Image? = nil,
            after: Image? = nil
        ) throws {
            try writer.append(
                JournalRecord(
                    seq: 0,
                    runId: "",
                    planId: "",
                    type: type,
                    change: change,
                    target: resource?.journalTarget,
                    before: before?.json,
                    after: after?.json,
                    at: "t"
                )
            )
        }
        try append(.begin)
        try append(.intent, "c-1", Self.first, before: .ace(.absent), after: .ace(AceState(allow: 16384, deny: 0)))
        try append(.applied, "c-1")
        try append(.verified, "c-1")
        try append(
            .intent,
            "c-2",
            Self.second,
            before: .setting(false, all: ["enforceJobAuthScope": false]),
            after: .setting(true, all: nil)
        )
        if !crashAfterIntent { try append(.applied, "c-2") }
        for (type, change) in extra { try append(type, change) }
        return try Journal.read(path: path)
    }

    @Test func undoesMostRecentFirstWithTheIntentsImages() throws {
        let entries = try RollbackPlan.entries(try journal())
        #expect(entries.map(\.change) == ["c-2", "c-1"])
        #expect(entries.map(\.state) == [.inDoubt, .verified])
        #expect(entries[1].resource == Self.first)
        #expect(entries[1].before == .ace(.absent))
        #expect(entries[0].after == .setting(true, all: nil))
    }

    @Test func rolledBackChangesAreLeftOutSoASecondRunDoesNothing() throws {
        let entries = try RollbackPlan.entries(try journal([(.rollbackIntent, "c-2"), (.rolledBack, "c-2")]))
        #expect(entries.map(\.change) == ["c-1"])
        let none = try RollbackPlan.entries(try journal([(.rolledBack, "c-2"), (.rolledBack, "c-1")]))
        #expect(none.isEmpty)
        // A rollback that started but did not finish is taken up again.
        #expect(
            try RollbackPlan.entries(try journal([(.rollbackIntent, "c-1")])).map(\.state) == [
                .inDoubt, .rollbackInDoubt,
            ]
        )
    }

    @Test func onlyRestrictsAndUnknownIdsAreRefused() throws {
        let journal = try journal()
        #expect(try RollbackPlan.entries(journal, only: ["c-1"]).map(\.change) == ["c-1"])
        #expect(throws: RollbackError.unknownChanges(["c-9"], path: journal.path)) {
            try RollbackPlan.entries(journal, only: ["c-1", "c-9"])
        }
    }

    @Test func anIntentWithoutImagesIsRefusedWithItsLine() throws {
        let path = try TestSupport.temporaryDirectory() + "/run.jsonl"
        let writer = try JournalWriter(path: path, runId: "run", planId: "plan")
        try writer.append(JournalRecord(seq: 0, runId: "", planId: "", type: .begin, at: "t"))
        try writer.append(JournalRecord(seq: 0, runId: "", planId: "", type: .intent, change: "c-1", at: "t"))
        #expect(throws: RollbackError.unreadableIntent(change: "c-1", path: path, line: 2)) {
            try RollbackPlan.entries(try Journal.read(path: path))
        }
    }

    @Test func decisionsFollowLiveState() async {
        let bits = Gen.int(in: 0...64)
        await propertyCheck(input: bits, bits, bits) { before, after, live in
            let entry = RollbackEntry(
                change: "c",
                resource: Self.first,
                before: .ace(AceState(allow: before, deny: 0)),
                after: .ace(AceState(allow: after, deny: 0)),
                state: .inDoubt
            )
            let decision = RollbackPlan.decide(entry, live: .ace(AceState(allow: live, deny: 0)))
            if live == before {
                #expect(decision == .nothingToDo)
            } else if live == after {
                #expect(decision == .restore)
            } else {
                #expect(decision == .conflict)
            }
        }
    }

    @Test func journalStatusNamesInterruptedRuns() throws {
        #expect(try journal().status == "interrupted (1 in doubt)")
    }
}

@Suite("Stale check")
struct StaleCheckTests {
    static let token = "repoV2/p1/r1"

    func steps(_ plan: PlanDocument) throws -> [Step] {
        try Selection.make(
            plan: plan,
            approval: Approval(
                changeIds: plan.findings.flatMap { $0.remedies.flatMap { $0.changes.map(\.id) } }.filter { id in
                    plan.findings[0].remedies.contains { $0.rank == 3 && $0.changes.contains { $0.id == id } }
                },
                approvedBy: "a",
                source: .commandLine
            )
        ).steps
    }

    static func acl(deny: Int) -> AccessControlList {
        let descriptor = IdentityDescriptor(HandPlan.buildService)
        return AccessControlList(
            namespaceId: HandPlan.git,
            token: token,
            entries: [descriptor: AccessControlEntry(descriptor: descriptor, allow: 0, deny: deny)]
        )
    }

    func plan(fingerprint: String?) -> PlanDocument {
        let lift = HandPlan.ace(Self.token, HandPlan.buildService, before: (0, 16404), after: (0, 20))
        return HandPlan.plan(
            [HandPlan.finding("a", [HandPlan.remedy(3, .liftDeny, [lift])])],
            fingerprints: fingerprint.map { ["\(HandPlan.git)|\(Self.token)": $0] } ?? [:]
        )
    }

    @Test func unchangedObjectsPass() throws {
        let plan = plan(fingerprint: Fingerprint.acl(Self.acl(deny: 16404)))
        let steps = try steps(plan)
        let live = [steps[0].operation.fingerprintKey: LiveObject.acl(Self.acl(deny: 16404))]
        #expect(StaleCheck.differences(fingerprints: plan.fingerprints, steps: steps, live: live).isEmpty)
        // Keys compare without regard to case.
        let upper = Dictionary(uniqueKeysWithValues: plan.fingerprints.map { ($0.key.uppercased(), $0.value) })
        #expect(StaleCheck.differences(fingerprints: upper, steps: steps, live: live).isEmpty)
    }

    @Test func aChangedEntryIsListedWithDescriptorBeforeAndNow() throws {
        let plan = plan(fingerprint: Fingerprint.acl(Self.acl(deny: 16404)))
        let steps = try steps(plan)
        let differences = StaleCheck.differences(
            fingerprints: plan.fingerprints,
            steps: steps,
            live: [steps[0].operation.fingerprintKey: .acl(Self.acl(deny: 4))]
        )
        #expect(differences.count == 1)
        #expect(differences[0].object == "ACL \(Self.token) (Git Repositories)")
        #expect(
            differences[0].details == [
                "descriptor \(HandPlan.buildService): plan saw allow 0 deny 16404, now allow 0 deny 4"
            ]
        )
    }

    @Test func aPlanWithoutTheFingerprintIsRefused() throws {
        let plan = plan(fingerprint: nil)
        let steps = try steps(plan)
        let differences = StaleCheck.differences(
            fingerprints: [:],
            steps: steps,
            live: [steps[0].operation.fingerprintKey: .acl(Self.acl(deny: 16404))]
        )
        #expect(differences.first?.details.first?.contains("no fingerprint") == true)
    }

    @Test func settingsAndFilesAreComparedByDigest() throws {
        let setting = HandPlan.setting()
        let file = HandPlan.frontMatter()
        let before = PipelineSettings(values: ["enforceJobAuthScope": false, "other": false])
        let plan = HandPlan.plan(
            [
                HandPlan.finding("a", [HandPlan.remedy(2, .jobScope, [setting])]),
                HandPlan.finding("b", [HandPlan.remedy(1, .serviceConnection, [file])]),
            ],
            fingerprints: [
                Fingerprint.settingsKey(projectId: "p1"): Fingerprint.settings(before),
                "file|Payments/payments-api/agents/pr-reviewer.md": Fingerprint.file("text"),
            ]
        )
        let steps = try Selection.make(
            plan: plan,
            approval: Approval(
                changeIds: [setting.id, file.id],
                approvedBy: "a",
                source: .commandLine
            )
        ).steps
        let keys = steps.map(\.operation.fingerprintKey)
        var live: [String: LiveObject] = [
            keys[0]: .settings(before), keys[1]: .file(path: "/c/agents/pr-reviewer.md", text: "text"),
        ]
        #expect(StaleCheck.differences(fingerprints: plan.fingerprints, steps: steps, live: live).isEmpty)
        live[keys[0]] = .settings(PipelineSettings(values: ["enforceJobAuthScope": false, "other": true]))
        live[keys[1]] = .file(path: "/c/agents/pr-reviewer.md", text: "edited")
        let differences = StaleCheck.differences(fingerprints: plan.fingerprints, steps: steps, live: live)
        #expect(
            differences.map(\.object) == [
                "pipeline settings of project Payments", "agent file /c/agents/pr-reviewer.md",
            ]
        )
        #expect(differences[0].details == ["another setting of the same scope changed"])
    }
}
