import ADOClient
import Apply
import ArgumentParser
import Foundation
import Plan

/// `adoperm rollback <journal> [--only c-…]` (CONTRACTS.md §4–5).
struct RollbackCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollback",
        abstract: "Undo the changes of an apply run from its journal.",
        discussion: """
            Restores each change's before-image, most recent first (an ACE that did not exist is removed), and \
            journals the rollback in the same journal. A change whose write may or may not have happened (the run \
            was interrupted) is decided by reading live state: if it shows the after-image it is restored, if it \
            shows the before-image nothing is written. An object changed by someone else since is left alone and \
            reported. Running rollback again writes nothing. A journal whose hash chain is broken is refused.
            """
    )

    @Argument(help: ArgumentHelp("The run's journal (or its run id).", valueName: ".adoperm/journal/RUN.jsonl"))
    var journal: String

    @Option(help: ArgumentHelp("Undo only these change ids (comma-separated; repeatable).", valueName: "c-…"))
    var only: [String] = []

    @OptionGroup var organization: OrgOptions

    func validate() throws {
        if organization.snapshotPath != nil {
            throw ValidationError("rollback writes to an organization: use --org or --emulate, not --snapshot")
        }
    }

    func run() async throws {
        try await runReporting {
            let terminal = Terminal(environment: ProcessInfo.processInfo.environment)
            let path = JournalLocation.resolve(journal)
            let read = Result(catching: { () throws(JournalError) in
                try Journal.read(path: path, allowingIncompleteTail: true)
            })
            guard case .success(let recorded) = read else {
                if case .failure(let error) = read { throw CLIError.refused("refused: \(error.description)") }
                throw CLIError.refused("refused: \(path)")
            }
            if recorded.droppedIncompleteTail {
                terminal.err(
                    "note: the last line of \(path) is incomplete (the writer stopped mid-line); it is ignored "
                        + "and cut off: the step it began had not started"
                )
            }
            let ids = only.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
            let planned = Result(catching: { () throws(RollbackError) in
                try RollbackPlan.entries(recorded, only: ids.isEmpty ? nil : ids)
            })
            let entries: [RollbackEntry]
            switch planned {
            case .success(let value): entries = value
            case .failure(let error): throw CLIError.invalidArgument(error.description)
            }
            guard !entries.isEmpty else {
                let wroteNothing = !recorded.records.contains { $0.type == .intent }
                terminal.out(
                    wroteNothing
                        ? "nothing to roll back: run \(recorded.runId) recorded no change"
                        : "nothing to roll back: every change of run \(recorded.runId)"
                            + (ids.isEmpty ? "" : " named by --only") + " is already rolled back"
                )
                // A run killed before its first change still holds its lock; the rollback of that run clears it,
                // as it would after undoing changes.
                let state = StateDirectory.of(journal: recorded.path)
                for path in ApplyLock.clearStale(ofRun: recorded.runId, directory: state.locks) {
                    terminal.out("cleared the stale apply lock \(path) of run \(recorded.runId)")
                }
                return .success
            }
            return try await organization.withConnection(manifestOrganization: recorded.organization) { connection in
                guard let client = connection.client else {
                    throw CLIError.invalidArgument("rollback needs a live organization (--org or --emulate)")
                }
                try OrganizationMatch.check(recorded: recorded.organization, client: client, what: "the journal")
                return try await Self.rollBack(recorded, entries, client: client, terminal: terminal)
            }
        }
    }

    static func rollBack(
        _ recorded: Journal,
        _ entries: [RollbackEntry],
        client: OrganizationClient,
        terminal: Terminal
    )
        async throws -> ExitStatus
    {
        let clock = SystemRetryClock()
        let state = StateDirectory.of(journal: recorded.path)
        let lock: ApplyLock
        do {
            lock = try ApplyLock.acquire(
                organizationURL: client.endpoint.organizationURL.absoluteString,
                directory: state.locks,
                startedAt: PlanDocument.timestamp(Date()),
                runId: recorded.runId,
                takingOverFrom: recorded.runId
            )
        } catch {
            throw CLIError.remote(error.description)
        }
        defer { lock.release() }
        let writer: JournalWriter
        do {
            writer = try JournalWriter(continuing: recorded)
            let environment = ProcessInfo.processInfo.environment
            try writer.append(
                JournalRecord(
                    seq: 0,
                    runId: "",
                    planId: "",
                    type: .begin,
                    target: .object([
                        "organization": .string(client.endpoint.organizationURL.absoluteString),
                        "operation": .string("rollback"),
                    ]),
                    at: PlanDocument.timestamp(Date()),
                    approvedBy: environment["USER"] ?? environment["LOGNAME"],
                    message: "rollback of " + entries.map(\.change).joined(separator: ", ")
                )
            )
        } catch {
            throw CLIError.cannotWrite(path: recorded.path, reason: error.description)
        }
        terminal.out("rollback of run \(recorded.runId): \(entries.count) change(s), most recent first")
        let rollbacker = Rollbacker(io: ResourceIO(api: ClientAPI(client: client)), clock: clock)
        let results = await rollbacker.run(entries, journal: writer) { terminal.out(RollbackOutput.line($0)) }
        let complete = results.allSatisfy(\.isUndone)
        _ = try? writer.append(
            JournalRecord(
                seq: 0,
                runId: "",
                planId: "",
                type: .end,
                at: PlanDocument.timestamp(Date()),
                message: complete ? "rolled back" : "rollback incomplete"
            )
        )
        if complete {
            terminal.out("rolled back run \(recorded.runId)")
            return .success
        }
        let left = results.filter { !$0.isUndone }.map(\.change).joined(separator: ", ")
        terminal.err("error: rollback incomplete for \(left); see `adoperm journal show \(recorded.runId)`")
        return .error
    }
}

enum RollbackOutput {
    static func line(_ result: RollbackResult) -> String {
        switch result.status {
        case .restored: "  ↺ \(result.change) \(result.resource): \(result.message)"
        case .nothingToDo: "  ↺ \(result.change) \(result.resource): \(result.message)"
        case .conflict: "  ! \(result.change) \(result.resource): \(result.message)"
        case .failed: "  ✗ \(result.change) \(result.resource): \(result.message)"
        }
    }
}

/// A journal named by path, or by run id under `.adoperm/journal/`.
enum JournalLocation {
    static func resolve(_ argument: String) -> String {
        if argument.contains("/") || argument.hasSuffix(".jsonl") { return argument }
        return StateDirectory.current.journal + "/" + argument + ".jsonl"
    }
}
