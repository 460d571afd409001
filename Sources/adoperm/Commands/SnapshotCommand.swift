import ADOClient
import ArgumentParser
import Foundation
import Plan

/// `adoperm snapshot`: captures an organization as `adoperm-snapshot/1` (CONTRACTS.md §2).
struct SnapshotCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot",
        abstract: "Capture an organization (or the part a manifest touches) as a snapshot file.",
        discussion: """
            The snapshot holds ADO's own REST responses, so the emulator can serve it and `--snapshot` can plan \
            against it offline. Credentials are never written. The file is written atomically with mode 0600.
            """
    )

    @OptionGroup var organization: OrgOptions

    @Flag(help: "Capture the whole organization.")
    var all = false

    @Option(name: .shortAndLong, help: ArgumentHelp("Capture only what this manifest touches.", valueName: "adoperm.yaml"))
    var manifest: String?

    @Option(name: .shortAndLong, help: ArgumentHelp("Where to write the snapshot.", valueName: "snapshot.json"))
    var output: String

    func validate() throws {
        if all == (manifest != nil) { throw ValidationError("pass exactly one of --all and -m adoperm.yaml") }
        if organization.snapshotPath != nil {
            throw ValidationError("--snapshot reads a snapshot; to capture one use --org URL or --emulate snapshot.json")
        }
    }

    func run() async throws {
        try await runReporting {
            let terminal = Terminal(environment: ProcessInfo.processInfo.environment)
            let started = ContinuousClock.now
            let scope = try await scope()
            return try await organization.withConnection { connection in
                guard let client = connection.client else { throw CLIError.invalidArgument("snapshot needs --org or --emulate") }
                let snapshot: Snapshot
                do throws(ADOError) {
                    snapshot = try await OrgStateLoader(client: client).loadSnapshot(scope)
                } catch {
                    throw CLIError.remote(error.description)
                }
                try Files.writeAtomically(snapshot.encoded(), to: output, mode: 0o600)
                let acls = snapshot.acls.values.reduce(0) { $0 + $1.count }
                terminal.out(
                    "wrote \(output): \(snapshot.projects.count) projects, \(snapshot.repositories.count) repositories, "
                        + "\(snapshot.identities.count) identities, \(acls) ACLs, \(snapshot.files.count) files"
                )
                connection.reportRequests(terminal, started: started)
                return .success
            }
        }
    }

    private func scope() async throws -> LoadScope {
        if all { return .all }
        throw CLIError.invalidArgument("snapshot -m is not available yet: the manifest expander cannot derive a scope; use --all")
    }
}
