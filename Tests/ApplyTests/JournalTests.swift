import Apply
import Foundation
import Plan
import Testing

@Suite("Journal")
struct JournalTests {
    let directory: String

    init() throws {
        directory = NSTemporaryDirectory() + "adoperm-journal-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    private func writeSample(_ path: String, crashAfterIntent: Bool = false) throws {
        let writer = try JournalWriter(path: path, runId: "run-1", planId: "plan-1")
        let target: JSONValue = .object(["token": .string("repoV2/p/r"), "namespaceId": .string("ns")])
        try writer.append(
            JournalRecord(seq: 0, runId: "", planId: "", type: .begin, at: "2026-11-25T00:00:00Z", approvedBy: "alice")
        )
        try writer.append(
            JournalRecord(
                seq: 0,
                runId: "",
                planId: "",
                type: .intent,
                change: "c-000000000001",
                target: target,
                before: .object(["deny": .int(16404)]),
                after: .object(["deny": .int(0)]),
                at: "2026-11-25T00:00:01Z"
            )
        )
        if crashAfterIntent { return }
        try writer.append(
            JournalRecord(
                seq: 0,
                runId: "",
                planId: "",
                type: .applied,
                change: "c-000000000001",
                at: "2026-11-25T00:00:02Z"
            )
        )
        try writer.append(
            JournalRecord(
                seq: 0,
                runId: "",
                planId: "",
                type: .verified,
                change: "c-000000000001",
                at: "2026-11-25T00:00:03Z"
            )
        )
        try writer.append(JournalRecord(seq: 0, runId: "", planId: "", type: .end, at: "2026-11-25T00:00:04Z"))
    }

    @Test func roundTripsAndVerifiesTheChain() throws {
        let path = directory + "/run-1.jsonl"
        try writeSample(path)
        let journal = try Journal.read(path: path)
        #expect(journal.records.map(\.type) == [.begin, .intent, .applied, .verified, .end])
        #expect(journal.records.map(\.seq) == [1, 2, 3, 4, 5])
        #expect(journal.records[0].prev == JournalRecord.genesis)
        #expect(journal.isComplete)
        #expect(journal.outcomes.map(\.state) == [.verified])
        #expect(journal.outcomes[0].before == .object(["deny": .int(16404)]))
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test func editedLineBreaksTheChainAtTheNextLine() throws {
        let path = directory + "/run-1.jsonl"
        try writeSample(path)
        var text = try String(contentsOfFile: path, encoding: .utf8)
        text = text.replacingOccurrences(of: "16404", with: "16405")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: JournalError.brokenChain(path: path, line: 3)) { try Journal.read(path: path) }
    }

    @Test func removedLineIsDetected() throws {
        let path = directory + "/run-1.jsonl"
        try writeSample(path)
        var lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        lines.remove(at: 2)
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: JournalError.brokenChain(path: path, line: 3)) { try Journal.read(path: path) }
    }

    @Test func truncatedLastLineIsRefusedWithItsNumber() throws {
        let path = directory + "/run-1.jsonl"
        try writeSample(path)
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        try data.prefix(data.count - 10).write(to: URL(fileURLWithPath: path))
        #expect(throws: JournalError.self) { try Journal.read(path: path) }
        do {
            _ = try Journal.read(path: path)
        } catch {
            #expect(error.description.contains(":5:"))
        }
    }

    @Test func aTornLastLineCanBeDroppedAndIsCutOffBeforeTheNextRecord() throws {
        let path = directory + "/run-1.jsonl"
        try writeSample(path)
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        try data.prefix(data.count - 10).write(to: URL(fileURLWithPath: path))
        let journal = try Journal.read(path: path, allowingIncompleteTail: true)
        #expect(journal.droppedIncompleteTail)
        #expect(journal.records.map(\.type) == [.begin, .intent, .applied, .verified])
        #expect(!journal.isComplete)
        let writer = try JournalWriter(continuing: journal)
        try writer.append(
            JournalRecord(seq: 0, runId: "", planId: "", type: .rolledBack, change: "c-000000000001", at: "t")
        )
        let again = try Journal.read(path: path)
        #expect(again.records.map(\.seq) == [1, 2, 3, 4, 5])
        #expect(again.records.last?.type == .rolledBack)
        #expect(!again.droppedIncompleteTail)
    }

    @Test func intentWithoutAppliedIsInDoubt() throws {
        let path = directory + "/run-2.jsonl"
        try writeSample(path, crashAfterIntent: true)
        let journal = try Journal.read(path: path)
        #expect(!journal.isComplete)
        #expect(journal.outcomes.map(\.state) == [.inDoubt])
        #expect(journal.outcomes[0].mayHaveWritten)
    }

    @Test func continuingAJournalKeepsTheChain() throws {
        let path = directory + "/run-1.jsonl"
        try writeSample(path)
        let writer = try JournalWriter(continuing: try Journal.read(path: path))
        try writer.append(
            JournalRecord(seq: 0, runId: "", planId: "", type: .rollbackIntent, change: "c-000000000001", at: "t")
        )
        try writer.append(
            JournalRecord(seq: 0, runId: "", planId: "", type: .rolledBack, change: "c-000000000001", at: "t")
        )
        let journal = try Journal.read(path: path)
        #expect(journal.records.count == 7)
        #expect(journal.outcomes.map(\.state) == [.rolledBack])
    }

    @Test func newJournalNeverOverwritesAnExistingOne() throws {
        let path = directory + "/run-1.jsonl"
        try writeSample(path)
        #expect(throws: JournalError.self) { try JournalWriter(path: path, runId: "x", planId: "y") }
    }
}

@Suite("Apply lock")
struct ApplyLockTests {
    @Test func secondAcquireIsRefusedWhileHeld() throws {
        let directory = NSTemporaryDirectory() + "adoperm-lock-\(UUID().uuidString)"
        let lock = try ApplyLock.acquire(
            organizationURL: "https://dev.azure.com/contoso",
            directory: directory,
            startedAt: "now"
        )
        #expect(throws: ApplyLockError.self) {
            try ApplyLock.acquire(
                organizationURL: "https://dev.azure.com/CONTOSO",
                directory: directory,
                startedAt: "now"
            )
        }
        lock.release()
        let again = try ApplyLock.acquire(
            organizationURL: "https://dev.azure.com/contoso",
            directory: directory,
            startedAt: "now"
        )
        again.release()
    }

    @Test func lockOfADeadProcessIsReportedAsStale() throws {
        let directory = NSTemporaryDirectory() + "adoperm-lock-\(UUID().uuidString)"
        let lock = try ApplyLock.acquire(
            organizationURL: "https://dev.azure.com/contoso",
            directory: directory,
            startedAt: "now"
        )
        // A pid far above pid_max cannot be running.
        try "99999999\nearlier\n".write(toFile: lock.path, atomically: true, encoding: .utf8)
        // Typed throws: the error is statically an ApplyLockError (a `catch let e as` here crashes swiftc 6.3.1).
        let result = Result { () throws(ApplyLockError) in
            try ApplyLock.acquire(
                organizationURL: "https://dev.azure.com/contoso",
                directory: directory,
                startedAt: "now"
            )
        }
        guard case .failure(let error) = result, case .stale(_, let pid, _, _) = error else {
            Issue.record("expected a stale-lock error, got \(result)")
            return
        }
        #expect(pid == 99_999_999)
        #expect(error.description.contains("rm "))
    }
}
