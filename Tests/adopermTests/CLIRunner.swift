import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Runs the built `adoperm` binary (it sits next to the test bundle in the build directory) and captures its
/// output, so the tests exercise exactly what a user runs.
struct CLIResult: Sendable {
    var status: Int32
    var stdout: String
    var stderr: String
}

enum CLIRunner {
    /// Build products directory: the directory of the running test executable.
    static var productsDirectory: URL {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var url = URL(fileURLWithPath: exe).deletingLastPathComponent()
        // The test executable may live inside `adopermPackageTests.xctest/…` on some layouts.
        while url.pathComponents.count > 1, !FileManager.default.fileExists(atPath: url.appendingPathComponent("adoperm").path) {
            url.deleteLastPathComponent()
        }
        return url
    }

    /// Repository root (the directory holding Package.swift).
    static var repositoryRoot: URL {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
            url.deleteLastPathComponent()
        }
        return url
    }

    /// The inherited environment without credential variables (so a developer's own PAT never leaks into a test),
    /// with `extra` on top.
    static func environment(_ extra: [String: String]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        for key in ["ADOPERM_PAT", "AZURE_DEVOPS_EXT_PAT", "SYSTEM_ACCESSTOKEN", "SYSTEM_COLLECTIONURI", "TF_BUILD"] {
            environment.removeValue(forKey: key)
        }
        environment["NO_COLOR"] = "1"
        for (key, value) in extra { environment[key] = value }
        return environment
    }

    /// Runs `adoperm` with `arguments` in `directory`, with `environment` replacing the inherited one's credential
    /// variables.
    ///
    /// Never blocks a thread of the concurrency pool while the command runs: Swift Testing runs tests in parallel
    /// on that pool (as wide as the machine has cores, so 2 here), and the in-process emulators of other tests
    /// answer their requests on it. The pipes are read on threads of their own and the exit arrives through
    /// `terminationHandler`. A command still running after `timeout` seconds is killed and reported.
    static func run(
        _ arguments: [String],
        in directory: URL? = nil,
        environment extra: [String: String] = [:],
        executable: String = "adoperm",
        timeout: Double = 300
    ) async throws -> CLIResult {
        let process = Process()
        process.executableURL = productsDirectory.appendingPathComponent(executable)
        process.arguments = arguments
        process.currentDirectoryURL = directory ?? repositoryRoot
        process.environment = environment(extra)
        process.standardInput = FileHandle.nullDevice
        let collected = try await ChildProcess.run(process, timeout: timeout)
        guard let status = collected.status else {
            throw RunningCLIError.timedOut(arguments.joined(separator: " "))
        }
        return CLIResult(
            status: status,
            stdout: String(decoding: collected.stdout, as: UTF8.self),
            stderr: String(decoding: collected.stderr, as: UTF8.self)
        )
    }

    /// The name older tests use for `run`; both are asynchronous now.
    static func runAsync(
        _ arguments: [String],
        in directory: URL,
        environment: [String: String] = [:]
    ) async throws -> CLIResult {
        try await run(arguments, in: directory, environment: environment)
    }

    /// A fresh temporary directory, removed by the caller.
    static func makeTemporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("adoperm-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// A child process run to its end off the concurrency pool: stdout and stderr are drained by two threads, the exit
/// comes from `terminationHandler`, and the caller's continuation resumes once all three are in.
final class ChildProcess: @unchecked Sendable {
    // @unchecked: every mutable member is only touched under `lock`.
    struct Collected: Sendable {
        /// nil when the process was killed at the timeout.
        var status: Int32?
        var stdout: Data
        var stderr: Data
    }

    private let lock = NSLock()
    private var stdout = Data()
    private var stderr = Data()
    private var status: Int32?
    private var timedOut = false
    private var pending = 3
    private var continuation: CheckedContinuation<Collected, Never>?

    /// Starts `process` (its stdout and stderr are replaced by pipes) and waits for it without blocking the pool.
    static func run(_ process: Process, timeout: Double) async throws -> Collected {
        let child = ChildProcess()
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.terminationHandler = { finished in
            child.finish { $0.status = finished.terminationStatus }
        }
        // `run` closes our copies of the pipes' write ends, so the readers see end of file when the child exits.
        try process.run()
        child.drain(out.fileHandleForReading) { $0.stdout.append($1) }
        child.drain(err.fileHandleForReading) { $0.stderr.append($1) }
        let pid = process.processIdentifier
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout) {
            if child.lock.withLock({ child.pending > 0 }) {
                child.lock.withLock { child.timedOut = true }
                kill(pid, SIGKILL)
            }
        }
        return await withCheckedContinuation { continuation in
            let done: Collected? = child.lock.withLock {
                if child.pending == 0 { return child.collected }
                child.continuation = continuation
                return nil
            }
            if let done { continuation.resume(returning: done) }
        }
    }

    private var collected: Collected {
        Collected(status: timedOut ? nil : status, stdout: stdout, stderr: stderr)
    }

    /// Reads `handle` to end of file on a thread of its own, appending each chunk with `append`.
    private func drain(_ handle: FileHandle, _ append: @escaping @Sendable (ChildProcess, Data) -> Void) {
        let fd = handle.fileDescriptor
        Thread {
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = read(fd, &buffer, buffer.count)
                if count < 0 && errno == EINTR { continue }
                if count <= 0 { break }
                let chunk = Data(buffer[0..<count])
                self.lock.withLock { append(self, chunk) }
            }
            try? handle.close()
            self.finish { _ in }
        }.start()
    }

    /// Records one of the three endings; the last one resumes the waiting caller.
    private func finish(_ update: (ChildProcess) -> Void) {
        let resume: (CheckedContinuation<Collected, Never>, Collected)? = lock.withLock {
            update(self)
            pending -= 1
            guard pending == 0, let continuation else { return nil }
            self.continuation = nil
            return (continuation, collected)
        }
        if let (continuation, collected) = resume { continuation.resume(returning: collected) }
    }
}
