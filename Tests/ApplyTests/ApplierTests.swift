import ADOClient
import ADOEmulator
import Apply
import EmulatorSupport
import Foundation
import Plan
import Testing

/// The executor against a real emulator over HTTP: the seam's faults (failed writes, lagging reads) are injected
/// by `FaultyAPI`; everything else is the emulator's.
@Suite("Applier", .serialized)
struct ApplierTests {
    static let xoperoManifest = """
        version: 1
        organization: https://dev.azure.com/contoso
        requirements:
          - id: xopero-restore
            subject: { identity: backup@contoso.com }
            profile: xopero-restore
            scope: { projects: ["*"] }
        """

    /// The PR-thread call of the seed, with `bearer`.
    static func prThread(_ emulator: EmulatorHandle, bearer: String) async throws -> TestResponse {
        try await emulator.http.send(
            "POST",
            "/contoso/Payments/_apis/git/repositories/payments-api/pullRequests/4711/threads?api-version=7.1",
            bearer: bearer,
            body: try TestHTTP.json([
                "comments": [["parentCommentId": 0, "content": "[Agent Review] ok", "commentType": 1]],
                "status": 1,
            ])
        )
    }

    func selection(_ plan: PlanDocument, _ ids: [String]) throws -> Selection {
        try Selection.make(plan: plan, approval: Approval(changeIds: ids, approvedBy: "alice", source: .commandLine))
    }

    func rollBack(_ path: String, api: any OrganizationAPI, clock: VirtualClock) async throws -> [RollbackResult] {
        let journal = try Journal.read(path: path)
        let entries = try RollbackPlan.entries(journal)
        return await Rollbacker(io: ResourceIO(api: api), clock: clock).run(
            entries,
            journal: try JournalWriter(continuing: journal)
        )
    }

    @Test func seedRemedyOneWritesTheGrantAndTheFrontMatterAndRollsBackExactly() async throws {
        try await withEmulator { emulator in
            let client = try TestSupport.client(emulator)
            let plan = try await TestSupport.plan(TestSupport.seedManifest, client: client)
            let remedy = try #require(TestSupport.remedy(plan, rank: 1))
            #expect(remedy.recommended)
            let checkout = try TestSupport.checkout()
            let agent = checkout + "/agents/pr-reviewer.md"
            let originalText = try String(contentsOfFile: agent, encoding: .utf8)
            let dump = try await emulator.stateDump()
            #expect(try await Self.prThread(emulator, bearer: Fixtures.Credentials.adoAwWriteBearer).status == 403)

            let directory = try TestSupport.temporaryDirectory()
            let clock = VirtualClock()
            let api = ClientAPI(client: client)
            let writable = remedy.changes.filter { $0.kind != .manual }.map(\.id)
            let outcome = await Applier(
                api: api,
                clock: clock,
                options: TestSupport.options(emulator, directory, checkout: checkout)
            )
            .run(plan: plan, selection: try selection(plan, writable))
            guard case .applied(let run) = outcome else {
                Issue.record("expected applied, got \(outcome)")
                return
            }
            #expect(run.steps.map(\.status) == [.verified, .verified])
            #expect(try await Self.prThread(emulator, bearer: Fixtures.Credentials.adoAwWriteBearer).status == 200)
            let edited = try String(contentsOfFile: agent, encoding: .utf8)
            #expect(edited.contains("permissions:\n  read: ado-aw-read\n  write: ado-aw-write\n"))
            let journal = try Journal.read(path: run.journalPath)
            #expect(
                journal.records.map(\.type) == [
                    .begin, .intent, .applied, .verified, .intent, .applied, .verified, .end,
                ]
            )
            #expect(journal.records[1].before == Image.ace(.absent).json)
            #expect(journal.records[4].before?["text"] == .string(originalText))
            let mode = try FileManager.default.attributesOfItem(atPath: run.journalPath)[.posixPermissions] as? Int
            #expect(mode == 0o600)
            let text = try String(contentsOfFile: run.journalPath, encoding: .utf8)
            #expect(!text.contains(Fixtures.Credentials.alicePAT), "the journal never holds the credential")

            let results = try await rollBack(run.journalPath, api: api, clock: clock)
            #expect(results.map(\.status) == [.restored, .restored])
            #expect(try await emulator.stateDump() == dump)
            #expect(try String(contentsOfFile: agent, encoding: .utf8) == originalText)
            #expect(try await Self.prThread(emulator, bearer: Fixtures.Credentials.adoAwWriteBearer).status == 403)
            // Idempotent: nothing left to undo, so a second rollback plans no entry and writes nothing.
            #expect(try RollbackPlan.entries(try Journal.read(path: run.journalPath)).isEmpty)
        }
    }

    @Test func laggingReadsAreReadAgainUntilTheyShowTheWrite() async throws {
        try await withEmulator { emulator in
            let client = try TestSupport.client(emulator)
            let plan = try await TestSupport.plan(TestSupport.seedManifest, client: client)
            let lift = try #require(TestSupport.remedy(plan, rank: 3)).changes.map(\.id)
            let clock = VirtualClock()
            let api = FaultyAPI(ClientAPI(client: client), staleReadsAfterWrite: 2)
            let outcome = await Applier(
                api: api,
                clock: clock,
                options: TestSupport.options(emulator, try TestSupport.temporaryDirectory())
            )
            .run(plan: plan, selection: try selection(plan, lift))
            guard case .applied(let run) = outcome else {
                Issue.record("expected applied, got \(outcome)")
                return
            }
            #expect(run.steps.map(\.status) == [.verified])
            #expect(clock.sleeps == [.milliseconds(250), .milliseconds(500)])
        }
    }

    @Test func aReadBackThatKeepsDifferingFailsAndIsRolledBack() async throws {
        try await withEmulator { emulator in
            let client = try TestSupport.client(emulator)
            let plan = try await TestSupport.plan(TestSupport.seedManifest, client: client)
            let lift = try #require(TestSupport.remedy(plan, rank: 3)).changes.map(\.id)
            let dump = try await emulator.stateDump()
            let clock = VirtualClock()
            // One read plus four re-reads all lag; the lag is over by the time rollback reads.
            let api = FaultyAPI(ClientAPI(client: client), staleReadsAfterWrite: 5)
            let outcome = await Applier(
                api: api,
                clock: clock,
                options: TestSupport.options(emulator, try TestSupport.temporaryDirectory())
            )
            .run(plan: plan, selection: try selection(plan, lift))
            guard case .rolledBack(let run, let failure) = outcome else {
                Issue.record("expected rolledBack, got \(outcome)")
                return
            }
            #expect(failure.contains("read back allow 0 deny 16404, expected allow 0 deny 20"))
            #expect(run.rollback.map(\.status) == [.restored])
            #expect(clock.sleeps.count == 4)
            #expect(try await emulator.stateDump() == dump)
            let journal = try Journal.read(path: run.journalPath)
            #expect(
                journal.records.map(\.type) == [.begin, .intent, .applied, .failed, .rollbackIntent, .rolledBack, .end]
            )
        }
    }

    @Test func theThirdOfFiveWritesFailingRollsBackTheFirstTwo() async throws {
        try await withEmulator { emulator in
            let client = try TestSupport.client(emulator)
            let plan = try await TestSupport.plan(Self.xoperoManifest, client: client)
            let grants = plan.findings.compactMap { $0.remedies.first(where: \.recommended)?.changes.first?.id }
            #expect(grants.count >= 5)
            let chosen = Array(grants.prefix(5))
            let dump = try await emulator.stateDump()
            try await emulator.clearRequestLog()
            let api = FaultyAPI(ClientAPI(client: client), failingWrites: [3])
            let outcome = await Applier(
                api: api,
                clock: VirtualClock(),
                options: TestSupport.options(emulator, try TestSupport.temporaryDirectory())
            )
            .run(plan: plan, selection: try selection(plan, chosen))
            guard case .rolledBack(let run, let failure) = outcome else {
                Issue.record("expected rolledBack, got \(outcome)")
                return
            }
            #expect(failure.contains("injected failure of write 3"))
            #expect(run.steps.map(\.status) == [.verified, .verified, .failed])
            // Most recent first: the failed one (its write never happened), then the two that were verified.
            #expect(run.rollback.map(\.status) == [.nothingToDo, .restored, .restored])
            #expect(run.rollback.map(\.change) == run.steps.map(\.change).reversed())
            #expect(try await emulator.stateDump() == dump)
            // Two grants and their two removals reached the organization; nothing of the last two changes.
            let writes = try await TestSupport.writes(emulator)
            #expect(writes.count == 4, "\(writes)")
        }
    }

    @Test func twoGrantsOfTheSameEntryComposeAndUnwindInReverse() async throws {
        try await withEmulator { emulator in
            let client = try TestSupport.client(emulator)
            let manifest = try String(
                contentsOf: Fixtures.repositoryRoot.appendingPathComponent("examples/contoso/adoperm.yaml"),
                encoding: .utf8
            )
            let plan = try await TestSupport.plan(manifest, client: client)
            // pr-reviewer and sdk-sync both grant ado-aw-write on payments-api, each from "no entry".
            let grants = plan.findings.filter { $0.resource == "Payments/payments-api" && $0.status == .gap }
                .compactMap { $0.remedies.first(where: \.recommended)?.changes.first { $0.kind == .ace } }
            #expect(grants.count == 2)
            #expect(Set(grants.map { $0.target["descriptor"] }).count == 1)
            let dump = try await emulator.stateDump()
            let clock = VirtualClock()
            let api = ClientAPI(client: client)
            let outcome = await Applier(
                api: api,
                clock: clock,
                options: TestSupport.options(emulator, try TestSupport.temporaryDirectory())
            )
            .run(plan: plan, selection: try selection(plan, grants.map(\.id)))
            guard case .applied(let run) = outcome else {
                Issue.record("expected applied, got \(outcome)")
                return
            }
            let target = try #require(
                Operation.decode(grants[0]).flatMap { operation -> AceTarget? in
                    if case .ace(let target, _) = operation { return target }
                    return nil
                }
            )
            let union = grants.compactMap { $0.after["allow"]?.intValue }.reduce(0, |)
            #expect(try await api.entry(target) == AceState(allow: union, deny: 0))
            // The second grant adds nothing the first did not, or adds its extra bits: either way it composes.
            #expect(run.steps.map(\.status).first == .verified)
            let results = try await rollBack(run.journalPath, api: api, clock: clock)
            #expect(results.map(\.change) == run.steps.map(\.change).reversed())
            #expect(results.allSatisfy { $0.isUndone })
            #expect(results.last?.status == .restored)
            #expect(try await api.entry(target) == .absent)
            #expect(try await emulator.stateDump() == dump)
        }
    }

    @Test func anUnwritableJournalStopsBeforeAnyWrite() async throws {
        try await withEmulator { emulator in
            let client = try TestSupport.client(emulator)
            let plan = try await TestSupport.plan(TestSupport.seedManifest, client: client)
            let lift = try #require(TestSupport.remedy(plan, rank: 3)).changes.map(\.id)
            let directory = try TestSupport.temporaryDirectory()
            try FileManager.default.createDirectory(atPath: directory + "/.adoperm", withIntermediateDirectories: true)
            // A file where the journal directory should be: not writable as a directory, even for root.
            try Data().write(to: URL(fileURLWithPath: directory + "/.adoperm/journal"))
            try await emulator.clearRequestLog()
            let outcome = await Applier(
                api: ClientAPI(client: client),
                clock: VirtualClock(),
                options: TestSupport.options(emulator, directory)
            )
            .run(plan: plan, selection: try selection(plan, lift))
            guard case .notStarted(let message) = outcome else {
                Issue.record("expected notStarted, got \(outcome)")
                return
            }
            #expect(message.contains("the journal cannot be written"))
            #expect(try await TestSupport.writes(emulator).isEmpty)
            #expect(
                try FileManager.default.contentsOfDirectory(atPath: directory + "/.adoperm/locks").isEmpty,
                "lock released"
            )
        }
    }

    @Test func aHeldLockStopsBeforeAnyWrite() async throws {
        try await withEmulator { emulator in
            let client = try TestSupport.client(emulator)
            let plan = try await TestSupport.plan(TestSupport.seedManifest, client: client)
            let lift = try #require(TestSupport.remedy(plan, rank: 3)).changes.map(\.id)
            let directory = try TestSupport.temporaryDirectory()
            let lock = try ApplyLock.acquire(
                organizationURL: emulator.organizationURL.absoluteString,
                directory: directory + "/.adoperm/locks",
                startedAt: "earlier",
                runId: "other"
            )
            defer { lock.release() }
            try await emulator.clearRequestLog()
            let outcome = await Applier(
                api: ClientAPI(client: client),
                clock: VirtualClock(),
                options: TestSupport.options(emulator, directory)
            )
            .run(plan: plan, selection: try selection(plan, lift))
            guard case .notStarted(let message) = outcome else {
                Issue.record("expected notStarted, got \(outcome)")
                return
            }
            #expect(message.contains("holds \(lock.path)"))
            #expect(try await emulator.requestLog().isEmpty, "not even the stale check read anything")
        }
    }

    @Test func anOutOfBandChangeMakesThePlanStale() async throws {
        try await withEmulator { emulator in
            let client = try TestSupport.client(emulator)
            let plan = try await TestSupport.plan(TestSupport.seedManifest, client: client)
            let lift = try #require(TestSupport.remedy(plan, rank: 3)).changes
            let target = lift[0].target
            // Someone narrows the deny after the plan was made.
            _ = try await client.setAccessControlEntries(
                namespaceId: try #require(target["namespaceId"]?.stringValue),
                token: try #require(target["token"]?.stringValue),
                entries: [
                    AccessControlEntry(
                        descriptor: IdentityDescriptor(try #require(target["descriptor"]?.stringValue)),
                        allow: 0,
                        deny: 16388
                    )
                ],
                merge: false
            )
            try await emulator.clearRequestLog()
            let outcome = await Applier(
                api: ClientAPI(client: client),
                clock: VirtualClock(),
                options: TestSupport.options(emulator, try TestSupport.temporaryDirectory())
            )
            .run(plan: plan, selection: try selection(plan, lift.map(\.id)))
            guard case .stale(let differences) = outcome else {
                Issue.record("expected stale, got \(outcome)")
                return
            }
            #expect(differences.count == 1)
            #expect(
                differences[0].details == [
                    "descriptor \(target["descriptor"]!.stringValue!): plan saw allow 0 deny 16404, now allow 0 deny 16388"
                ]
            )
            #expect(try await TestSupport.writes(emulator).isEmpty)
        }
    }

    @Test func anEditedLocalAgentFileIsRefused() async throws {
        try await withEmulator { emulator in
            let client = try TestSupport.client(emulator)
            let plan = try await TestSupport.plan(TestSupport.seedManifest, client: client)
            let remedy = try #require(TestSupport.remedy(plan, rank: 1))
            let checkout = try TestSupport.checkout()
            try "---\nname: edited\n---\n".write(
                toFile: checkout + "/agents/pr-reviewer.md",
                atomically: true,
                encoding: .utf8
            )
            try await emulator.clearRequestLog()
            let outcome = await Applier(
                api: ClientAPI(client: client),
                clock: VirtualClock(),
                options: TestSupport.options(emulator, try TestSupport.temporaryDirectory(), checkout: checkout)
            )
            .run(plan: plan, selection: try selection(plan, remedy.changes.filter { $0.kind != .manual }.map(\.id)))
            guard case .stale(let differences) = outcome else {
                Issue.record("expected stale, got \(outcome)")
                return
            }
            #expect(differences.map(\.object) == ["agent file \(checkout)/agents/pr-reviewer.md"])
            #expect(try await TestSupport.writes(emulator).isEmpty)
            // A checkout without the file is refused too, before anything is read or written.
            let empty = try TestSupport.temporaryDirectory()
            let missing = await Applier(
                api: ClientAPI(client: client),
                clock: VirtualClock(),
                options: TestSupport.options(emulator, empty)
            )
            .run(plan: plan, selection: try selection(plan, remedy.changes.filter { $0.kind != .manual }.map(\.id)))
            guard case .refused(let message) = missing else {
                Issue.record("expected refused, got \(missing)")
                return
            }
            #expect(message.contains("pass --checkout DIR"))
        }
    }

    @Test func aClassicDefinitionsScopeIsSetWithItsRevisionAndRestored() async throws {
        try await withEmulator { emulator in
            let client = try TestSupport.client(emulator)
            let plan = try await TestSupport.plan(
                """
                version: 1
                organization: https://dev.azure.com/contoso
                requirements:
                  - id: canary
                    subject: { pipeline: { project: Payments, name: Deploy-Canary } }
                    allow:
                      - git: { project: Payments, repository: payments-api }
                        permissions: [GenericRead, PullRequestContribute]
                """,
                client: client
            )
            let remedy = try #require(TestSupport.remedy(plan, rank: 2))
            #expect(remedy.recommended && remedy.changes.map(\.kind) == [.definition])
            let projectId = Fixtures.Contoso.paymentsProjectId
            let before = try await client.buildDefinition(project: projectId, id: 57)
            #expect(before.jobAuthorizationScope == .projectCollection)
            #expect(
                try await emulator.mintPipelineToken(definitionId: 57).identity
                    == Fixtures.Contoso.collectionBuildService
            )
            let clock = VirtualClock()
            let api = ClientAPI(client: client)
            let outcome = await Applier(
                api: api,
                clock: clock,
                options: TestSupport.options(emulator, try TestSupport.temporaryDirectory())
            )
            .run(plan: plan, selection: try selection(plan, remedy.changes.map(\.id)))
            guard case .applied(let run) = outcome else {
                Issue.record("expected applied, got \(outcome)")
                return
            }
            let applied = try await client.buildDefinition(project: projectId, id: 57)
            #expect(applied.jobAuthorizationScope == .project && applied.revision == before.revision + 1)
            #expect(
                try await emulator.mintPipelineToken(definitionId: 57).identity
                    == Fixtures.Contoso.buildService(scope: projectId)
            )
            let journal = try Journal.read(path: run.journalPath)
            let intent = try #require(journal.records.first { $0.type == .intent })
            #expect(intent.before?["revision"] == .int(before.revision))
            #expect(
                intent.before?["definition"]?["name"] == .string("Deploy-Canary"),
                "the full definition is journaled"
            )
            let results = try await rollBack(run.journalPath, api: api, clock: clock)
            #expect(results.map(\.status) == [.restored])
            let restored = try await client.buildDefinition(project: projectId, id: 57)
            // ADO counts every update: the scope is back, the revision moves on.
            #expect(restored.jobAuthorizationScope == .projectCollection && restored.revision == before.revision + 2)
            #expect(
                try await emulator.mintPipelineToken(definitionId: 57).identity
                    == Fixtures.Contoso.collectionBuildService
            )
        }
    }

    @Test func aLocalFileAgentOfTheManifestIsEditedBelowTheCheckout() async throws {
        try await withEmulator { emulator in
            let client = try TestSupport.client(emulator)
            let checkout = try TestSupport.checkout()
            let files = ["agents/pr-reviewer.md", "agents/pr-reviewer.lock.yml"]
            var localFiles: [String: String] = [:]
            for file in files { localFiles[file] = try String(contentsOfFile: checkout + "/" + file, encoding: .utf8) }
            let plan = try await TestSupport.plan(
                """
                version: 1
                organization: https://dev.azure.com/contoso
                requirements:
                  - id: reviewer
                    from-agent: { file: agents/pr-reviewer.md, project: Payments }
                remediation:
                  serviceConnection: { project: Payments, name: ado-aw-write }
                """,
                client: client,
                localFiles: localFiles
            )
            let changes = plan.findings.filter { $0.status == .gap }.compactMap {
                $0.remedies.first(where: \.recommended)
            }
            .flatMap(\.changes)
            let edit = try #require(changes.first { $0.kind == .frontMatter })
            #expect(edit.target["file"] == .string("agents/pr-reviewer.md"))
            let clock = VirtualClock()
            let api = ClientAPI(client: client)
            let outcome = await Applier(
                api: api,
                clock: clock,
                options: TestSupport.options(emulator, try TestSupport.temporaryDirectory(), checkout: checkout)
            )
            .run(plan: plan, selection: try selection(plan, [edit.id]))
            guard case .applied(let run) = outcome else {
                Issue.record("expected applied, got \(outcome)")
                return
            }
            let text = try String(contentsOfFile: checkout + "/agents/pr-reviewer.md", encoding: .utf8)
            #expect(text.contains("  write: ado-aw-write\n"))
            #expect(try await rollBack(run.journalPath, api: api, clock: clock).map(\.status) == [.restored])
            #expect(
                try String(contentsOfFile: checkout + "/agents/pr-reviewer.md", encoding: .utf8) == localFiles[files[0]]
            )
        }
    }
}
