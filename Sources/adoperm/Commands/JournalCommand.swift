import Apply
import ArgumentParser
import Foundation
import Plan

/// `adoperm journal list | show RUN | verify RUN`.
struct JournalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "journal",
        abstract: "List, show and verify the journals of apply runs (.adoperm/journal/).",
        subcommands: [List.self, Show.self, Verify.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One line per run: start, status, changes, plan.")

        @Option(help: ArgumentHelp("Journal directory.", valueName: "DIR"))
        var dir: String?

        func run() async throws {
            try await runReporting {
                let terminal = Terminal(environment: ProcessInfo.processInfo.environment)
                let directory = dir ?? StateDirectory.current.journal
                let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
                    .filter { $0.hasSuffix(".jsonl") }.sorted()
                guard !names.isEmpty else {
                    terminal.out("no journals in \(directory)")
                    return .success
                }
                for name in names {
                    let path = directory + "/" + name
                    let runId = String(name.dropLast(".jsonl".count))
                    switch Result(catching: { () throws(JournalError) in try Journal.read(path: path) }) {
                    case .success(let journal):
                        let changes = journal.outcomes.count
                        terminal.out(
                            "\(runId)  \(journal.startedAt)  \(journal.status)  \(changes) change(s)  plan "
                                + "\(journal.planId.prefix(12))…  \(journal.organization ?? "?")"
                        )
                    case .failure(let error):
                        terminal.out("\(runId)  unreadable: \(error.description)")
                    }
                }
                return .success
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Every record of a run and where each change stands (in-doubt changes marked)."
        )

        @Argument(help: ArgumentHelp("Run id or journal path.", valueName: "RUN"))
        var runId: String

        func run() async throws {
            try await runReporting {
                let terminal = Terminal(environment: ProcessInfo.processInfo.environment)
                let journal = try JournalReading.read(runId, allowingIncompleteTail: true)
                if journal.droppedIncompleteTail {
                    terminal.out("note: the last line is incomplete (the writer stopped mid-line) and is not shown")
                }
                terminal.out("run \(journal.runId)  plan \(journal.planId)")
                terminal.out(
                    "organization \(journal.organization ?? "?")  approved by \(journal.approvedBy ?? "?")  "
                        + "status \(journal.status)"
                )
                for record in journal.records {
                    var line = "\(record.seq). \(record.at)  \(record.type.rawValue)"
                    if let change = record.change { line += "  \(change)" }
                    if let message = record.message { line += "  \(message)" }
                    terminal.out(line)
                }
                terminal.out("changes:")
                for outcome in journal.outcomes {
                    var line = "  \(outcome.change)  \(outcome.state.rawValue)"
                    switch outcome.state {
                    case .inDoubt:
                        line +=
                            "  (intent journaled, no result: the write may or may not have happened; "
                            + "`adoperm rollback` reads live state to decide)"
                    case .rollbackInDoubt:
                        line += "  (a rollback started but did not record its result; run `adoperm rollback` again)"
                    default: break
                    }
                    if let target = outcome.target, let resource = Resource.decode(journalTarget: target) {
                        line += "\n      \(resource.label)"
                        if let before = Image.decode(outcome.before, kind: resource.kind),
                            let after = Image.decode(outcome.after, kind: resource.kind)
                        {
                            line += ": before \(before.summary) → after \(after.summary)"
                        }
                    }
                    terminal.out(line)
                }
                return .success
            }
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check a journal's JSON and hash chain.")

        @Argument(help: ArgumentHelp("Run id or journal path.", valueName: "RUN"))
        var runId: String

        func run() async throws {
            try await runReporting {
                let terminal = Terminal(environment: ProcessInfo.processInfo.environment)
                let journal = try JournalReading.read(runId)
                terminal.out("\(journal.path): \(journal.records.count) records, hash chain intact")
                return .success
            }
        }
    }
}

enum JournalReading {
    /// Reads and verifies a journal; a broken one is an error naming the line.
    static func read(_ argument: String, allowingIncompleteTail: Bool = false) throws -> Journal {
        let path = JournalLocation.resolve(argument)
        let result = Result(catching: { () throws(JournalError) in
            try Journal.read(path: path, allowingIncompleteTail: allowingIncompleteTail)
        })
        switch result {
        case .success(let journal): return journal
        case .failure(let error): throw CLIError.invalidArgument(error.description)
        }
    }
}
