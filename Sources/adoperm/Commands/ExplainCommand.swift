import ADOClient
import ArgumentParser
import Foundation
import Plan

/// `adoperm explain`: decodes ADO permission errors; with an organization, plans the gap each one reveals.
struct ExplainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Decode TF401027/TF401019/VS800075/TF50309/VS402356/TF400813/TF215106/TF237111 errors.",
        discussion: """
            Reads the error text, a log file, or ado-aw's safe-outputs-executed.ndjson. With --org, --emulate or \
            --snapshot it also tells project- from collection-scoped build identities and prints the plan for the \
            gap; --pipeline names the pipeline that failed, so the service-connection and job-scope remedies apply.
            """
    )

    @Argument(help: "The error text.")
    var text: String?

    @Option(help: ArgumentHelp("Read the error text from a log file.", valueName: "log.txt"))
    var file: String?

    @Option(help: ArgumentHelp("Read ado-aw's executed safe outputs.", valueName: "safe-outputs-executed.ndjson"))
    var audit: String?

    @Option(help: ArgumentHelp("The pipeline that failed.", valueName: "Project/name"))
    var pipeline: String?

    @Option(help: ArgumentHelp("The write service connection remedy 1 should use.", valueName: "Project/name"))
    var serviceConnection: String?

    @Option(help: "Output format of the plan: text, json or markdown.")
    var format: PlanFormat = .text

    @OptionGroup var organization: OrgOptions

    func validate() throws {
        if [text, file, audit].compactMap({ $0 }).count != 1 {
            throw ValidationError("pass exactly one of the error text, --file log.txt and --audit file.ndjson")
        }
        if let pipeline, !pipeline.contains("/") { throw ValidationError("--pipeline expects Project/name") }
        if let serviceConnection, !serviceConnection.contains("/") {
            throw ValidationError("--service-connection expects Project/name")
        }
    }

    func run() async throws {
        try await runReporting {
            let terminal = Terminal(environment: ProcessInfo.processInfo.environment)
            let input = try text ?? Files.readText(file ?? audit ?? "")
            let online = organization.organizationURL != nil || organization.emulate != nil
                || organization.snapshotPath != nil
            guard online else {
                let errors = ErrorDecoder.decode(input)
                terminal.out(ExplainRenderer.render(errors))
                return errors.isEmpty ? .error : .success
            }
            let scope = LoadScope(projects: .all, organizationNamespaces: true, pipelineFiles: .all, allIdentities: true)
            let state = try await organization.withConnection { connection in try await connection.orgState(scope) }
            let index = OrgIndex(state)
            let errors = ErrorDecoder.decode(input, namespaces: state.namespaces, index: index)
            terminal.out(ExplainRenderer.render(errors))
            guard !errors.isEmpty else { return .error }
            let subject = pipeline.map { value -> SubjectRef in
                let parts = value.split(separator: "/", maxSplits: 1).map(String.init)
                return .pipeline(project: parts[0], name: parts[1])
            }
            let plan: PlanDocument
            let notes: [String]
            do {
                var remediation = RemediationPolicy()
                if let serviceConnection {
                    let parts = serviceConnection.split(separator: "/", maxSplits: 1).map(String.init)
                    remediation = RemediationPolicy(serviceConnectionProject: parts[0], serviceConnectionName: parts[1])
                }
                (plan, notes) = try Explainer.plan(for: errors, index: index, pipeline: subject,
                                                   remediation: remediation, createdAt: PlanClock.createdAt())
            } catch let error as DiagnosticError {
                throw CLIError.diagnostics(error)
            }
            for note in notes { terminal.err("note: \(note)") }
            if !plan.findings.isEmpty { terminal.out(PlanOutput.render(plan, format, terminal)) }
            return .success
        }
    }
}
