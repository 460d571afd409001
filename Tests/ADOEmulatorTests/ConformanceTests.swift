import EmulatorSupport
import Foundation
import Testing

/// Microsoft's Python SDK (azure-devops 7.1.0b4) against the emulator: Tests/conformance/sdk_conformance.py.
/// Fails when python3 or the SDK is missing (CI installs both; see .ci/run).
@Suite("SDK conformance")
struct ConformanceTests {
    @Test func pythonSDKDeserializesEveryEndpointWeUse() async throws {
        let script = Fixtures.repositoryRoot.appendingPathComponent("Tests/conformance/sdk_conformance.py")
        try await withEmulator { emulator in
            let result = try await Subprocess.run(
                "/usr/bin/env",
                ["python3", script.path, emulator.organizationURL.absoluteString]
            )
            #expect(result.status == 0, "sdk_conformance.py failed:\n\(result.output)")
            #expect(result.output.contains("conformance:"), "\(result.output)")
        }
    }
}

/// Runs a process to completion off the concurrency pool, collecting stdout and stderr together.
enum Subprocess {
    struct Result: Sendable {
        var status: Int32
        var output: String
    }

    static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) async throws
        -> Result
    {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: executable)
                process.arguments = arguments
                if let environment { process.environment = environment }
                let pipe = Pipe()
                process.standardOutput = pipe
                process.standardError = pipe
                process.standardInput = FileHandle.nullDevice
                do {
                    try process.run()
                    let data = pipe.fileHandleForReading.readDataToEndOfFile()
                    process.waitUntilExit()
                    continuation.resume(
                        returning: Result(
                            status: process.terminationStatus,
                            output: String(decoding: data, as: UTF8.self)
                        )
                    )
                } catch {
                    continuation.resume(throwing: error)
                }
            }
            thread.start()
        }
    }
}
