import EmulatorSupport
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A directory an `adoperm apply` runs in (its `.adoperm/` lands there), with the seed manifest and a checkout of
/// the example's payments-api agents, against an in-process emulator.
struct ApplyWorkspace {
    let directory: URL
    let organizationURL: String
    let port: Int

    static let seedManifest = """
        version: 1
        organization: https://dev.azure.com/contoso
        requirements:
          - id: pr-reviewer
            description: Payments PR reviewer comments on PRs
            subject: { pipeline: { project: Payments, name: payments-pr-reviewer } }
            allow:
              - git: { project: Payments, repository: payments-api }
                permissions: [GenericRead, PullRequestContribute]
        remediation:
          serviceConnection: { project: Payments, name: ado-aw-write }
        """

    static let xoperoManifest = """
        version: 1
        organization: https://dev.azure.com/contoso
        requirements:
          - id: xopero-restore
            subject: { identity: backup@contoso.com }
            profile: xopero-restore
            scope: { projects: ["*"] }
        """

    init(_ emulator: EmulatorHandle, manifest: String = ApplyWorkspace.seedManifest) throws {
        directory = try CLIRunner.makeTemporaryDirectory()
        organizationURL = emulator.organizationURL.absoluteString
        port = emulator.port
        try Data(manifest.utf8).write(to: directory.appendingPathComponent("adoperm.yaml"))
        let source = Fixtures.repositoryRoot.appendingPathComponent(
            "examples/contoso/files/Payments/payments-api/agents"
        )
        try FileManager.default.createDirectory(at: checkout, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: source, to: checkout.appendingPathComponent("agents"))
    }

    var checkout: URL { directory.appendingPathComponent("checkout") }
    var agentFile: URL { checkout.appendingPathComponent("agents/pr-reviewer.md") }
    var planPath: String { directory.appendingPathComponent("plan.json").path }
    var journalDirectory: URL { directory.appendingPathComponent(".adoperm/journal") }

    /// alice's PAT in the environment (CONTRACTS.md §5: never an argument).
    var environment: [String: String] { ["ADOPERM_PAT": Fixtures.Credentials.alicePAT, "USER": "alice"] }

    /// Runs `adoperm` in the workspace without blocking the concurrency pool the in-process emulator needs.
    func run(_ arguments: [String], environment extra: [String: String] = [:]) async throws -> CLIResult {
        let environment = self.environment.merging(extra) { $1 }
        return try await CLIRunner.run(arguments, in: directory, environment: environment)
    }

    /// Runs `adoperm` with a pseudo-terminal as stdin (so it prompts), typing `input` into it.
    func runOnTerminal(_ arguments: [String], input: String) async throws -> CLIResult {
        let pty = try PseudoTerminal.functions()
        let master = pty.open(O_RDWR | O_NOCTTY)
        guard master >= 0, pty.grant(master) == 0, pty.unlock(master) == 0, let name = pty.name(master) else {
            throw WorkspaceError.noTerminal
        }
        let terminal = open(String(cString: name), O_RDWR | O_NOCTTY)
        guard terminal >= 0 else { throw WorkspaceError.noTerminal }
        defer { close(master) }
        let process = Process()
        process.executableURL = CLIRunner.productsDirectory.appendingPathComponent("adoperm")
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment
        for key in ["ADOPERM_PAT", "AZURE_DEVOPS_EXT_PAT", "SYSTEM_ACCESSTOKEN"] {
            environment.removeValue(forKey: key)
        }
        for (key, value) in self.environment { environment[key] = value }
        environment["NO_COLOR"] = "1"
        process.environment = environment
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle(fileDescriptor: terminal, closeOnDealloc: true)
        try process.run()
        _ = input.withCString { write(master, $0, strlen($0)) }
        return try await withCheckedThrowingContinuation { continuation in
            Thread {
                let stdout = out.fileHandleForReading.readDataToEndOfFile()
                let stderr = err.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                continuation.resume(
                    returning: CLIResult(
                        status: process.terminationStatus,
                        stdout: String(decoding: stdout, as: UTF8.self),
                        stderr: String(decoding: stderr, as: UTF8.self)
                    )
                )
            }.start()
        }
    }

    func plan() async throws -> CLIResult {
        try await run(["plan", "-m", "adoperm.yaml", "--org", organizationURL, "-o", planPath, "--format", "json"])
    }

    func apply(_ ids: [String], _ more: [String] = [], environment: [String: String] = [:]) async throws -> CLIResult {
        try await run(
            [
                "apply", planPath, "--approve", ids.joined(separator: ","), "--org", organizationURL, "--checkout",
                checkout.path,
            ] + more,
            environment: environment
        )
    }

    func rollback(_ journal: String, _ more: [String] = []) async throws -> CLIResult {
        try await run(["rollback", journal, "--org", organizationURL] + more)
    }

    /// The plan file as JSON objects.
    func planJSON() throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: planPath))) as? [String: Any]
            ?? [:]
    }

    /// Changes of remedy `rank` of the `finding`-th gap, manual changes left out.
    func changes(rank: Int, finding: Int = 0) throws -> [[String: Any]] {
        let findings = (try planJSON()["findings"] as? [[String: Any]] ?? []).filter {
            $0["status"] as? String == "gap"
        }
        guard finding < findings.count else { return [] }
        let remedies = findings[finding]["remedies"] as? [[String: Any]] ?? []
        let remedy = remedies.first { $0["rank"] as? Int == rank } ?? [:]
        return (remedy["changes"] as? [[String: Any]] ?? []).filter { $0["kind"] as? String != "manual" }
    }

    func changeIds(rank: Int, finding: Int = 0) throws -> [String] {
        try changes(rank: rank, finding: finding).compactMap { $0["id"] as? String }
    }

    /// The one journal of the workspace (the newest when there are several).
    func journal() throws -> String {
        let names = try FileManager.default.contentsOfDirectory(atPath: journalDirectory.path).filter {
            $0.hasSuffix(".jsonl")
        }
        guard let name = names.sorted().last else { throw WorkspaceError.noJournal }
        return journalDirectory.appendingPathComponent(name).path
    }

    func journalLines() throws -> [[String: Any]] {
        try String(contentsOfFile: try journal(), encoding: .utf8).split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] ?? [:]
        }
    }

    enum WorkspaceError: Error { case noJournal, noTerminal, didNotPause(String) }
}

/// An `adoperm` process the test can stop at a hook point and SIGKILL.
final class PausedApply: @unchecked Sendable {
    // @unchecked: the process is only touched by the test that started it.
    let process = Process()
    private let errors = Pipe()

    /// Starts `apply` with `ADOPERM_TEST_PAUSE_AFTER=point` and waits until it reports that it paused.
    init(_ workspace: ApplyWorkspace, ids: [String], pauseAfter point: String) async throws {
        process.executableURL = CLIRunner.productsDirectory.appendingPathComponent("adoperm")
        process.arguments = [
            "apply", workspace.planPath, "--approve", ids.joined(separator: ","), "--org",
            workspace.organizationURL, "--checkout", workspace.checkout.path,
        ]
        process.currentDirectoryURL = workspace.directory
        var environment = ProcessInfo.processInfo.environment
        for key in ["ADOPERM_PAT", "AZURE_DEVOPS_EXT_PAT", "SYSTEM_ACCESSTOKEN"] {
            environment.removeValue(forKey: key)
        }
        for (key, value) in workspace.environment { environment[key] = value }
        environment["ADOPERM_TEST_PAUSE_AFTER"] = point
        environment["NO_COLOR"] = "1"
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let handle = errors.fileHandleForReading
        let text: String = try await withCheckedThrowingContinuation { continuation in
            Thread {
                var seen = Data()
                while true {
                    let chunk = handle.availableData
                    if chunk.isEmpty { break }
                    seen.append(chunk)
                    if String(decoding: seen, as: UTF8.self).contains("paused at") { break }
                }
                continuation.resume(returning: String(decoding: seen, as: UTF8.self))
            }.start()
        }
        guard text.contains("paused at \(point)") else {
            throw ApplyWorkspace.WorkspaceError.didNotPause(text)
        }
    }

    /// SIGKILL, and wait for the process to be gone.
    func kill() {
        Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}

/// `posix_openpt` and friends, looked up at run time: Swift's Glibc module does not export them (they need
/// `_XOPEN_SOURCE`), and `openpty`'s header is not in it either.
enum PseudoTerminal {
    struct Functions {
        var open: @convention(c) (Int32) -> Int32
        var grant: @convention(c) (Int32) -> Int32
        var unlock: @convention(c) (Int32) -> Int32
        var name: @convention(c) (Int32) -> UnsafeMutablePointer<CChar>?
    }

    static func functions() throws -> Functions {
        func symbol<T>(_ name: String, as type: T.Type) throws -> T {
            guard let pointer = dlsym(nil, name) else { throw ApplyWorkspace.WorkspaceError.noTerminal }
            return unsafeBitCast(pointer, to: type)
        }
        return Functions(
            open: try symbol("posix_openpt", as: (@convention(c) (Int32) -> Int32).self),
            grant: try symbol("grantpt", as: (@convention(c) (Int32) -> Int32).self),
            unlock: try symbol("unlockpt", as: (@convention(c) (Int32) -> Int32).self),
            name: try symbol("ptsname", as: (@convention(c) (Int32) -> UnsafeMutablePointer<CChar>?).self)
        )
    }
}
