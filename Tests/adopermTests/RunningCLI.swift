import Foundation

/// The built `adoperm` running in the background (for `drift --watch`): its output is collected as it arrives, so a
/// test can wait for a line, act on the organization, and wait for the next — then send it a signal.
final class RunningCLI: @unchecked Sendable {
    // @unchecked: `stdoutData`/`stderrData` are only touched under `lock`; `process` is used from the test's task.
    private let process: Process
    private let lock = NSLock()
    private var stdoutData = Data()
    private var stderrData = Data()
    private var stdoutClosed = false
    private var stderrClosed = false

    init(_ arguments: [String], in directory: URL, environment extra: [String: String] = [:]) throws {
        process = Process()
        process.executableURL = CLIRunner.productsDirectory.appendingPathComponent("adoperm")
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment
        for key in ["ADOPERM_PAT", "AZURE_DEVOPS_EXT_PAT", "SYSTEM_ACCESSTOKEN", "SYSTEM_COLLECTIONURI", "TF_BUILD"] {
            environment.removeValue(forKey: key)
        }
        environment["NO_COLOR"] = "1"
        for (key, value) in extra { environment[key] = value }
        process.environment = environment
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Blocking reads on threads of their own (never on the concurrency pool an in-process emulator needs).
        startReader(out.fileHandleForReading.fileDescriptor) { data in
            self.lock.withLock { if let data { self.stdoutData.append(data) } else { self.stdoutClosed = true } }
        }
        startReader(err.fileHandleForReading.fileDescriptor) { data in
            self.lock.withLock { if let data { self.stderrData.append(data) } else { self.stderrClosed = true } }
        }
    }

    /// Reads `fd` until end of file, handing over each chunk, then nil.
    private func startReader(_ fd: Int32, _ deliver: @escaping @Sendable (Data?) -> Void) {
        let thread = Thread {
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = read(fd, &buffer, buffer.count)
                if count < 0 && errno == EINTR { continue }
                if count <= 0 { break }
                deliver(Data(buffer[0..<count]))
            }
            deliver(nil)
        }
        thread.start()
    }

    deinit {
        if process.isRunning { process.terminate() }
    }

    var stdout: String { lock.withLock { String(decoding: stdoutData, as: UTF8.self) } }
    var stderr: String { lock.withLock { String(decoding: stderrData, as: UTF8.self) } }
    var isRunning: Bool { process.isRunning }

    /// Polls the output until `condition` holds (true) or the deadline passes or the process exits (false).
    func waitUntil(
        seconds: Double = 120,
        _ condition: (_ stdout: String, _ stderr: String) -> Bool
    ) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition(stdout, stderr) { return true }
            if !process.isRunning { return condition(stdout, stderr) }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    func send(_ signal: Int32) { kill(process.processIdentifier, signal) }

    /// The exit status, once the process ended and its output is read to the end (nil when it is still running
    /// at the deadline).
    func exitStatus(waitingUpTo seconds: Double = 300) async throws -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let closed = lock.withLock { stdoutClosed && stderrClosed }
            if !process.isRunning && closed { return process.terminationStatus }
            try await Task.sleep(for: .milliseconds(50))
        }
        return nil
    }
}

enum RunningCLIError: Error, CustomStringConvertible {
    case timedOut(String)

    var description: String {
        switch self {
        case .timedOut(let command): "adoperm \(command) did not finish in time"
        }
    }
}
