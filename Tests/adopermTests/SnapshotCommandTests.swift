import EmulatorSupport
import Foundation
import Testing

/// `adoperm snapshot` as a user runs it (the built binary, `--emulate` starting `ado-emulator`).
@Suite struct SnapshotCommandTests {
    let example = Fixtures.contosoSnapshotURL.path

    @Test func snapshotAllWritesAPrivateCanonicalFile() async throws {
        let directory = try CLIRunner.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = directory.appendingPathComponent("snapshot.json").path
        let result = try await CLIRunner.run(["snapshot", "--all", "--emulate", example, "-o", output, "--verbose"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("wrote \(output): 3 projects, 7 repositories, 27 identities"))
        #expect(result.stderr.contains("requests: "))
        let attributes = try FileManager.default.attributesOfItem(atPath: output)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let text = try String(contentsOfFile: output, encoding: .utf8)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["format"] as? String == "adoperm-snapshot/1")
        #expect(object["credentials"] == nil)
        #expect(!text.contains("fake-pat") && !text.contains("fake-bearer"))

        // Deterministic: a second capture of the same state is byte-identical but for capturedAt (and the port of
        // the emulator, which writes its own URL into links).
        let again = directory.appendingPathComponent("again.json").path
        #expect(try await CLIRunner.run(["snapshot", "--all", "--emulate", example, "-o", again]).status == 0)
        let strip = { (path: String) throws -> String in
            try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
                .filter { !$0.contains("\"capturedAt\"") }.joined(separator: "\n")
                .replacingOccurrences(of: #"127\.0\.0\.1:[0-9]+"#, with: "127.0.0.1:PORT", options: .regularExpression)
        }
        #expect(try strip(output) == strip(again))
    }

    @Test func aPATFromEverySourceNeverAppearsInOutputOrFiles() async throws {
        let directory = try CLIRunner.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let pat = Fixtures.Credentials.alicePAT
        let patFile = directory.appendingPathComponent("pat.txt").path
        try Data((pat + "\n").utf8).write(to: URL(fileURLWithPath: patFile))
        let sources: [(name: String, arguments: [String], environment: [String: String])] = [
            ("pat-file", ["--pat-file", patFile], [:]),
            ("ADOPERM_PAT", [], ["ADOPERM_PAT": pat]),
            ("AZURE_DEVOPS_EXT_PAT", [], ["AZURE_DEVOPS_EXT_PAT": pat]),
            ("SYSTEM_ACCESSTOKEN", [], ["SYSTEM_ACCESSTOKEN": Fixtures.Credentials.adoAwWriteBearer]),
            ("wrong PAT", [], ["ADOPERM_PAT": "wrong-secret-pat-value"]),
        ]
        for source in sources {
            let output = directory.appendingPathComponent("snapshot-\(source.name).json").path
            let result = try await CLIRunner.run(
                ["snapshot", "--all", "--emulate", example, "-o", output, "--verbose"] + source.arguments,
                in: directory,
                environment: source.environment
            )
            let secrets = [pat, Fixtures.Credentials.adoAwWriteBearer, "wrong-secret-pat-value"]
            let encoded = secrets.map { Data(":\($0)".utf8).base64EncodedString() }
            var texts = [result.stdout, result.stderr]
            let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0 != "pat.txt" }
            for file in files {
                texts.append(
                    String(decoding: try Data(contentsOf: directory.appendingPathComponent(file)), as: UTF8.self)
                )
            }
            for text in texts {
                for secret in secrets + encoded {
                    #expect(!text.contains(secret), "\(source.name): the credential leaked")
                }
            }
            if source.name == "wrong PAT" {
                #expect(result.status == 1)
                #expect(result.stderr.contains("authentication failed (HTTP 401)"))
            } else {
                #expect(result.status == 0, "\(source.name): \(result.stderr)")
            }
        }
    }

    @Test func plainHTTPToARemoteHostIsRefused() async throws {
        let result = try await CLIRunner.run(
            ["snapshot", "--all", "--org", "http://dev.azure.com/contoso", "-o", "/tmp/never-written.json"],
            environment: ["ADOPERM_PAT": "x"]
        )
        #expect(result.status == 1)
        #expect(result.stderr.contains("refusing plain http:// to 'dev.azure.com'"))
        #expect(!FileManager.default.fileExists(atPath: "/tmp/never-written.json"))
    }

    @Test func scopeAndSourceAreValidated() async throws {
        let neither = try await CLIRunner.run(["snapshot", "--emulate", example, "-o", "/tmp/x.json"])
        #expect(neither.status != 0)
        #expect(neither.stderr.contains("exactly one of --all and -m"))
        let offline = try await CLIRunner.run(["snapshot", "--all", "--snapshot", example, "-o", "/tmp/x.json"])
        #expect(offline.status != 0)
        #expect(offline.stderr.contains("--snapshot reads a snapshot"))
        let noCredential = try await CLIRunner.run([
            "snapshot", "--all", "--org", "https://dev.azure.com/contoso", "-o", "/tmp/x.json",
        ])
        #expect(noCredential.status == 1)
        #expect(noCredential.stderr.contains("no credential"))
    }

    @Test func manifestScopedSnapshotReadsOnlyWhatTheManifestTouches() async throws {
        let directory = try CLIRunner.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let manifest = directory.appendingPathComponent("adoperm.yaml")
        try Data(
            """
            version: 1
            requirements:
              - id: pr-reviewer
                subject:
                  pipeline: { project: Payments, name: payments-pr-reviewer }
                allow:
                  - git: { project: Payments, repository: payments-api }
                    permissions: [GenericRead, PullRequestContribute]
            """.utf8
        ).write(to: manifest)
        let output = directory.appendingPathComponent("scoped.json").path
        let result = try await CLIRunner.run(["snapshot", "-m", manifest.path, "--emulate", example, "-o", output, "-v"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: output))) as? [String: Any]
        )
        let projects = (object["projects"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
        #expect(projects == ["Payments"])
        let files = (object["files"] as? [String: Any])?.keys.sorted()
        #expect(files?.contains("Payments/payments-api/agents/pr-reviewer.lock.yml") == true)
    }
}
