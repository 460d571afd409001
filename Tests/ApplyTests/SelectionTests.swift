import Apply
import Foundation
import Plan
import PropertyBased
import Testing

@Suite("Approval selection")
struct SelectionTests {
    let plan = HandPlan.seed

    func ids(_ rank: Int) -> [String] {
        plan.findings[0].remedies.first { $0.rank == rank }!.changes.map(\.id)
    }

    func select(_ ids: [String], planId: String? = nil) -> Result<Selection, ApprovalError> {
        Result { () throws(ApprovalError) in
            try Selection.make(
                plan: plan,
                approval: Approval(changeIds: ids, approvedBy: "alice", planId: planId, source: .commandLine)
            )
        }
    }

    @Test func approvedRemedyGivesOrderedStepsAndItsManualSteps() throws {
        let remedy1 = ids(1)
        let selection = try select([remedy1[1], remedy1[0]]).get()
        // ACEs before front matter, whatever order they were approved in.
        #expect(selection.steps.map(\.change.id) == [remedy1[0], remedy1[1]])
        #expect(selection.steps.map(\.change.kind) == [.ace, .frontMatter])
        #expect(selection.manualSteps.map(\.summary) == ["recompile"])
        #expect(selection.notes.isEmpty)
        #expect(
            selection.steps[0].origins == [
                "finding 1 (pr-reviewer, Payments/payments-api): remedy 1 service-connection"
            ]
        )
    }

    @Test func partOfARemedyIsAllowedAndNoted() throws {
        let selection = try select([ids(1)[0]]).get()
        #expect(selection.steps.count == 1)
        #expect(selection.notes.count == 1)
        #expect(selection.notes[0].contains(ids(1)[1]))
    }

    @Test func unknownIdsAreRefused() {
        guard case .failure(.unknownChanges(let unknown)) = select([ids(1)[0], "c-000000000000"]) else {
            Issue.record("expected unknownChanges")
            return
        }
        #expect(unknown == ["c-000000000000"])
    }

    @Test func twoRemediesOfOneFindingAreRefused() {
        guard case .failure(let error) = select([ids(2)[0], ids(3)[0]]),
            case .twoRemedies(let finding, let remedies) = error
        else {
            Issue.record("expected twoRemedies")
            return
        }
        #expect(finding == "finding 1 (pr-reviewer, Payments/payments-api)")
        #expect(remedies.count == 2)
        #expect(error.description.contains("approve the changes of one remedy per finding"))
    }

    @Test func aChangeSharedByTwoRemediesOfAFindingIsOneChoice() throws {
        let shared = HandPlan.setting()
        let plan = HandPlan.plan([
            HandPlan.finding(
                "a",
                [
                    HandPlan.remedy(2, .jobScope, [shared]),
                    HandPlan.remedy(3, .grant, [shared, HandPlan.ace("repoV2/p1", after: (2, 0))]),
                ]
            )
        ])
        let selection = try Selection.make(
            plan: plan,
            approval: Approval(
                changeIds: [shared.id],
                approvedBy: "a",
                source: .commandLine
            )
        )
        #expect(selection.steps.map(\.change.id) == [shared.id])
    }

    @Test func aChangeInTwoFindingsRunsOnce() throws {
        let shared = HandPlan.setting()
        let plan = HandPlan.plan([
            HandPlan.finding("a", [HandPlan.remedy(2, .jobScope, [shared])]),
            HandPlan.finding("b", [HandPlan.remedy(2, .jobScope, [shared])]),
        ])
        let selection = try Selection.make(
            plan: plan,
            approval: Approval(
                changeIds: [shared.id, shared.id],
                approvedBy: "a",
                source: .commandLine
            )
        )
        #expect(selection.steps.count == 1)
        #expect(selection.steps[0].origins.count == 2)
    }

    @Test func blockedRemediesCannotBeApproved() {
        let change = HandPlan.setting()
        let plan = HandPlan.plan([HandPlan.finding("a", [HandPlan.remedy(2, .jobScope, [change], status: .blocked)])])
        let result = Result { () throws(ApprovalError) in
            try Selection.make(
                plan: plan,
                approval: Approval(changeIds: [change.id], approvedBy: "a", source: .commandLine)
            )
        }
        guard case .failure(.notViable(let id, _, let status)) = result else {
            Issue.record("expected notViable, got \(result)")
            return
        }
        #expect(id == change.id && status == "blocked")
    }

    @Test func approvalsForAnotherPlanAreRefused() {
        guard case .failure(let error) = select([ids(1)[0]], planId: String(repeating: "a", count: 64)),
            case .wrongPlan = error
        else {
            Issue.record("expected wrongPlan")
            return
        }
        #expect(select([ids(1)[0]], planId: plan.planId!.uppercased()).map(\.steps.count) == .success(1))
    }

    @Test func nothingApprovedIsRefused() {
        guard case .failure(.nothingApproved) = select([]) else {
            Issue.record("expected nothingApproved")
            return
        }
    }

    @Test func commandLineIdsSplitOnCommasAndRepeatsCollapse() {
        let approval = Approval.commandLine(["c-1,c-2", "c-3", "c-1"], approvedBy: "x")
        #expect(approval.changeIds == ["c-1", "c-2", "c-3"])
    }

    @Test func orderIsAFunctionOfTheApprovedSetOnly() async {
        let changes = [
            HandPlan.ace("repoV2/p1/r2", after: (2, 0)), HandPlan.ace("repoV2/p1/r1", after: (4, 0)),
            HandPlan.setting("a"), HandPlan.setting("b"), HandPlan.frontMatter("agents/a.md"),
            HandPlan.frontMatter("agents/b.md"), HandPlan.ace("repoV2/p1/r1", HandPlan.buildService, after: (0, 4)),
        ]
        let plan = HandPlan.plan(
            changes.enumerated().map { index, change in
                HandPlan.finding("f\(index)", [HandPlan.remedy(1, .grant, [change])], resource: "r\(index)")
            }
        )
        let expected = try? Selection.make(
            plan: plan,
            approval: Approval(
                changeIds: changes.map(\.id),
                approvedBy: "a",
                source: .commandLine
            )
        ).steps.map(\.change.id)
        #expect(expected?.count == changes.count)
        await propertyCheck(input: Gen.int(in: 0...10_000)) { seed in
            var generator = SplitMix(seed: UInt64(seed))
            let shuffled = changes.map(\.id).shuffled(using: &generator)
            let order = try? Selection.make(
                plan: plan,
                approval: Approval(
                    changeIds: shuffled,
                    approvedBy: "a",
                    source: .commandLine
                )
            ).steps.map(\.change.id)
            #expect(order == expected)
        }
        let kinds =
            (try? Selection.make(
                plan: plan,
                approval: Approval(
                    changeIds: changes.map(\.id),
                    approvedBy: "a",
                    source: .commandLine
                )
            ).steps.map(\.change.kind)) ?? []
        #expect(kinds == [.ace, .ace, .ace, .pipelineSetting, .pipelineSetting, .frontMatter, .frontMatter])
    }
}

/// A seeded generator, so a shuffle is reproducible from the property's input.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite("Approvals file")
struct ApprovalsFileTests {
    @Test func readsPlanIdApproverCommentAndChanges() throws {
        let approval = try ApprovalsFile.parse(
            """
            planId: abc
            approvedBy: alice@contoso.com
            comment: CHG-1234
            changes: [c-1, c-2]
            """,
            file: "approvals.yaml"
        )
        #expect(approval.planId == "abc")
        #expect(approval.approvedBy == "alice@contoso.com")
        #expect(approval.comment == "CHG-1234")
        #expect(approval.changeIds == ["c-1", "c-2"])
        #expect(approval.source == .file("approvals.yaml"))
    }

    @Test(arguments: [
        ("planId: a\napprovedBy: b\nchanges: [c-1]\nextra: 1\n", "approvals.yaml:4:1: error: unknown key 'extra'"),
        ("approvedBy: b\nchanges: [c-1]\n", "approvals.yaml:1:1: error: missing 'planId'"),
        ("planId: a\napprovedBy: b\nchanges: c-1\n", "approvals.yaml:3:10: error: 'changes' must be a list"),
        ("planId: a\napprovedBy: b\nchanges: [c-1, x-2]\n", "approvals.yaml:3:16: error: expected a change id"),
        ("planId: a\napprovedBy: b\nchanges: []\n", "approvals.yaml:3:10: error: 'changes' is empty"),
        ("- a\n", "approvals.yaml:1:1: error: expected a mapping"),
        ("planId: [\n", "approvals.yaml: error: not valid YAML"),
    ])
    func errorsNameTheLine(_ text: String, _ expected: String) {
        let result = Result { () throws(ApprovalError) in try ApprovalsFile.parse(text, file: "approvals.yaml") }
        guard case .failure(let error) = result else {
            Issue.record("expected an error for \(text)")
            return
        }
        #expect(error.description.hasPrefix(expected), "\(error)")
    }
}

@Suite("Approval prompt")
struct ApprovalPromptTests {
    @Test func asksForEachChangeOfTheRecommendedRemedyOnly() {
        let questions = ApprovalPrompt.questions(HandPlan.seed)
        #expect(questions.map(\.change.kind) == [.ace, .frontMatter, .manual])
        #expect(questions.map(\.isManual) == [false, false, true])
        #expect(questions[0].text[0].contains("remedy 1 service-connection"))
    }

    @Test func answers() {
        #expect(ApprovalPrompt.answer("y") == true)
        #expect(ApprovalPrompt.answer(" YES ") == true)
        #expect(ApprovalPrompt.answer("") == false)
        #expect(ApprovalPrompt.answer("no") == false)
        #expect(ApprovalPrompt.answer("maybe") == nil)
    }
}
