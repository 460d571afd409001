import ADOEmulator
import ArgumentParser
import Foundation

/// `ado-emulator generate`: a deterministic synthetic organization (and optionally its manifest) for scale tests.
struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a synthetic organization snapshot (deterministic: the same seed gives the same bytes)."
    )

    @Option(help: "Projects.")
    var projects: Int

    @Option(name: .customLong("repos-per-project"), help: "Git repositories per project.")
    var reposPerProject: Int

    @Option(help: "Build definitions (spread round-robin over the projects).")
    var pipelines: Int

    @Option(help: "Manifest requirements (default: one per pipeline).")
    var requirements: Int?

    @Option(help: "Human users (default: three per project).")
    var users: Int?

    @Option(help: "Seed of every generated choice and id.")
    var seed: UInt64 = 1

    @Option(help: "Organization name in the URLs.")
    var organization = "fabrikam"

    @Option(name: .shortAndLong, help: "The snapshot file to write.")
    var output: String

    @Option(
        name: .customLong("manifest-out"),
        help: "Also write an adoperm manifest with one requirement per pipeline."
    )
    var manifestOut: String?

    func run() throws {
        let spec = SyntheticOrgSpec(
            projects: projects,
            reposPerProject: reposPerProject,
            pipelines: pipelines,
            requirements: requirements,
            users: users,
            seed: seed,
            organization: organization
        )
        let generated: SyntheticOrg
        do { generated = try SyntheticOrg.generate(spec) } catch { Serve.fail("\(error)") }
        write(generated.snapshot, to: output)
        if let manifestOut { write(generated.manifest, to: manifestOut) }
        var summary =
            "wrote \(output) (\(generated.snapshot.count) bytes): \(projects) projects, "
            + "\(projects * reposPerProject) repositories, \(pipelines) pipelines"
        if let manifestOut { summary += "; \(manifestOut): \(requirements ?? pipelines) requirements" }
        FileHandle.standardOutput.write(Data((summary + "\n").utf8))
    }

    /// Temp file + rename: a reader never sees half a snapshot, and a failure leaves any old file intact.
    private func write(_ data: Data, to path: String) {
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        do {
            try data.write(to: temporary)
        } catch {
            Serve.fail("cannot write \(path)")
        }
        guard rename(temporary.path, url.path) == 0 else {
            try? FileManager.default.removeItem(at: temporary)
            Serve.fail("cannot write \(path)")
        }
    }
}
