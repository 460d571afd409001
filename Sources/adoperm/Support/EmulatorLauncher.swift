import Foundation

/// Runs `ado-emulator serve snapshot.json --port 0` as a child process for `--emulate`, so the CLI itself never
/// links the emulator (or NIO). The emulator prints its organization URL as the first stdout line.
enum EmulatorLauncher {
    /// Starts the emulator, runs `body` with its organization URL, then stops it (SIGTERM, then wait).
    static func withEmulator<T>(
        snapshot: String,
        stateOut: String? = nil,
        _ body: (URL) async throws -> T
    ) async throws -> T {
        let executable = try locateExecutable()
        guard FileManager.default.fileExists(atPath: snapshot) else {
            throw CLIError.cannotRead(path: snapshot, reason: "no such file")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        var arguments = ["serve", snapshot, "--port", "0", "--parent-pid", String(getpid())]
        if let stateOut { arguments += ["--state-out", stateOut] }
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        let logPath = NSTemporaryDirectory() + "adoperm-emulator-\(getpid()).log"
        _ = FileManager.default.createFile(atPath: logPath, contents: nil, attributes: [.posixPermissions: 0o600])
        let log = FileHandle(forWritingAtPath: logPath)
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        defer {
            try? log?.close()
            unlink(logPath)
        }
        do {
            try process.run()
        } catch {
            throw CLIError.emulator("cannot start \(executable)")
        }
        defer {
            if process.isRunning {
                process.terminate()
                process.waitUntilExit()
            }
        }
        guard let line = readFirstLine(output.fileHandleForReading.fileDescriptor, timeoutSeconds: 120),
            let url = URL(string: line.trimmingCharacters(in: .whitespacesAndNewlines)), url.scheme == "http"
        else {
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
            let detail = (try? String(contentsOfFile: logPath, encoding: .utf8))?
                .split(separator: "\n").last.map(String.init) ?? "exited with status \(process.terminationStatus)"
            throw CLIError.emulator(detail)
        }
        return try await body(url)
    }

    /// `ado-emulator` next to the running `adoperm` (both are products of the same package), or `$ADOPERM_EMULATOR`.
    static func locateExecutable() throws(CLIError) -> String {
        if let override = ProcessInfo.processInfo.environment["ADOPERM_EMULATOR"] { return override }
        let own = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        let candidate = URL(fileURLWithPath: own).deletingLastPathComponent().appendingPathComponent("ado-emulator").path
        guard FileManager.default.isExecutableFile(atPath: candidate) else {
            throw .emulator("ado-emulator not found next to adoperm (\(candidate)); build it with `swift build`")
        }
        return candidate
    }

    /// Reads up to the first newline, waiting at most `timeoutSeconds` overall.
    private static func readFirstLine(_ fd: Int32, timeoutSeconds: Int) -> String? {
        var bytes: [UInt8] = []
        let deadline = Date().addingTimeInterval(TimeInterval(timeoutSeconds))
        var byte: UInt8 = 0
        while Date() < deadline {
            var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, 250)
            if ready < 0 && errno != EINTR { return nil }
            if ready <= 0 { continue }
            let count = read(fd, &byte, 1)
            if count <= 0 { return nil }
            if byte == UInt8(ascii: "\n") { return String(decoding: bytes, as: UTF8.self) }
            bytes.append(byte)
        }
        return nil
    }
}
