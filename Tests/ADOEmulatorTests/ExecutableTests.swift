import ADOEmulator
import EmulatorSupport
import Foundation
import Testing

/// `ado-emulator serve` as the CLI starts it: first stdout line, bad snapshots, signals, parent watch, state-out.
@Suite("ado-emulator executable")
struct ExecutableTests {
    final class Launched: @unchecked Sendable {
        let process = Process()
        let stdout = Pipe()
        let stderr = Pipe()

        init(_ arguments: [String]) throws {
            process.executableURL = Fixtures.emulatorExecutable
            process.arguments = arguments
            process.standardOutput = stdout
            process.standardError = stderr
            process.standardInput = FileHandle.nullDevice
            try process.run()
        }

        /// The first stdout line (blocking read on its own thread).
        func firstLine() async -> String {
            await withCheckedContinuation { continuation in
                Thread {
                    var bytes: [UInt8] = []
                    while true {
                        let chunk = self.stdout.fileHandleForReading.readData(ofLength: 1)
                        if chunk.isEmpty || chunk.first == 0x0A { break }
                        bytes.append(contentsOf: chunk)
                    }
                    continuation.resume(returning: String(decoding: bytes, as: UTF8.self))
                }.start()
            }
        }

        /// Waits for exit (bounded), returning the status and stderr.
        func exit(within seconds: Double = 20) async -> (status: Int32?, stderr: String) {
            let deadline = Date().addingTimeInterval(seconds)
            while process.isRunning && Date() < deadline { try? await Task.sleep(for: .milliseconds(50)) }
            if process.isRunning {
                process.terminate()
                process.waitUntilExit()
                return (nil, "")
            }
            let text = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            return (process.terminationStatus, text)
        }
    }

    static func temporaryFile(_ name: String, _ data: Data? = nil) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "ado-emulator-tests-\(UUID().uuidString)"
        )
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(name)
        if let data { try data.write(to: url) }
        return url
    }

    @Test func firstLineIsTheOrganizationURLAndSIGTERMStopsIt() async throws {
        let stateOut = try Self.temporaryFile("state.json")
        let launched = try Launched([
            "serve", Fixtures.contosoSnapshotURL.path, "--port", "0", "--state-out", stateOut.path,
        ])
        let line = await launched.firstLine()
        let url = try #require(URL(string: line))
        #expect(url.scheme == "http" && url.host == "127.0.0.1" && url.path == "/contoso")
        let port = try #require(url.port)
        let projects = try await TestHTTP(port: port).get("/contoso/_apis/projects?api-version=7.1")
        #expect(projects.status == 200)
        #expect(try Data(contentsOf: stateOut) == (try Fixtures.contosoSnapshot()))
        let bob = Contoso.user("bob@contoso.com")
        let write = try await TestHTTP(port: port).send(
            "POST",
            "/contoso/_apis/accesscontrolentries/\(Contoso.gitNamespace)?api-version=7.1",
            pat: Credentials.alicePAT,
            body: try TestHTTP.json([
                "token": "repoV2", "merge": true, "accessControlEntries": [["descriptor": bob, "allow": 2, "deny": 0]],
            ])
        )
        #expect(write.status == 200)
        #expect(
            String(decoding: try Data(contentsOf: stateOut), as: UTF8.self).contains(
                bob.replacingOccurrences(of: "\\", with: "\\\\")
            )
        )
        launched.process.terminate()
        let result = await launched.exit()
        #expect(result.status == 0)
    }

    @Test func badSnapshotStopsTheServerWithOneLine() async throws {
        let data = try Fixtures.contosoSnapshot { object in
            var memberships = object["memberships"] as! [[String: Any]]
            memberships[3]["member"] = "Microsoft.IdentityModel.Claims.ClaimsIdentity;x\\ghost@contoso.com"
            object["memberships"] = memberships
        }
        let file = try Self.temporaryFile("bad.json", data)
        let launched = try Launched(["serve", file.path])
        let result = await launched.exit()
        #expect(result.status == 1)
        #expect(
            result.stderr
                == "ado-emulator: error: \(file.path): $.memberships[3].member: unknown identity descriptor 'Microsoft.IdentityModel.Claims.ClaimsIdentity;x\\ghost@contoso.com'\n"
        )
        #expect(await launched.firstLine() == "")
    }

    @Test func malformedSnapshotNamesLineAndColumn() async throws {
        let file = try Self.temporaryFile(
            "broken.json",
            Data("{\"format\": \"adoperm-snapshot/1\",\n  \"organization\": [1,,2]}".utf8)
        )
        let result = await (try Launched(["serve", file.path])).exit()
        #expect(result.status == 1)
        #expect(result.stderr == "ado-emulator: error: \(file.path):2:22: malformed JSON: unexpected character ','\n")
    }

    @Test func exitsWhenTheParentIsGone() async throws {
        let parent = Process()
        parent.executableURL = URL(fileURLWithPath: "/bin/sleep")
        parent.arguments = ["1"]
        try parent.run()
        let launched = try Launched([
            "serve", Fixtures.contosoSnapshotURL.path, "--parent-pid", String(parent.processIdentifier),
        ])
        #expect(await launched.firstLine().hasPrefix("http://127.0.0.1:"))
        // Polled, not `waitUntilExit()`: a blocked pool thread would starve the in-process emulators of other tests.
        while parent.isRunning { try await Task.sleep(for: .milliseconds(50)) }
        let result = await launched.exit(within: 15)
        #expect(result.status == 0)
    }

    @Test func behaviourFlagsApplyAndTheRequestLogFileFills() async throws {
        let faults = try Self.temporaryFile(
            "faults.yaml",
            Data(
                "rules:\n  - name: first-listing\n    path: /contoso/_apis/projects\n    nth: 1\n    fault: 503\n".utf8
            )
        )
        let log = faults.deletingLastPathComponent().appendingPathComponent("requests.jsonl")
        let launched = try Launched([
            "serve", Fixtures.contosoSnapshotURL.path, "--latency", "1ms", "--jitter", "1ms", "--seed", "3",
            "--rate-limit", "200/5m", "--faults", faults.path, "--request-log", log.path,
        ])
        let url = try #require(URL(string: await launched.firstLine()))
        let http = TestHTTP(port: try #require(url.port))
        #expect(try await http.get("/contoso/_apis/projects?api-version=7.1").status == 503)
        #expect(try await http.get("/contoso/_apis/projects?api-version=7.1").status == 200)
        let lines = String(decoding: try Data(contentsOf: log), as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 2)
        // The injected 503 never reached the rate limiter; the served listing was charged.
        #expect(lines.first?.contains(#""fault":"first-listing""#) == true)
        #expect(lines.first?.contains(#""tstu":null"#) == true)
        #expect(lines.last?.contains(#""tstu":0.0"#) == true)
        launched.process.terminate()
        #expect(await launched.exit().status == 0)
    }

    @Test(arguments: [
        (
            ["--rate-limit", "200"],
            "ado-emulator: error: --rate-limit: invalid rate limit '200': expected LIMIT/WINDOW, e.g. 200/5m\n"
        ),
        (["--latency", "soon"], "ado-emulator: error: --latency: 'soon' is not a duration (e.g. 50ms, 0.2s)\n"),
    ])
    func badBehaviourFlagsStopWithOneLine(flags: [String], message: String) async throws {
        let result = await (try Launched(["serve", Fixtures.contosoSnapshotURL.path] + flags)).exit()
        #expect(result.status == 1)
        #expect(result.stderr == message)
    }

    @Test func aBadFaultFileStopsWithItsLineAndColumn() async throws {
        let faults = try Self.temporaryFile("faults.yaml", Data("rules:\n  - fault: 503\n    evry: 2\n".utf8))
        let result = await (try Launched(["serve", Fixtures.contosoSnapshotURL.path, "--faults", faults.path])).exit()
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("ado-emulator: error: \(faults.path):3:5: unknown key 'evry' in rule 1"))
        #expect(result.stderr.split(separator: "\n").count == 1)
    }

    @Test func generateWritesTheSnapshotAndManifestTheLibraryMakes() async throws {
        let snapshot = try Self.temporaryFile("big.json")
        let manifest = snapshot.deletingLastPathComponent().appendingPathComponent("big.yaml")
        let launched = try Launched([
            "generate", "--projects", "3", "--repos-per-project", "4", "--pipelines", "7", "--seed", "9", "-o",
            snapshot.path, "--manifest-out", manifest.path,
        ])
        let line = await launched.firstLine()
        #expect(await launched.exit().status == 0)
        let expected = try SyntheticOrg.generate(
            SyntheticOrgSpec(projects: 3, reposPerProject: 4, pipelines: 7, seed: 9)
        )
        #expect(try Data(contentsOf: snapshot) == expected.snapshot)
        #expect(try Data(contentsOf: manifest) == expected.manifest)
        #expect(
            line
                == "wrote \(snapshot.path) (\(expected.snapshot.count) bytes): 3 projects, 12 repositories, 7 pipelines; \(manifest.path): 7 requirements"
        )
        let bad = await
            (try Launched([
                "generate", "--projects", "0", "--repos-per-project", "1", "--pipelines", "1", "-o", snapshot.path,
            ])).exit()
        #expect(bad.status == 1 && bad.stderr == "ado-emulator: error: --projects must be at least 1\n")
        #expect(try Data(contentsOf: snapshot) == expected.snapshot)
    }
}
