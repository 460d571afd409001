import Apply
import Foundation
import Plan

/// The journals' changes as drift compares them (`JournalChange`), oldest run first.
enum JournalChanges {
    /// Every `*.jsonl` journal in `directory` (none when it does not exist) that belongs to `organization` (by
    /// name; journals that record no organization are kept). A journal that cannot be trusted (broken JSON or hash
    /// chain) is an error: drift would otherwise compare against the wrong after-images. A torn last line (an apply
    /// that is being written, or crashed mid-line) is dropped, as `journal show` does: its step had not started.
    static func read(directory: String, organization: String) throws -> (changes: [JournalChange], skipped: [String]) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            return ([], [])
        }
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { $0.hasSuffix(".jsonl") }.sorted()
        var journals: [Journal] = []
        var skipped: [String] = []
        for name in names {
            let path = directory + "/" + name
            switch Result(catching: { () throws(JournalError) in
                try Journal.read(path: path, allowingIncompleteTail: true)
            }) {
            case .success(let journal):
                if let recorded = journal.organization, let name = organizationName(recorded),
                    name.lowercased() != organization.lowercased()
                {
                    skipped.append("\(path) (organization \(name))")
                } else {
                    journals.append(journal)
                }
            case .failure(let error):
                throw CLIError.cannotRead(path: path, reason: error.description)
            }
        }
        journals.sort { ($0.startedAt, $0.runId) < ($1.startedAt, $1.runId) }
        // A rollback journaled in another run's file names the run it undoes (`rollsBack`).
        var rolledBack: Set<String> = []
        for journal in journals {
            for record in journal.records where record.type == .rolledBack {
                if let run = record.rollsBack, let change = record.change { rolledBack.insert(run + "|" + change) }
            }
        }
        var changes: [JournalChange] = []
        for journal in journals {
            for outcome in journal.outcomes {
                guard let target = outcome.target else { continue }
                let undone = rolledBack.contains(journal.runId + "|" + outcome.change)
                changes.append(
                    JournalChange(
                        runId: journal.runId,
                        change: outcome.change,
                        journal: journal.path,
                        state: undone ? ChangeOutcome.State.rolledBack.rawValue : outcome.state.rawValue,
                        target: target,
                        before: outcome.before,
                        after: outcome.after,
                        summary: intentSummary(journal, outcome.change)
                    )
                )
            }
        }
        return (changes, skipped)
    }

    /// The change's summary, as the intent record's message carries it.
    private static func intentSummary(_ journal: Journal, _ change: String) -> String? {
        journal.records.first { $0.type == .intent && $0.change == change }?.message
    }

    /// `https://dev.azure.com/contoso` → `contoso`; `http://127.0.0.1:8080/contoso/` → `contoso`.
    static func organizationName(_ url: String) -> String? {
        URL(string: url)?.pathComponents.filter { $0 != "/" }.last
    }
}
