import ADOClient
import Apply
import ArgumentParser
import Foundation
import Plan

/// `adoperm apply` (CONTRACTS.md §5): performs exactly the approved changes of a verified plan, journaled.
struct ApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Apply the approved changes of a plan, with a write-ahead journal to roll them back.",
        discussion: """
            Only approved changes are written: --approve with their ids, --approvals with an approvals file for \
            this plan, or, on a terminal, a yes/no question per change of the recommended remedies. The plan must \
            be unedited (its planId is the hash of its content) and the organization must still look as it did \
            when the plan was made, else nothing is written (exit 4). Each write is journaled under \
            .adoperm/journal/ before it is sent and read back after; if one fails, the run's changes are rolled \
            back (exit 3). Front-matter changes edit the agent file below --checkout. Manual changes are listed \
            as steps for you; adoperm never performs them. Exit status: 0 applied, 3 stopped and rolled back, 4 \
            refused (stale or edited plan, missing or unfitting approval), 1 any other error (lock held, journal not \
            writable, rollback incomplete).
            """
    )

    @Argument(help: ArgumentHelp("The plan (`adoperm plan -o plan.json`).", valueName: "plan.json"))
    var plan: String

    @Option(
        name: .customLong("approve"),
        help: ArgumentHelp("Change ids to apply, comma-separated (repeatable).", valueName: "c-…,c-…")
    )
    var approve: [String] = []

    @Option(help: ArgumentHelp("Approvals file: planId, approvedBy, changes, comment.", valueName: "approvals.yaml"))
    var approvals: String?

    @Option(help: ArgumentHelp("Who approves (--approve and the prompt; default: $USER).", valueName: "name"))
    var approvedBy: String?

    @Option(
        help: ArgumentHelp(
            "Working copy of the agents' repository (front-matter changes edit files below it).",
            valueName: "DIR"
        )
    )
    var checkout: String = "."

    @OptionGroup var organization: OrgOptions

    func validate() throws {
        if !approve.isEmpty && approvals != nil {
            throw ValidationError("--approve and --approvals are mutually exclusive")
        }
        if organization.snapshotPath != nil {
            throw ValidationError("apply writes to an organization: use --org or --emulate, not --snapshot")
        }
    }

    func run() async throws {
        try await runReporting {
            let environment = ProcessInfo.processInfo.environment
            let terminal = Terminal(environment: environment)
            let document = try Self.verifiedPlan(plan)
            let who = approvedBy ?? environment["USER"] ?? environment["LOGNAME"] ?? "unknown"
            let approval = try approvalFor(document, approvedBy: who, terminal: terminal)
            let selection: Selection
            do {
                selection = try Selection.make(plan: document, approval: approval)
            } catch {
                throw CLIError.refused("refused: \(error); nothing was written")
            }
            let planId = document.planId ?? ""
            terminal.out(
                "plan \(planId.prefix(12))… verified; \(selection.steps.count) change(s) to apply, approved by "
                    + "\(approval.approvedBy)"
            )
            for note in selection.notes { terminal.out("note: \(note)") }
            guard !selection.steps.isEmpty else {
                ApplyOutput.manualSteps(selection, terminal)
                terminal.out("nothing to write")
                return .success
            }
            let pause = try Self.pausePoint(environment)
            return try await organization.withConnection(manifestOrganization: document.organization) { connection in
                guard let client = connection.client else {
                    throw CLIError.invalidArgument("apply needs a live organization (--org or --emulate)")
                }
                try OrganizationMatch.check(recorded: document.organization, client: client, what: "the plan")
                let state = StateDirectory.current
                let options = ApplyOptions(
                    organizationURL: client.endpoint.organizationURL.absoluteString,
                    journalDirectory: state.journal,
                    lockDirectory: state.locks,
                    checkout: Files.resolve(checkout, relativeTo: FileManager.default.currentDirectoryPath),
                    runId: RunId.generate(at: Date()),
                    planPath: plan,
                    pause: pause,
                    onPause: { point in
                        terminal.err(
                            "adoperm: paused at \(point) (test hook ADOPERM_TEST_PAUSE_AFTER), pid \(getpid())"
                        )
                        while true { sleep(3600) }
                    }
                )
                let applier = Applier(api: ClientAPI(client: client), clock: SystemRetryClock(), options: options)
                let outcome = await applier.run(plan: document, selection: selection) { event in
                    ApplyOutput.event(event, terminal)
                }
                return ApplyOutput.finish(outcome, selection, terminal)
            }
        }
    }

    /// The plan file, verified: planId must be the digest of its body and every change id its content's.
    static func verifiedPlan(_ path: String) throws -> PlanDocument {
        let data = try Files.readData(path)
        switch PlanDocument.verify(data) {
        case .valid(let document): return document
        case .invalid(let reason): throw CLIError.refused("refused: \(path): \(reason); nothing was written")
        }
    }

    func approvalFor(_ document: PlanDocument, approvedBy: String, terminal: Terminal) throws -> Approval {
        if !approve.isEmpty { return Approval.commandLine(approve, approvedBy: approvedBy) }
        if let approvals {
            let text = try Files.readText(approvals)
            switch Result(catching: { () throws(ApprovalError) in try ApprovalsFile.parse(text, file: approvals) }) {
            case .success(let approval): return approval
            case .failure(let error): throw CLIError.refused("refused: \(error.description); nothing was written")
            }
        }
        guard isatty(STDIN_FILENO) == 1 else { throw CLIError.refused("refused: \(ApprovalError.missing.description)") }
        return ApprovalSession.ask(document, approvedBy: approvedBy, terminal: terminal)
    }

    static func pausePoint(_ environment: [String: String]) throws -> PausePoint? {
        guard let text = environment["ADOPERM_TEST_PAUSE_AFTER"], !text.isEmpty else { return nil }
        guard let point = PausePoint.parse(text) else {
            throw CLIError.invalidArgument(
                "ADOPERM_TEST_PAUSE_AFTER must be KIND:N with KIND one of "
                    + PausePoint.Kind.allCases.map(\.rawValue).joined(separator: ", ")
            )
        }
        return point
    }
}

/// The yes/no prompt on a terminal.
enum ApprovalSession {
    static func ask(_ document: PlanDocument, approvedBy: String, terminal: Terminal) -> Approval {
        var approved: [String] = []
        var atEnd = false
        for question in ApprovalPrompt.questions(document) {
            for line in question.text { terminal.out(line) }
            if question.isManual {
                terminal.out("  (a step for you: adoperm does not perform it)")
                continue
            }
            while !atEnd {
                FileHandle.standardOutput.write(Data("  apply this change? [y/N] ".utf8))
                guard let line = readLine() else {
                    atEnd = true
                    break
                }
                guard let answer = ApprovalPrompt.answer(line) else { continue }
                if answer { approved.append(question.change.id) }
                break
            }
        }
        return Approval(changeIds: approved, approvedBy: approvedBy, source: .prompt)
    }
}

/// The plan's (or journal's) organization must be the one we are connected to. Compared by organization name
/// (`dev.azure.com/NAME`, `NAME.visualstudio.com`, a collection URL's last segment), so a plan made through the
/// emulator or another host alias of the same organization still applies; the stale check then proves the objects
/// are the ones the plan saw.
enum OrganizationMatch {
    static func check(recorded: String?, client: OrganizationClient, what: String) throws {
        guard let recorded, let endpoint = try? OrganizationEndpoint(organizationURL: recorded) else { return }
        guard endpoint.name.lowercased() == client.endpoint.name.lowercased() else {
            throw CLIError.refused(
                "refused: \(what) is for organization '\(endpoint.name)' (\(recorded)), but the "
                    + "connection is to '\(client.endpoint.name)'; nothing was written"
            )
        }
    }
}

/// `.adoperm/` of the working directory: journals and locks.
struct StateDirectory {
    let root: String

    static var current: StateDirectory {
        StateDirectory(root: FileManager.default.currentDirectoryPath + "/.adoperm")
    }

    /// The state directory a journal lives in (`…/.adoperm/journal/R.jsonl` → `…/.adoperm`), else the current one.
    static func of(journal path: String) -> StateDirectory {
        let directory = URL(fileURLWithPath: path).standardizedFileURL.deletingLastPathComponent()
        guard directory.lastPathComponent == "journal" else { return current }
        return StateDirectory(root: directory.deletingLastPathComponent().path)
    }

    var journal: String { root + "/journal" }
    var locks: String { root + "/locks" }
}

/// What `apply` prints.
enum ApplyOutput {
    static func event(_ event: ApplyEvent, _ terminal: Terminal) {
        switch event {
        case .staleCheckPassed(let objects):
            terminal.out("stale check: \(objects) object(s) unchanged since the plan")
        case .journalCreated(let path): terminal.out("journal: \(path)")
        case .step(let result):
            switch result.status {
            case .verified: terminal.out("  ✓ \(result.change) \(result.summary): verified")
            case .alreadyInEffect: terminal.out("  = \(result.change) \(result.summary): already in effect")
            case .failed: terminal.out("  ✗ \(result.change) \(result.summary): \(result.message)")
            }
        case .rollingBack(let count):
            terminal.out("rolling back \(count) change(s) of this run, most recent first:")
        case .rolledBack(let result): terminal.out(RollbackOutput.line(result))
        }
    }

    static func manualSteps(_ selection: Selection, _ terminal: Terminal) {
        guard !selection.manualSteps.isEmpty else { return }
        terminal.out("steps for you (adoperm does not perform them):")
        for change in selection.manualSteps { terminal.out("  - \(change.id): \(change.summary)") }
    }

    static func finish(_ outcome: ApplyOutcome, _ selection: Selection, _ terminal: Terminal) -> ExitStatus {
        switch outcome {
        case .applied(let run):
            manualSteps(selection, terminal)
            terminal.out(
                "applied \(run.steps.count) change(s) in run \(run.runId); undo with: adoperm rollback "
                    + run.journalPath
            )
            return .success
        case .rolledBack(let run, let failure):
            terminal.err(
                "error: apply stopped: \(failure); every change of run \(run.runId) was rolled back "
                    + "(journal \(run.journalPath))"
            )
            return .rolledBack
        case .rollbackIncomplete(let run, let failure):
            let left = run.rollback.filter { !$0.isUndone }.map(\.change).joined(separator: ", ")
            terminal.err(
                "error: apply stopped: \(failure); rollback incomplete for \(left): see `adoperm journal show "
                    + "\(run.runId)`, fix the cause and run `adoperm rollback \(run.journalPath)`"
            )
            return .error
        case .stale(let differences):
            terminal.err("refused: the organization changed since the plan was made; nothing was written:")
            for difference in differences {
                terminal.err("  " + difference.description.replacingOccurrences(of: "\n", with: "\n  "))
            }
            terminal.err("make a new plan (`adoperm plan`) and approve its changes")
            return .refused
        case .refused(let message):
            terminal.err("refused: \(message); nothing was written")
            return .refused
        case .notStarted(let message):
            terminal.err("error: \(message)")
            return .error
        }
    }
}
