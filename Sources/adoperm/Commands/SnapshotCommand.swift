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

    @Option(
        name: .shortAndLong,
        help: ArgumentHelp("Capture only what this manifest touches.", valueName: "adoperm.yaml")
    )
    var manifest: String?

    @Option(name: .shortAndLong, help: ArgumentHelp("Where to write the snapshot.", valueName: "snapshot.json"))
    var output: String

    func validate() throws {
        if all == (manifest != nil) { throw ValidationError("pass exactly one of --all and -m adoperm.yaml") }
        if organization.snapshotPath != nil {
            throw ValidationError(
                "--snapshot reads a snapshot; to capture one use --org URL or --emulate snapshot.json"
            )
        }
    }

    func run() async throws {
        try await runReporting {
            let terminal = Terminal(environment: ProcessInfo.processInfo.environment)
            let started = ContinuousClock.now
            let parsed = try manifest.map(ManifestInput.read)
            return try await organization.withConnection(manifestOrganization: parsed?.manifest.organization) {
                connection in
                guard let client = connection.client else {
                    throw CLIError.invalidArgument("snapshot needs --org or --emulate")
                }
                let loader = OrgStateLoader(client: client)
                let snapshot: Snapshot
                do throws(ADOError) {
                    if let parsed {
                        let result = try await loader.loadSnapshot(
                            manifest: parsed.manifest,
                            localFiles: parsed.localFiles
                        )
                        snapshot = result.snapshot
                        if let errors = result.expansionErrors {
                            for diagnostic in errors.diagnostics { terminal.err(diagnostic.description) }
                            terminal.err(
                                "note: the manifest did not expand; the snapshot covers what it names directly"
                            )
                        }
                    } else {
                        snapshot = try await loader.loadSnapshot(.all)
                    }
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
}

/// A manifest read from disk with the local agent files it names (`from-agent: { file: … }` and their locks).
struct ManifestInput {
    var manifest: Manifest
    var localFiles: [String: String]

    static func read(_ path: String) throws -> ManifestInput {
        let text = try Files.readText(path)
        // Stops at the first non-blank character (trimming bridged the whole file through NSString).
        if text.allSatisfy(\.isWhitespace) { throw CLIError.emptyFile(path: path) }
        let manifest: Manifest
        do {
            manifest = try Manifest.parse(text, file: path)
        } catch let error as DiagnosticError {
            throw CLIError.diagnostics(error)
        }
        let directory = Files.directory(of: path)
        var localFiles: [String: String] = [:]
        for entry in manifest.entries {
            guard case .fromAgent(let source) = entry.body, let file = source.file else { continue }
            localFiles[file] = try Files.readText(Files.resolve(file, relativeTo: directory))
            let lock = LoadScope.lockPath(of: file)
            if let text = try? Files.readText(Files.resolve(lock, relativeTo: directory)) { localFiles[lock] = text }
        }
        return ManifestInput(manifest: manifest, localFiles: localFiles)
    }
}
