import ArgumentParser
import DriftReports
import Foundation
import Plan

enum DriftFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, markdown, junit
}

/// How an Azure Pipelines task ends when drift is found (only inside Azure Pipelines, `TF_BUILD=True`).
///
/// UNCONFIRMED (chosen): the agent merges a task's results worst-first, so a script that prints
/// `##vso[task.complete result=SucceededWithIssues;]` and then exits non-zero would still fail. With
/// `succeeded-with-issues` adoperm therefore exits 0 after printing it; outside Azure Pipelines the option has no
/// effect (exit 2 on drift).
enum PipelineResult: String, ExpressibleByArgument, CaseIterable {
    /// Exit 2: the step fails.
    case failed
    /// `##vso[task.complete result=SucceededWithIssues;]` and exit 0: the run shows as partially succeeded.
    case succeededWithIssues = "succeeded-with-issues"
}

/// Writes drift reports: the chosen format to `-o FILE` (text then goes to stdout) or to stdout, and the
/// `##vso` logging commands inside Azure Pipelines.
struct DriftPrinter: Sendable {
    let format: DriftFormat
    let output: String?
    let terminal: Terminal
    /// `TF_BUILD=True`.
    let inPipeline: Bool

    /// A whole report (a single run, the first run of a watch). `sinceLast`: stdout shows only what changed.
    func report(_ report: DriftReport, sinceLast: Bool = false, watching: Bool = false) throws {
        try writeFile(report)
        if output != nil || format == .text {
            if sinceLast {
                terminal.out(terminal.colourise(report.hasNews ? DriftText.renderChanges(report) : unchanged(report)))
            } else {
                terminal.out(terminal.colourise(DriftText.render(report)))
            }
        } else {
            try stdout(sinceLast ? report.delta : report, lines: watching)
        }
        if inPipeline {
            for line in DriftOutput.pipelineIssues(sinceLast ? report.newItems : report.items) { terminal.out(line) }
        }
    }

    /// A later run of a watch: the file is rewritten with the whole report; stdout gets only new, changed and
    /// resolved items (nothing when nothing changed).
    func changes(_ report: DriftReport) throws {
        try writeFile(report)
        guard report.hasNews else { return }
        if output != nil || format == .text {
            terminal.out(terminal.colourise(DriftText.renderChanges(report)))
        } else {
            try stdout(report.delta, lines: true)
        }
        if inPipeline { for line in DriftOutput.pipelineIssues(report.newItems) { terminal.out(line) } }
    }

    func unchanged(_ report: DriftReport) -> String {
        "No drift change since the run of \(report.previousRun ?? "?"). " + DriftText.summary(report)
    }

    private func stdout(_ report: DriftReport, lines: Bool) throws {
        switch format {
        case .text: terminal.out(terminal.colourise(DriftText.render(report)))
        case .json:
            let data = lines ? DriftOutput.jsonLine(report) : DriftOutput.json(report)
            FileHandle.standardOutput.write(data)
        case .markdown: terminal.out(DriftMarkdown.render(report))
        case .junit: FileHandle.standardOutput.write(try junit(report))
        }
    }

    private func writeFile(_ report: DriftReport) throws {
        guard let output else { return }
        let data: Data
        switch format {
        case .text: data = Data(DriftText.render(report).utf8)
        case .json: data = DriftOutput.json(report)
        case .markdown: data = Data(DriftMarkdown.render(report).utf8)
        case .junit: data = try junit(report)
        }
        try Files.writeAtomically(data, to: output, mode: 0o600)
    }

    private func junit(_ report: DriftReport) throws -> Data {
        switch Result(catching: { () throws(JUnitError) in try JUnitReport.render(report) }) {
        case .success(let data): return data
        case .failure(let error): throw CLIError.cannotWrite(path: output ?? "stdout", reason: error.description)
        }
    }
}
