import Apply
import Foundation
import Plan
import PropertyBased
import Testing

@Suite("ACE intents")
struct AceIntentTests {
    static let bits = Gen.int(in: 0...0xFFFF)

    @Test func theIntentOfAChangeReproducesThePlannedEntry() async {
        await propertyCheck(input: Self.bits, Self.bits, Self.bits, Self.bits) { beforeAllow, beforeDeny, allow, deny in
            // ADO entries and plan after-images never hold a bit on both sides.
            let before = AceState(allow: beforeAllow & ~beforeDeny, deny: beforeDeny)
            let after = AceState(allow: allow & ~deny, deny: deny)
            let intent = AceIntent.between(before: before, after: after)
            #expect(intent.applied(to: before) == after)
            #expect(intent.applied(to: intent.applied(to: before)) == after, "applying twice changes nothing more")
        }
    }

    @Test func theResultNeverHoldsABitOnBothSides() async {
        await propertyCheck(input: Self.bits, Self.bits, Self.bits, Self.bits) { liveAllow, liveDeny, allow, deny in
            let intent = AceIntent.between(before: .absent, after: AceState(allow: allow & ~deny, deny: deny))
            let result = intent.applied(to: AceState(allow: liveAllow & ~liveDeny, deny: liveDeny))
            #expect(result.allow & result.deny == 0)
            #expect(result.allow & intent.setAllow == intent.setAllow)
            #expect(result.deny & intent.setDeny == intent.setDeny)
        }
    }

    @Test func twoGrantsOnOneEntryCompose() {
        // pr-reviewer and sdk-sync both grant ado-aw-write on payments-api; each plan change saw no entry.
        let first = AceIntent.between(before: .absent, after: AceState(allow: 16384, deny: 0))
        let second = AceIntent.between(before: .absent, after: AceState(allow: 16404, deny: 0))
        #expect(second.applied(to: first.applied(to: .absent)) == AceState(allow: 16404, deny: 0))
        let lift = AceIntent.between(before: AceState(allow: 0, deny: 16404), after: AceState(allow: 0, deny: 20))
        #expect(lift.applied(to: AceState(allow: 2, deny: 16404)) == AceState(allow: 2, deny: 20))
    }

    @Test func changesDecodeIntoOperations() throws {
        let lift = HandPlan.ace("repoV2/p1/r1", HandPlan.buildService, before: (0, 16404), after: (0, 20))
        guard case .ace(let target, let intent)? = try Operation.decode(lift) else {
            Issue.record("expected an ACE operation")
            return
        }
        #expect(target.token == "repoV2/p1/r1" && target.descriptor == IdentityDescriptor(HandPlan.buildService))
        #expect(intent == AceIntent(clearDeny: 16384))
        #expect(try Operation.decode(HandPlan.manual("x")) == nil)
        guard case .setting(let setting, true)? = try Operation.decode(HandPlan.setting()) else {
            Issue.record("expected a setting")
            return
        }
        #expect(setting.projectId == "p1" && setting.name == "enforceJobAuthScope")
        guard
            case .frontMatter(let file, "permissions.write", "ado-aw-write")? = try Operation.decode(
                HandPlan.frontMatter()
            )
        else {
            Issue.record("expected a front-matter edit")
            return
        }
        #expect(file.fingerprintKey == "file|Payments/payments-api/agents/pr-reviewer.md")
        let broken = Change(
            kind: .ace,
            target: .object(["token": .string("t")]),
            before: .null,
            after: .null,
            summary: ""
        )
        #expect(throws: StepError.self) { try Operation.decode(broken) }
    }
}

@Suite("Journal images and targets")
struct ImageTests {
    static let resources: [Resource] = [
        .ace(
            AceTarget(
                namespaceId: HandPlan.git,
                namespaceName: "Git Repositories",
                token: "repoV2/p/r",
                descriptor: IdentityDescriptor(HandPlan.spn)
            )
        ),
        .setting(SettingTarget(projectId: "p1", projectName: "Payments", name: "enforceJobAuthScope")),
        .setting(SettingTarget(projectId: nil, projectName: nil, name: "enforceJobAuthScope")),
        .definition(DefinitionTarget(projectId: "p1", definitionId: 57, name: "Deploy-Canary", revision: 3)),
        .file(
            path: "/tmp/x/agents/a.md",
            reference: AgentFileReference(project: "P", repository: "r", path: "agents/a.md")
        ),
    ]

    @Test(arguments: resources)
    func targetsRoundTrip(_ resource: Resource) {
        #expect(Resource.decode(journalTarget: resource.journalTarget) == resource)
    }

    @Test func imagesRoundTrip() {
        let images: [(Image, Change.Kind)] = [
            (.ace(AceState(allow: 2, deny: 16404)), .ace), (.ace(.absent), .ace),
            (.setting(true, all: ["enforceJobAuthScope": true, "x": false]), .pipelineSetting),
            (.setting(false, all: nil), .pipelineSetting),
            (.definition(scope: "project", revision: 4, body: .object(["id": .int(57)])), .definition),
            (.definition(scope: "projectCollection", revision: nil, body: nil), .definition),
            (.file(text: "---\na: b\n---\n"), .frontMatter), (.file(text: nil), .frontMatter),
        ]
        for (image, kind) in images {
            #expect(Image.decode(image.json, kind: kind) == image)
        }
        #expect(Image.ace(.absent).json["present"] == .bool(false))
    }

    @Test func sameStateComparesWhatTheChangeIsAbout() {
        #expect(Image.setting(true, all: ["a": true]).sameState(as: .setting(true, all: nil)))
        #expect(
            Image.definition(scope: "project", revision: 4, body: nil).sameState(
                as: .definition(scope: "project", revision: nil, body: nil)
            )
        )
        #expect(!Image.ace(.absent).sameState(as: .ace(AceState(allow: 0, deny: 1))))
        #expect(!Image.ace(.absent).sameState(as: .setting(false, all: nil)))
    }

    @Test func pausePointsAndRunIds() {
        #expect(PausePoint.parse("intent:2") == PausePoint(kind: .intent, count: 2))
        #expect(PausePoint.parse("written:1")?.kind == .written)
        #expect(
            PausePoint.parse("intent") == nil && PausePoint.parse("intent:0") == nil && PausePoint.parse("x:1") == nil
        )
        let early = RunId.make(at: Date(timeIntervalSince1970: 1_795_478_400), suffix: "ffffff")
        let late = RunId.make(at: Date(timeIntervalSince1970: 1_795_478_401), suffix: "000000")
        #expect(early == "20261124T000000Z-ffffff")
        #expect(early < late)
        #expect(RunId.generate(at: Date()).count == early.count)
    }
}
