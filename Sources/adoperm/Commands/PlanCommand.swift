import ADOClient
import ArgumentParser
import Foundation
import Plan

/// `adoperm plan` (CONTRACTS.md §5).
struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Compare the manifest with the organization, explain every gap and rank the remedies.",
        discussion: """
            Remedies come in a fixed order: 1. a write service connection, 2. the job-authorization-scope toggle, \
            3. lifting the deny (a narrower Allow below an inherited Deny first). Nothing is written to the \
            organization. createdAt comes from SOURCE_DATE_EPOCH when set, so runs are reproducible.
            """
    )

    @Option(name: .shortAndLong, help: ArgumentHelp("The manifest.", valueName: "adoperm.yaml"))
    var manifest: String = "adoperm.yaml"

    @OptionGroup var organization: OrgOptions

    @Option(name: .shortAndLong, help: ArgumentHelp("Write the plan (JSON) here.", valueName: "plan.json"))
    var output: String?

    @Option(help: "Output format: text, json or markdown.")
    var format: PlanFormat = .text

    @Flag(help: "Exit 2 when the plan proposes changes (gaps or excess), 0 when there is nothing to change.")
    var detailedExitcode = false

    func run() async throws {
        try await runReporting {
            let environment = ProcessInfo.processInfo.environment
            let terminal = Terminal(environment: environment)
            let input = try ManifestInput.read(manifest)
            let started = ContinuousClock.now
            let state = try await organization.withConnection(manifestOrganization: input.manifest.organization) {
                connection in
                let state = try await connection.orgState(manifest: input.manifest, localFiles: input.localFiles)
                connection.reportRequests(terminal, started: started)
                return state
            }
            let plan: PlanDocument
            let fileData: Data
            do {
                let index = OrgIndex(state)
                let desired = try ManifestExpander.expand(input.manifest, index: index, localFiles: input.localFiles)
                let bound = try Binder.bind(desired, to: index)
                (plan, fileData) = Planner.makePlan(bound, index: index, createdAt: PlanClock.createdAt(environment))
                    .sealedFile()
            } catch let error as DiagnosticError {
                throw CLIError.diagnostics(error)
            }
            // The bytes come with the seal (one encoding of the plan) and serve both -o and --format json.
            if let output { try Files.writeAtomically(fileData, to: output, mode: 0o600) }
            if format == .json {
                terminal.out(String(decoding: fileData, as: UTF8.self))
            } else {
                terminal.out(PlanOutput.render(plan, format, terminal))
            }
            if environment["TF_BUILD"]?.lowercased() == "true" {
                for line in PlanOutput.pipelineIssues(plan) { terminal.out(line) }
            }
            let proposes = plan.summary.gaps + plan.summary.excess > 0
            return detailedExitcode && proposes ? .changes : .success
        }
    }
}

enum PlanFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, markdown
}

enum PlanOutput {
    static func render(_ plan: PlanDocument, _ format: PlanFormat, _ terminal: Terminal) -> String {
        switch format {
        case .text: terminal.colourise(TextRenderer.render(plan))
        case .json: String(decoding: plan.fileData(), as: UTF8.self)
        case .markdown: MarkdownRenderer.render(plan)
        }
    }

    /// `##vso[task.logissue …]` lines for Azure Pipelines (one per gap or excess).
    static func pipelineIssues(_ plan: PlanDocument) -> [String] {
        plan.findings.filter { $0.status == .gap || $0.status == .excess }.map { finding in
            var properties = ["type=warning"]
            if let location = finding.location {
                let parts = location.split(separator: ":")
                if parts.count >= 3 {
                    properties.append("sourcepath=\(parts.dropLast(2).joined(separator: ":"))")
                    properties.append("linenumber=\(parts[parts.count - 2])")
                    properties.append("columnnumber=\(parts[parts.count - 1])")
                }
            }
            let what = (finding.status == .gap ? finding.missing : finding.excess)?.joined(separator: "|") ?? ""
            let message = "\(finding.requirement): \(finding.status.rawValue) \(what) on "
                + "\(finding.resource ?? finding.token ?? "?")" + (finding.cause.map { " (\($0.kind))" } ?? "")
            return "##vso[task.logissue \(properties.joined(separator: ";"))]\(message.replacingOccurrences(of: "\n", with: " "))"
        }
    }
}

/// `createdAt` of plans: `SOURCE_DATE_EPOCH` (seconds) when set, else now.
enum PlanClock {
    static func createdAt(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let epoch = environment["SOURCE_DATE_EPOCH"].flatMap(TimeInterval.init) {
            return PlanDocument.timestamp(Date(timeIntervalSince1970: epoch))
        }
        return PlanDocument.timestamp(Date())
    }
}
