import Foundation
import Testing

/// `adoperm plan`, `explain`, `decode` and `profiles` as a user runs them (the built binary, a subprocess).
@Suite struct PlanCommandTests {
    static let manifest = "examples/contoso/adoperm.yaml"
    static let snapshot = "examples/contoso/snapshot.json"
    static let epoch = ["SOURCE_DATE_EPOCH": "1795478400"]

    @Test func plansTheExampleOffline() async throws {
        let result = try await CLIRunner.run(["plan", "-m", Self.manifest, "--snapshot", Self.snapshot], environment: Self.epoch)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("✗ pr-reviewer  gap"))
        #expect(result.stdout.contains("1. service-connection  viable  ← recommended"))
        #expect(result.stdout.contains("created 2026-11-24T00:00:00Z"))
        #expect(!result.stdout.contains("\u{1B}["), "no colour when NO_COLOR is set / not a TTY")
        let detailed = try await CLIRunner.run(["plan", "-m", Self.manifest, "--snapshot", Self.snapshot, "--detailed-exitcode"],
                                         environment: Self.epoch)
        #expect(detailed.status == 2)
    }

    @Test func writesAByteIdenticalPlanFile() async throws {
        let directory = try CLIRunner.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = directory.appendingPathComponent("a.json").path
        let second = directory.appendingPathComponent("b.json").path
        for path in [first, second] {
            let result = try await CLIRunner.run(["plan", "-m", Self.manifest, "--snapshot", Self.snapshot, "-o", path],
                                           environment: Self.epoch)
            #expect(result.status == 0, "\(result.stderr)")
        }
        let a = try Data(contentsOf: URL(fileURLWithPath: first))
        #expect(a == (try Data(contentsOf: URL(fileURLWithPath: second))))
        let json = try await CLIRunner.run(["plan", "-m", Self.manifest, "--snapshot", Self.snapshot, "--format", "json"],
                                     environment: Self.epoch)
        #expect(Data(json.stdout.utf8) == a + Data("\n".utf8) || Data(json.stdout.utf8) == a)
        let markdown = try await CLIRunner.run(["plan", "-m", Self.manifest, "--snapshot", Self.snapshot, "--format", "markdown"],
                                         environment: Self.epoch)
        #expect(markdown.stdout.hasPrefix("# adoperm plan for https://dev.azure.com/contoso"))
    }

    @Test func theEmulatedOrganizationGivesTheSamePlan() async throws {
        let directory = try CLIRunner.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let offline = directory.appendingPathComponent("offline.json").path
        let emulated = directory.appendingPathComponent("emulated.json").path
        let a = try await CLIRunner.run(["plan", "-m", Self.manifest, "--snapshot", Self.snapshot, "-o", offline], environment: Self.epoch)
        let b = try await CLIRunner.run(["plan", "-m", Self.manifest, "--emulate", Self.snapshot, "-o", emulated], environment: Self.epoch)
        #expect(a.status == 0 && b.status == 0, "\(a.stderr)\(b.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: offline)) == (try Data(contentsOf: URL(fileURLWithPath: emulated))))
    }

    @Test(arguments: [
        ("version: 1\nrequirements:\n  - id: a\n    subject: { pipeline: [\n", "adoperm.yaml:5:1: error: invalid YAML"),
        ("""
         version: 1
         requirements:
           - id: a
             subject: { pipeline: { project: Payments, name: payments-pr-reviewer } }
             allow:
               - git: { project: Payments, repository: payments-api }
                 permissions: [PullRequestContribut]
         """, "adoperm.yaml:7:23: error: unknown permission 'PullRequestContribut' in namespace Git Repositories (did you mean PullRequestContribute?)"),
        ("""
         version: 1
         requirements:
           - id: a
             subject: { pipeline: { project: Payments, name: payments-pr-reviewer } }
             allow:
               - git: { project: Payments, repository: payments-apj }
                 permissions: [PullRequestContribute]
         """, "adoperm.yaml:6:47: error: unknown repository 'payments-apj' in project Payments (did you mean payments-api?)"),
        ("""
         version: 1
         requirements:
           - id: a
             subject: { identity: bob@contoso.com }
             allow:
               - organization: {}
                 permissions: [GENERIC_READ]
           - id: a
             subject: { identity: bob@contoso.com }
             allow:
               - organization: {}
                 permissions: [GENERIC_READ]
         """, "adoperm.yaml:8:5: error: duplicate requirement id 'a' (first at line 3), expected ids to be unique"),
        ("", "adoperm.yaml: error: the file is empty"),
    ])
    func badManifestsAreOneLineAndWriteNothing(_ text: String, _ expected: String) async throws {
        let directory = try CLIRunner.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data(text.utf8).write(to: directory.appendingPathComponent("adoperm.yaml"))
        let snapshot = CLIRunner.repositoryRoot.appendingPathComponent(Self.snapshot).path
        let result = try await CLIRunner.run(["plan", "--snapshot", snapshot, "-o", "plan.json"], in: directory)
        #expect(result.status == 1)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(result.stderr)")
        #expect(lines.first?.hasPrefix(expected) == true, "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("plan.json").path))
        #expect(result.stdout.isEmpty)
    }

    @Test func decodesBitsAndListsProfiles() async throws {
        let decoded = try await CLIRunner.run(["decode", "16404", "--namespace", "git"])
        #expect(decoded.status == 0 && decoded.stdout == "PullRequestContribute | CreateBranch | GenericContribute\n")
        let live = try await CLIRunner.run(["decode", "128", "--namespace", "build", "--snapshot", Self.snapshot])
        #expect(live.stdout == "QueueBuilds\n")
        let wrong = try await CLIRunner.run(["decode", "16404", "--namespace", "gti"])
        #expect(wrong.status == 1 && wrong.stderr == "error: unknown security namespace 'gti' (did you mean git?)\n")
        let profiles = try await CLIRunner.run(["profiles"])
        #expect(profiles.stdout.contains("ado-aw-queue-build"))
        #expect(profiles.stdout.contains("Build: QueueBuilds (128) on the definition"))
        #expect(profiles.stdout.contains("Collection: CREATE_PROJECTS (4) on the organization"))
    }

    @Test func explainsErrorsOfflineAndWithTheOrganization() async throws {
        let error = "TF401027: You need the Git 'PullRequestContribute' permission to perform this action. Details: identity 'Build\\5d0f5b42-8c3e-4a8e-9b61-0e2f3c4a7d10', scope 'repository'."
        let offline = try await CLIRunner.run(["explain", error])
        #expect(offline.status == 0 && offline.stdout.contains("permission  PullRequestContribute (16384) in Git Repositories"))
        let online = try await CLIRunner.run(["explain", error, "--snapshot", Self.snapshot, "--pipeline", "Payments/payments-pr-reviewer",
                                        "--service-connection", "Payments/ado-aw-write"], environment: Self.epoch)
        #expect(online.status == 0, "\(online.stderr)")
        #expect(online.stdout.contains("Project Collection Build Service (contoso) (collection-scoped job identity"))
        #expect(online.stdout.contains("1. service-connection  viable  ← recommended"))
        let none = try await CLIRunner.run(["explain", "all good"])
        #expect(none.status == 1)
    }
}
