import ArgumentParser
import Foundation

/// `adoperm`: keeps Azure DevOps permissions in a declared state.
@main
struct Adoperm: AsyncParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "adoperm",
        abstract: "Keep Azure DevOps permissions in a declared state.",
        discussion: """
            plan compares a manifest with the live organization, explains each gap and ranks the remedies:
            1. a write service connection, 2. the job-authorization-scope toggle, 3. lifting the deny.
            """,
        version: version,
        subcommands: [PlanCommand.self, ExplainCommand.self, DecodeCommand.self, ProfilesCommand.self, SnapshotCommand.self]
    )
}

/// Runs a command body, turning every failure into one line on stderr and the contract's exit code.
func runReporting(_ body: () async throws -> ExitStatus) async throws {
    let terminal = Terminal(environment: ProcessInfo.processInfo.environment)
    let status: ExitStatus
    do {
        status = try await body()
    } catch let error as CLIError {
        // Diagnostics already read `file:line:col: error: …` (one per line); other errors get the prefix.
        let text = error.description
        terminal.err(text.contains(": error: ") || text.hasPrefix("error:") ? text : "error: \(text)")
        throw ExitCode(error.exitStatus.rawValue)
    } catch let error as ExitCode {
        throw error
    } catch {
        terminal.err("error: \(ErrorText.oneLine(error))")
        throw ExitCode(ExitStatus.error.rawValue)
    }
    if status != .success { throw ExitCode(status.rawValue) }
}

/// Renders library errors (enums with human descriptions). Foundation's own errors are reduced to their localized
/// description so no `Error Domain=…` text reaches the user.
enum ErrorText {
    static func oneLine(_ error: any Error) -> String {
        if error is CocoaError || error is POSIXError { return error.localizedDescription }
        let text = String(describing: error)
        return text.contains("Error Domain=") ? error.localizedDescription : text
    }
}
