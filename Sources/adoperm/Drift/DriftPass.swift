import ADOClient
import Foundation
import Plan

/// One drift comparison as the CLI runs it: read the manifest, the journals and the state file, load the
/// organization, compare, write the state file.
struct DriftPass: Sendable {
    let manifestPath: String
    let journalDirectory: String
    let statePath: String
    /// ISO 8601 time of the run.
    let checkedAt: @Sendable () -> String

    /// Failures of the user's input (the manifest, the journals, the state file): fatal on the first run of a watch.
    static func isInputError(_ error: any Error) -> Bool {
        guard let error = error as? CLIError else { return false }
        switch error {
        case .diagnostics, .emptyFile, .cannotRead, .invalidArgument, .noOrganization, .conflictingSources: return true
        default: return false
        }
    }

    func run(_ connection: Connection, terminal: Terminal) async throws -> DriftReport {
        let started = ContinuousClock.now
        // `--verbose` counts this run's requests only (a watch reuses one client).
        connection.client?.log.reset()
        let input = try ManifestInput.read(manifestPath)
        let previous = try DriftStateFile.read(statePath)
        // The organization's name decides which journals belong to it; with a server, read them before loading,
        // so the loader can include the objects they wrote.
        let journal: (changes: [JournalChange], skipped: [String])
        let state: OrgState
        switch connection.source {
        case .live(let client):
            journal = try JournalChanges.read(directory: journalDirectory, organization: client.endpoint.name)
            state = try await connection.orgState(
                manifest: input.manifest,
                localFiles: input.localFiles,
                journal: journal.changes
            )
        case .snapshotFile:
            state = try await connection.orgState(manifest: input.manifest, localFiles: input.localFiles)
            journal = try JournalChanges.read(directory: journalDirectory, organization: state.organization.name)
        }
        connection.reportRequests(terminal, started: started)
        let report: DriftReport
        let next: DriftState
        do {
            let index = OrgIndex(state)
            let desired = try ManifestExpander.expand(input.manifest, index: index, localFiles: input.localFiles)
            let bound = try Binder.bind(desired, to: index)
            (report, next) = DriftDetector.detect(
                bound,
                index: index,
                journal: journal.changes,
                previous: previous,
                checkedAt: checkedAt()
            )
        } catch let error as DiagnosticError {
            throw CLIError.diagnostics(error)
        }
        try DriftStateFile.write(next, to: statePath)
        var result = report
        for path in journal.skipped {
            result.notes.append(
                DriftNote(.state, id: nil, "journal \(path) belongs to another organization; not compared")
            )
        }
        return result
    }
}
