import ADOEmulator
import EmulatorSupport
import Foundation
import Testing

/// Failures during `apply`: an injected write failure, a lost response, SIGKILL at a hook point, locks, and the
/// journal commands that describe what happened — through the built binary, against an in-process emulator.
@Suite(.serialized) struct ApplyRecoveryTests {
    /// The first five Xopero grants (one ACE each, on five different tokens).
    func fiveGrants(_ workspace: ApplyWorkspace) throws -> [String] {
        let findings = try workspace.planJSON()["findings"] as? [[String: Any]] ?? []
        let ids = findings.compactMap { finding -> String? in
            let remedy = (finding["remedies"] as? [[String: Any]] ?? []).first { $0["recommended"] as? Bool == true }
            return (remedy?["changes"] as? [[String: Any]])?.first?["id"] as? String
        }
        return Array(ids.prefix(5))
    }

    @Test func anInjectedFailureOnTheThirdOfFiveWritesRollsBackTheFirstTwo() async throws {
        try await withEmulator { emulator in
            let workspace = try ApplyWorkspace(emulator, manifest: ApplyWorkspace.xoperoManifest)
            #expect(try await workspace.plan().status == 0)
            let ids = try fiveGrants(workspace)
            #expect(ids.count == 5)
            let before = try await emulator.stateDump()
            try await emulator.setFaults(
                yaml: "rules:\n  - name: third-write\n    method: write\n    nth: 3\n    fault: 500\n"
            )
            try await emulator.clearRequestLog()
            let result = try await workspace.apply(ids)
            #expect(result.status == 3, "\(result.stdout)\(result.stderr)")
            #expect(result.stderr.contains("apply stopped"))
            #expect(result.stderr.contains("was rolled back"))
            let verified = result.stdout.split(separator: "\n").filter { $0.contains("✓") }
            let failed = result.stdout.split(separator: "\n").filter { $0.contains("✗") }
            #expect(verified.count == 2 && failed.count == 1, "\(result.stdout)")
            #expect(result.stdout.contains("rolling back 3 change(s) of this run, most recent first:"))
            #expect(
                result.stdout.split(separator: "\n").filter { $0.contains("↺") && $0.contains("restored") }.count == 2
            )
            #expect(result.stdout.contains("nothing to undo (the write did not take effect"))
            #expect(try await emulator.stateDump() == before, "state identical to before")
            // Writes: two grants, the failed third, two removals. Changes 4 and 5 never reached the organization.
            let writes = try await emulator.requestLog().filter(\.isWrite)
            #expect(writes.map(\.status) == [200, 200, 500, 200, 200], "\(writes.map { "\($0.method) \($0.status)" })")
            let types = try workspace.journalLines().map { $0["type"] as? String ?? "" }
            #expect(
                types == [
                    "begin", "intent", "applied", "verified", "intent", "applied", "verified", "intent", "failed",
                    "rolled-back", "rollback-intent", "rolled-back", "rollback-intent", "rolled-back", "end",
                ]
            )
            let list = try await workspace.run(["journal", "list"])
            #expect(list.stdout.contains("rolled-back"), "\(list.stdout)")
        }
    }

    @Test func aLostResponseIsRecognisedByReadingBackNotRepeated() async throws {
        try await withEmulator { emulator in
            let workspace = try ApplyWorkspace(emulator)
            #expect(try await workspace.plan().status == 0)
            let ids = try workspace.changeIds(rank: 3)
            let before = try await emulator.stateDump()
            try await emulator.setFaults(
                yaml: """
                    keepAlive: false
                    rules:
                      - name: lost
                        method: write
                        nth: 1
                        fault: lost-response
                    """
            )
            try await emulator.clearRequestLog()
            let result = try await workspace.apply(ids)
            #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
            #expect(
                try await emulator.requestLog().filter(\.isWrite).count == 1,
                "the write was applied once, not re-sent"
            )
            #expect(try await ApplyCommandTests.pipelineCall(emulator).status == 200)
            try await emulator.clearFaults()
            #expect(try await workspace.rollback(try workspace.journal()).status == 0)
            #expect(try await emulator.stateDump() == before)
        }
    }

    /// SIGKILL at `point` of a three-grant apply, then `rollback` restores the state from before the apply.
    func killed(at point: String, inDoubtExpected: Bool) async throws {
        try await withEmulator { emulator in
            let workspace = try ApplyWorkspace(emulator, manifest: ApplyWorkspace.xoperoManifest)
            #expect(try await workspace.plan().status == 0)
            let ids = Array(try fiveGrants(workspace).prefix(3))
            let before = try await emulator.stateDump()
            let paused = try await PausedApply(workspace, ids: ids, pauseAfter: point)
            paused.kill()
            let journal = try workspace.journal()
            let types = try workspace.journalLines().map { $0["type"] as? String ?? "" }
            #expect(types.last == "intent", "\(types)")
            #expect(try await emulator.stateDump() != before, "the first change was written before the kill")

            let show = try await workspace.run([
                "journal", "show", URL(fileURLWithPath: journal).deletingPathExtension().lastPathComponent,
            ])
            #expect(show.status == 0)
            #expect(show.stdout.contains("in-doubt  (intent journaled, no result"), "\(show.stdout)")
            #expect(show.stdout.contains("status interrupted (1 in doubt)"))
            let list = try await workspace.run(["journal", "list"])
            #expect(list.stdout.contains("interrupted (1 in doubt)"))

            // The dead process left its lock: a new apply is refused and told how to clear it.
            let blocked = try await workspace.apply(ids)
            #expect(blocked.status == 1)
            #expect(blocked.stderr.contains("stale apply lock"), "\(blocked.stderr)")
            #expect(blocked.stderr.contains("is no longer running"))
            #expect(blocked.stderr.contains("adoperm rollback .adoperm/journal/"))
            #expect(blocked.stderr.contains("rm "))

            let rolledBack = try await workspace.rollback(journal)
            #expect(rolledBack.status == 0, "\(rolledBack.stdout)\(rolledBack.stderr)")
            let undo = rolledBack.stdout.split(separator: "\n").filter { $0.contains("↺") }
            #expect(undo.count == 2)
            #expect(undo.first?.contains(inDoubtExpected ? "restored" : "nothing to undo") == true, "\(undo)")
            #expect(try await emulator.stateDump() == before, "rollback restored the pre-apply state exactly")
            #expect(try await workspace.run(["journal", "verify", journal]).status == 0)
            // The lock was taken over and released: applying again is possible (and now the plan is current).
            let again = try await workspace.apply(ids)
            #expect(again.status == 0, "\(again.stderr)")
        }
    }

    @Test func sigkillRightAfterAnIntentIsDurable() async throws {
        // The second change's intent is durable, its write never sent: rollback finds its before-image live.
        try await killed(at: "intent:2", inDoubtExpected: false)
    }

    @Test func sigkillAfterAWriteButBeforeItsAppliedRecord() async throws {
        // The second change was written but not journaled as applied: rollback finds its after-image and restores.
        try await killed(at: "written:2", inDoubtExpected: true)
    }

    @Test func aSecondApplyWhileOneRunsIsRefused() async throws {
        try await withEmulator { emulator in
            let workspace = try ApplyWorkspace(emulator)
            #expect(try await workspace.plan().status == 0)
            let ids = try workspace.changeIds(rank: 3)
            let paused = try await PausedApply(workspace, ids: ids, pauseAfter: "intent:1")
            defer { paused.kill() }
            try await emulator.clearRequestLog()
            let second = try await workspace.apply(ids)
            #expect(second.status == 1)
            #expect(
                second.stderr.contains("another adoperm apply or rollback (pid \(paused.process.processIdentifier)"),
                "\(second.stderr)"
            )
            #expect(try await emulator.requestLog().isEmpty)
            let rollback = try await workspace.rollback(try workspace.journal())
            #expect(rollback.status == 1, "rollback waits for the live apply too")
            #expect(rollback.stderr.contains("another adoperm apply or rollback"))
        }
    }

    @Test func aBrokenJournalIsRefusedNamingTheLine() async throws {
        try await withEmulator { emulator in
            let workspace = try ApplyWorkspace(emulator)
            #expect(try await workspace.plan().status == 0)
            #expect(try await workspace.apply(try workspace.changeIds(rank: 3)).status == 0)
            let journal = try workspace.journal()
            #expect(try await workspace.run(["journal", "verify", journal]).stdout.contains("hash chain intact"))
            var lines = try String(contentsOfFile: journal, encoding: .utf8).split(separator: "\n").map(String.init)
            lines[1] = lines[1].replacingOccurrences(of: "\"deny\":16404", with: "\"deny\":0")
            try (lines.joined(separator: "\n") + "\n").write(toFile: journal, atomically: true, encoding: .utf8)
            let verify = try await workspace.run(["journal", "verify", journal])
            #expect(verify.status == 1)
            #expect(verify.stderr.contains("\(journal):3: journal hash chain is broken"), "\(verify.stderr)")
            try await emulator.clearRequestLog()
            let rollback = try await workspace.rollback(journal)
            #expect(rollback.status == 4)
            #expect(rollback.stderr.contains(":3: journal hash chain is broken"))
            #expect(try await emulator.requestLog().isEmpty)
        }
    }

    @Test func rollbackOnlySomeChanges() async throws {
        try await withEmulator { emulator in
            let workspace = try ApplyWorkspace(emulator)
            #expect(try await workspace.plan().status == 0)
            let ids = try workspace.changeIds(rank: 1)
            #expect(try await workspace.apply(ids).status == 0)
            let journal = try workspace.journal()
            let unknown = try await workspace.rollback(journal, ["--only", "c-000000000000"])
            #expect(unknown.status == 1 && unknown.stderr.contains("no intent for c-000000000000"))
            let fileChange =
                try workspace.changes(rank: 1).first { $0["kind"] as? String == "front-matter" }?["id"] as? String
            let only = try await workspace.rollback(journal, ["--only", try #require(fileChange)])
            #expect(only.status == 0)
            #expect(!(try String(contentsOf: workspace.agentFile, encoding: .utf8)).contains("write: ado-aw-write"))
            #expect(
                try await ApplyCommandTests.prThread(emulator, bearer: Fixtures.Credentials.adoAwWriteBearer).status
                    == 200,
                "the grant stays"
            )
            let rest = try await workspace.rollback(journal)
            #expect(rest.stdout.contains("1 change(s)"), "\(rest.stdout)")
            #expect(
                try await ApplyCommandTests.prThread(emulator, bearer: Fixtures.Credentials.adoAwWriteBearer).status
                    == 403
            )
        }
    }

    @Test func anUnwritableJournalDirectoryStopsBeforeAnyWrite() async throws {
        try await withEmulator { emulator in
            let workspace = try ApplyWorkspace(emulator)
            #expect(try await workspace.plan().status == 0)
            // A file where the journal directory belongs: the journal cannot be created, even by root.
            try FileManager.default.createDirectory(
                at: workspace.directory.appendingPathComponent(".adoperm"),
                withIntermediateDirectories: true
            )
            try Data().write(to: workspace.journalDirectory)
            try await emulator.clearRequestLog()
            let result = try await workspace.apply(try workspace.changeIds(rank: 3))
            #expect(result.status == 1)
            #expect(result.stderr.contains("the journal cannot be written"), "\(result.stderr)")
            #expect(result.stderr.contains("nothing was written to the organization"))
            #expect(try await emulator.requestLog().filter(\.isWrite).isEmpty)
        }
    }
}
