import ADOEmulator
import EmulatorSupport
import Foundation
import Testing

/// Issue 8, secrets: every command run with a known PAT and, separately, a known Bearer token, verbose where the
/// command has `--verbose` (its most detailed output): the token and every encoded form the client sends appear
/// nowhere — not in stdout, stderr, the plan, the snapshot, the journal, the drift state and report, nor any other
/// file the commands leave. Plans, journals, snapshots and drift files are written 0600.
@Suite struct SecretsTests {
    static let pat = "pat-8f3a9c1e7b2d4f60a5c3e1d9b7f2a4c6e8d0b1a3"
    static let bearer = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.secret-bearer-5c1e9a7d3b.f0e2d4c6"

    /// The example organization with both tokens added as alice's (an administrator), so every command works.
    static func snapshot() throws -> Data {
        try Fixtures.contosoSnapshot { object in
            var credentials = object["credentials"] as? [[String: Any]] ?? []
            let alice = credentials.first { $0["token"] as? String == Fixtures.Credentials.alicePAT } ?? [:]
            var pat = alice
            pat["token"] = Self.pat
            var bearer = alice
            bearer["token"] = Self.bearer
            bearer["kind"] = "bearer"
            credentials += [pat, bearer]
            object["credentials"] = credentials
        }
    }

    /// The forms a token can take on the wire or in a careless log line.
    static func forms(of token: String) -> [String] {
        [
            token,
            Data(":\(token)".utf8).base64EncodedString(),
            Data(token.utf8).base64EncodedString(),
            token.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? token,
            String(token.prefix(16)),
        ]
    }

    @Test(arguments: ["ADOPERM_PAT", "SYSTEM_ACCESSTOKEN"])
    func noCommandLeaksTheCredential(_ variable: String) async throws {
        let token = variable == "ADOPERM_PAT" ? Self.pat : Self.bearer
        try await withEmulator(snapshotData: try Self.snapshot()) { emulator in
            let workspace = try ApplyWorkspace(emulator)
            defer { try? FileManager.default.removeItem(at: workspace.directory) }
            let org = emulator.organizationURL.absoluteString
            // The workspace's own ADOPERM_PAT is blanked (an empty variable counts as unset).
            var environment = ["ADOPERM_PAT": ""]
            environment[variable] = token
            var outputs: [(command: String, result: CLIResult)] = []
            func run(_ arguments: [String]) async throws -> CLIResult {
                let result = try await workspace.run(arguments, environment: environment)
                outputs.append((arguments.prefix(2).joined(separator: " "), result))
                return result
            }
            let plan = try await run(["plan", "-m", "adoperm.yaml", "--org", org, "-o", "plan.json", "--format", "json", "-v"])
            #expect(plan.status == 0, "\(plan.stderr)")
            let ids = try workspace.changeIds(rank: 3)
            #expect(!ids.isEmpty)
            let apply = try await run(
                ["apply", "plan.json", "--approve", ids.joined(separator: ","), "--org", org, "--checkout",
                 workspace.checkout.path, "-v"]
            )
            #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
            let journal = try workspace.journal()
            let runId = URL(fileURLWithPath: journal).deletingPathExtension().lastPathComponent
            for arguments in [["journal", "list"], ["journal", "show", runId], ["journal", "verify", runId]] {
                #expect(try await run(arguments).status == 0)
            }
            let drift = try await run(["drift", "-m", "adoperm.yaml", "--org", org, "--format", "json", "-o", "drift.json", "-v"])
            #expect([0, 2].contains(drift.status), "\(drift.stderr)")
            let snapshot = try await run(["snapshot", "-m", "adoperm.yaml", "--org", org, "-o", "snapshot.json", "-v"])
            #expect(snapshot.status == 0, "\(snapshot.stderr)")
            let explain = try await run([
                "explain",
                "TF401027: You need the Git 'PullRequestContribute' permission to perform this action. Details: "
                    + "identity 'Build\\5d0f5b42-8c3e-4a8e-9b61-0e2f3c4a7d10', scope 'repository'.",
                "--org", org, "--pipeline", "Payments/payments-pr-reviewer", "-v",
            ])
            #expect(explain.status == 0, "\(explain.stderr)")
            let rollback = try await run(["rollback", journal, "--org", org, "-v"])
            #expect(rollback.status == 0, "\(rollback.stderr)")
            #expect(try await run(["decode", "16404", "--namespace", "git"]).status == 0)
            #expect(try await run(["profiles"]).status == 0)
            // Failures print the request too: a 404 and a refused plan must not carry the credential either.
            let missing = try await run(["plan", "-m", "adoperm.yaml", "--org", org + "x", "-o", "other.json", "-v"])
            #expect(missing.status == 1)

            let forms = Self.forms(of: token)
            for (command, result) in outputs {
                for form in forms {
                    #expect(!result.stdout.contains(form), "\(command): stdout holds the credential")
                    #expect(!result.stderr.contains(form), "\(command): stderr holds the credential")
                }
            }
            var written: [String] = []
            let enumerator = FileManager.default.enumerator(atPath: workspace.directory.path)
            while let path = enumerator?.nextObject() as? String {
                let full = workspace.directory.appendingPathComponent(path).path
                guard let data = FileManager.default.contents(atPath: full) else { continue }
                written.append(path)
                let text = String(decoding: data, as: UTF8.self)
                for form in forms { #expect(!text.contains(form), "\(path) holds the credential") }
            }
            for file in ["plan.json", "snapshot.json", "drift.json", ".adoperm/drift-state.json"] {
                #expect(written.contains(file), "\(file) was written")
                #expect(Self.mode(workspace.directory.appendingPathComponent(file).path) == 0o600, "\(file) is 0600")
            }
            #expect(Self.mode(journal) == 0o600, "the journal is 0600")
            #expect(written.count >= 6, "\(written)")
        }
    }

    static func mode(_ path: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int
    }

    @Test func plainHTTPToANonLoopbackHostIsRefusedBeforeAnyConnection() async throws {
        try await withEmulator { emulator in
            let workspace = try ApplyWorkspace(emulator)
            defer { try? FileManager.default.removeItem(at: workspace.directory) }
            // 192.0.2.1 (TEST-NET-1) would hang on connect: the refusal must come first, promptly.
            for arguments in [
                ["plan", "-m", "adoperm.yaml", "--org", "http://192.0.2.1/contoso"],
                ["drift", "-m", "adoperm.yaml", "--org", "http://192.0.2.1/contoso"],
                ["snapshot", "--all", "--org", "http://dev.azure.com.example/contoso", "-o", "s.json"],
            ] {
                let result = try await workspace.run(arguments, environment: ["ADOPERM_PAT": Self.pat])
                #expect(result.status == 1, "\(arguments[0]): \(result.stderr)")
                #expect(result.stderr.contains("plain http://"), "\(arguments[0]): \(result.stderr)")
                #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
                #expect(!result.stderr.contains(Self.pat))
            }
            #expect(!FileManager.default.fileExists(atPath: workspace.directory.appendingPathComponent("s.json").path))
        }
    }
}
