import ArgumentParser
import DriftReports
import Foundation
import Plan

/// `adoperm drift` (CONTRACTS.md §5, issue 6).
struct DriftCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drift",
        abstract: "Report drift: what no longer matches the manifest, or what an apply verified.",
        discussion: """
            Drift is: a requirement that was satisfied (in an earlier run, or made so by a change a journal \
            recorded as verified) and no longer is; a forbid rule that matches; a declared setting that differs; \
            a verified journal change that was reverted or altered; a pipeline whose job token now runs as another \
            build identity; undeclared bits on an `authoritative: true` entry. Requirements never seen satisfied \
            are pending (see `adoperm plan`), not drift. Each item names the requirement, what changed and the \
            plan's remedy. State between runs is kept in --state. Exit 0 in sync, 2 drift, 1 error.
            """
    )

    @Option(name: .shortAndLong, help: ArgumentHelp("The manifest.", valueName: "adoperm.yaml"))
    var manifest: String = "adoperm.yaml"

    @OptionGroup var organization: OrgOptions

    @Option(help: ArgumentHelp("Directory of apply journals.", valueName: "DIR"))
    var journal: String = ".adoperm/journal"

    @Option(help: ArgumentHelp("State kept between runs.", valueName: "FILE"))
    var state: String = ".adoperm/drift-state.json"

    @Option(help: "Output format: text, json, markdown or junit.")
    var format: DriftFormat = .text

    @Option(
        name: .shortAndLong,
        help: ArgumentHelp(
            "Write the report in --format here (text then goes to stdout).",
            valueName: "FILE"
        )
    )
    var output: String?

    @Flag(help: "Show only what changed since the previous run; exit 2 only for new or changed drift.")
    var sinceLast = false

    @Flag(help: "Keep running: check now, then on the --every or --cron schedule, until SIGINT/SIGTERM (exit 0).")
    var watch = false

    @Option(help: ArgumentHelp("With --watch: the interval (30s, 5m, 1h, 1h30m, 1d).", valueName: "interval"))
    var every: String?

    @Option(help: ArgumentHelp("With --watch: a 5-field cron schedule in UTC (\"0 * * * *\").", valueName: "expr"))
    var cron: String?

    @Option(
        help: ArgumentHelp(
            "Inside Azure Pipelines (TF_BUILD=True), how the task ends on drift: failed (exit 2) or "
                + "succeeded-with-issues (##vso[task.complete result=SucceededWithIssues;], exit 0).",
            valueName: "result"
        )
    )
    var pipelineResult: PipelineResult = .failed

    func validate() throws {
        if watch {
            guard (every == nil) != (cron == nil) else {
                throw ValidationError("--watch needs exactly one of --every INTERVAL and --cron \"EXPR\"")
            }
            _ = try schedule()
        } else if every != nil || cron != nil {
            throw ValidationError("--every and --cron go with --watch")
        }
    }

    func schedule() throws -> WatchSchedule {
        let parsed = Result { () throws(ScheduleError) -> WatchSchedule in
            if let every { return .every(seconds: try Interval.parse(every)) }
            return .cron(try CronSchedule(cron ?? ""))
        }
        switch parsed {
        case .success(let schedule): return schedule
        case .failure(let error): throw ValidationError(error.description)
        }
    }

    func run() async throws {
        try await runReporting {
            let environment = ProcessInfo.processInfo.environment
            let terminal = Terminal(environment: environment)
            let inPipeline = environment["TF_BUILD"]?.lowercased() == "true"
            let printer = DriftPrinter(format: format, output: output, terminal: terminal, inPipeline: inPipeline)
            let pass = DriftPass(
                manifestPath: manifest,
                journalDirectory: journal,
                statePath: state,
                checkedAt: { PlanClock.createdAt(environment) }
            )
            // The manifest's organization is only known once it is read; an unreadable manifest fails here.
            let input = try ManifestInput.read(manifest)
            if watch {
                let watcher = DriftWatch(
                    schedule: try schedule(),
                    pass: pass,
                    printer: printer,
                    terminal: terminal,
                    verbose: organization.verbose
                )
                return try await organization.withConnection(manifestOrganization: input.manifest.organization) {
                    try await watcher.run($0)
                }
            }
            let report = try await organization.withConnection(manifestOrganization: input.manifest.organization) {
                try await pass.run($0, terminal: terminal)
            }
            try printer.report(report, sinceLast: sinceLast)
            let drift = sinceLast ? !report.newItems.isEmpty : !report.inSync
            guard drift else { return .success }
            if inPipeline && pipelineResult == .succeededWithIssues {
                terminal.out(DriftOutput.succeededWithIssues(report))
                return .success
            }
            return .changes
        }
    }
}
