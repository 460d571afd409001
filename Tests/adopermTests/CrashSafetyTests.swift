import EmulatorSupport
import Foundation
import Testing

/// Issue 8, crash safety: a 20-change apply is SIGKILLed at a journal-record boundary; `adoperm rollback` must then
/// restore the emulator's state byte for byte, and applying again must end where an uninterrupted apply ends.
/// The suite runs a fixed sample of the 82 kill points; `ADOPERM_CRASH_POINTS=all` (scripts/crash-loop.sh) runs
/// every one.
@Suite struct CrashSafetyTests {
    /// Twenty requirements that each yield one ACE grant (EditPolicies for three users on the seven repositories).
    static let manifest: String = {
        let repositories = [
            ("Payments", "payments-api"), ("Payments", "payments-docs"), ("Payments", "Payments.wiki"),
            ("Shared", "payments-sdk"), ("Shared", "pipeline-templates"), ("Shared", "Shared.wiki"),
            ("OpenSource", "oss-lib"),
        ]
        var lines = ["version: 1", "organization: https://dev.azure.com/contoso", "requirements:"]
        var number = 0
        for user in ["bob@contoso.com", "carol@contoso.com", "backup@contoso.com"] {
            for (project, repository) in repositories where number < 20 {
                number += 1
                lines += [
                    "  - id: policy-\(number)",
                    "    subject: { identity: \(user) }",
                    "    allow:",
                    "      - git: { project: \(project), repository: \(repository) }",
                    "        permissions: [EditPolicies]",
                ]
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }()

    static let changeCount = 20

    /// `begin:1`, `intent|written|applied|verified:1…20`, `end:1`: a pause after every record, and between each
    /// write and its `applied` record.
    static let allPoints: [String] =
        ["begin:1"]
        + (1...changeCount).flatMap { n in ["intent:\(n)", "written:\(n)", "applied:\(n)", "verified:\(n)"] }
        + ["end:1"]

    static let samplePoints = [
        "begin:1", "intent:1", "written:1", "applied:1", "verified:1", "intent:7", "written:11", "applied:14",
        "verified:17", "written:20", "end:1",
    ]

    static var points: [String] {
        ProcessInfo.processInfo.environment["ADOPERM_CRASH_POINTS"] == "all" ? allPoints : samplePoints
    }

    /// Where resuming is also checked (in the full loop: everywhere).
    static func checksResume(_ point: String) -> Bool {
        ProcessInfo.processInfo.environment["ADOPERM_CRASH_POINTS"] == "all"
            || ["intent:1", "written:11", "verified:17", "end:1"].contains(point)
    }

    /// The recommended changes of the plan in the workspace.
    static func changeIds(_ workspace: ApplyWorkspace) throws -> [String] {
        let findings = try workspace.planJSON()["findings"] as? [[String: Any]] ?? []
        return findings.flatMap { finding -> [String] in
            let remedy = (finding["remedies"] as? [[String: Any]] ?? []).first { $0["recommended"] as? Bool == true }
            return (remedy?["changes"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        }
    }

    @Test func theManifestYieldsTwentyACEChanges() async throws {
        try await withEmulator { emulator in
            let workspace = try ApplyWorkspace(emulator, manifest: Self.manifest)
            #expect(try await workspace.plan().status == 0)
            let kinds = try workspace.planJSON()["findings"].map { findings in
                (findings as? [[String: Any]] ?? []).flatMap { finding in
                    ((finding["remedies"] as? [[String: Any]] ?? []).first { $0["recommended"] as? Bool == true }?[
                        "changes"
                    ] as? [[String: Any]] ?? []).compactMap { $0["kind"] as? String }
                }
            }
            #expect(kinds == Array(repeating: "ace", count: Self.changeCount))
            #expect(Self.allPoints.count == 82)
        }
    }

    /// The state after an uninterrupted apply of the twenty changes.
    static func uninterruptedFinalState() async throws -> Data {
        try await withEmulator { emulator in
            let workspace = try ApplyWorkspace(emulator, manifest: Self.manifest)
            #expect(try await workspace.plan().status == 0)
            let result = try await workspace.apply(try changeIds(workspace))
            #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
            return try await emulator.stateDump()
        }
    }

    @Test(arguments: CrashSafetyTests.points)
    func sigkillThenRollbackRestoresTheStateExactly(at point: String) async throws {
        let final = Self.checksResume(point) ? try await Self.uninterruptedFinalState() : nil
        try await withEmulator { emulator in
            let workspace = try ApplyWorkspace(emulator, manifest: Self.manifest)
            #expect(try await workspace.plan().status == 0)
            let ids = try Self.changeIds(workspace)
            try #require(ids.count == Self.changeCount)
            let before = try await emulator.stateDump()

            let paused = try await PausedApply(workspace, ids: ids, pauseAfter: point)
            paused.kill()
            let types = try workspace.journalLines().map { $0["type"] as? String ?? "" }
            let kind = String(point.split(separator: ":")[0])
            #expect(types.last == (kind == "written" ? "intent" : kind), "\(point): \(types)")

            let rollback = try await workspace.rollback(try workspace.journal())
            #expect(rollback.status == 0, "\(point): \(rollback.stdout)\(rollback.stderr)")
            #expect(try await emulator.stateDump() == before, "\(point): rollback restored the pre-apply state")
            #expect(try await workspace.run(["journal", "verify", try workspace.journal()]).status == 0)

            guard let final else { return }
            let again = try await workspace.apply(ids)
            #expect(again.status == 0, "\(point): \(again.stdout)\(again.stderr)")
            #expect(try await emulator.stateDump() == final, "\(point): resuming ends where an uninterrupted apply ends")
        }
    }
}
