import Apply
import EmulatorSupport
import Foundation
import Plan
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// `adoperm drift` as a user runs it: the built binary against an emulator over HTTP, with out-of-band changes
/// made through the emulator's REST API with the admin's PAT (issue 6's acceptance list).
@Suite(.serialized) struct DriftCommandTests {
    static let manifest = CLIRunner.repositoryRoot.appendingPathComponent("examples/contoso/adoperm.yaml").path
    static let admin = ["ADOPERM_PAT": Fixtures.Credentials.alicePAT]
    static let git = Fixtures.Contoso.gitNamespace

    /// Sets one ACE exactly (`merge: false`), as an administrator would in the web UI.
    static func setACE(_ emulator: EmulatorHandle, token: String, descriptor: String, allow: Int, deny: Int)
        async throws
    {
        let body = try TestHTTP.json([
            "token": token, "merge": false,
            "accessControlEntries": [["descriptor": descriptor, "allow": allow, "deny": deny]],
        ])
        let response = try await emulator.http.send(
            "POST",
            "/contoso/_apis/accesscontrolentries/\(git)?api-version=7.1-preview.1",
            pat: Fixtures.Credentials.alicePAT,
            body: body
        )
        #expect(response.status == 200, "\(response.text)")
    }

    /// PATCHes a project's pipeline general settings.
    static func setSetting(_ emulator: EmulatorHandle, project: String, _ name: String, _ value: Bool) async throws {
        let response = try await emulator.http.send(
            "PATCH",
            "/contoso/\(project)/_apis/build/generalsettings?api-version=7.1-preview.1",
            pat: Fixtures.Credentials.alicePAT,
            body: try TestHTTP.json([name: value])
        )
        #expect(response.status == 200, "\(response.text)")
    }

    static func drift(
        _ emulator: EmulatorHandle,
        in directory: URL,
        _ extra: [String] = [],
        environment: [String: String] = [:]
    ) async throws -> CLIResult {
        try await CLIRunner.runAsync(
            ["drift", "-m", manifest, "--org", emulator.organizationURL.absoluteString] + extra,
            in: directory,
            environment: admin.merging(environment) { _, new in new }
        )
    }

    @Test func aReAddedDenyRevertsTheAppliedSeedRemedyAndRestoringItIsInSync() async throws {
        let directory = try CLIRunner.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try await withEmulator { emulator in
            let url = emulator.organizationURL.absoluteString
            // Plan, and apply the seed's remedy 3: lift the collection build service's Deny on payments-api.
            let plan = try await CLIRunner.runAsync(
                ["plan", "-m", Self.manifest, "--org", url, "-o", "plan.json"],
                in: directory,
                environment: Self.admin
            )
            #expect(plan.status == 0, "\(plan.stderr)")
            let document =
                try JSONSerialization.jsonObject(
                    with: Data(contentsOf: directory.appendingPathComponent("plan.json"))
                ) as? [String: Any]
            let findings = document?["findings"] as? [[String: Any]] ?? []
            let reviewer = try #require(findings.first { $0["requirement"] as? String == "pr-reviewer" })
            let lift = try #require(
                (reviewer["remedies"] as? [[String: Any]])?.first { $0["kind"] as? String == "lift-deny" }
            )
            let change = try #require((lift["changes"] as? [[String: Any]])?.first)
            let changeId = try #require(change["id"] as? String)
            let target = try #require(change["target"] as? [String: Any])
            let token = try #require(target["token"] as? String)
            let descriptor = try #require(target["descriptor"] as? String)
            let after = try #require(change["after"] as? [String: Any])
            let apply = try await CLIRunner.runAsync(
                ["apply", "plan.json", "--approve", changeId, "--org", url],
                in: directory,
                environment: Self.admin
            )
            #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
            let journals = try FileManager.default.contentsOfDirectory(
                atPath: directory.appendingPathComponent(".adoperm/journal").path
            )
            let runId = try #require(journals.first.map { String($0.dropLast(".jsonl".count)) })

            // Right after the apply: nothing drifted.
            let clean = try await Self.drift(emulator, in: directory)
            #expect(clean.status == 0, "\(clean.stdout)\(clean.stderr)")
            #expect(clean.stdout.contains("✓ In sync"))

            // Someone re-adds the Deny out of band.
            try await Self.setACE(emulator, token: token, descriptor: descriptor, allow: 0, deny: 16404)
            let drifted = try await Self.drift(emulator, in: directory, ["--format", "junit", "-o", "drift.xml"])
            #expect(drifted.status == 2, "\(drifted.stdout)\(drifted.stderr)")
            let out = drifted.stdout
            #expect(out.contains("✗ pr-reviewer  requirement drift  new"))
            #expect(
                out.contains(
                    "pr-reviewer: GenericRead|PullRequestContribute on Payments/payments-api for pipeline "
                        + "Payments/payments-pr-reviewer is no longer satisfied: missing PullRequestContribute"
                )
            )
            #expect(
                out.contains(
                    "ace       Project Collection Build Service (contoso) on Payments/payments-api (Git "
                        + "Repositories, token \(token)): allow 0, deny 16404"
                )
            )
            #expect(out.contains("journal   \(changeId) of run \(runId)"))
            #expect(out.contains("journal change \(changeId) (run \(runId)) reverted"))
            #expect(out.contains("✗ Drift: 2 items (2 new)"))
            #if canImport(FoundationXML)
                let xml = try XMLDocument(data: Data(contentsOf: directory.appendingPathComponent("drift.xml")))
                // 4 requirements, 1 forbid rule, 2 settings; only pr-reviewer fails (both items), 3 are pending.
                #expect(try xml.nodes(forXPath: "//testsuite").count == 1)
                #expect(try xml.nodes(forXPath: "//testcase").count == 7)
                let failures = try xml.nodes(forXPath: "//testcase/failure")
                #expect(failures.count == 1)
                #expect(
                    (failures.first?.parent as? XMLElement)?.attribute(forName: "name")?.stringValue == "pr-reviewer"
                )
                #expect(failures.first?.stringValue?.contains(changeId) == true)
                #expect(try xml.nodes(forXPath: "//testcase/skipped").count == 3)
            #endif

            // Restored to the after-image the journal verified: in sync again, and the items are resolved.
            try await Self.setACE(
                emulator,
                token: token,
                descriptor: descriptor,
                allow: after["allow"] as? Int ?? 0,
                deny: after["deny"] as? Int ?? 0
            )
            let restored = try await Self.drift(emulator, in: directory)
            #expect(restored.status == 0, "\(restored.stdout)\(restored.stderr)")
            #expect(restored.stdout.contains("✓ resolved  requirement  pr-reviewer"))
            #expect(restored.stdout.contains("✓ resolved  journal  journal change \(changeId)"))
            #expect(restored.stdout.contains("✓ In sync: 0 items (0 new), 2 resolved"))
            let state = directory.appendingPathComponent(".adoperm/drift-state.json").path
            let attributes = try FileManager.default.attributesOfItem(atPath: state)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        }
    }

    @Test func flippingEnforceJobAuthScopeReportsTheSettingAndThePipelinesNewIdentity() async throws {
        let directory = try CLIRunner.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try await withEmulator { emulator in
            let first = try await Self.drift(emulator, in: directory)
            #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
            try await Self.setSetting(emulator, project: "Shared", "enforceJobAuthScope", false)
            let result = try await Self.drift(emulator, in: directory, ["--format", "json"])
            #expect(result.status == 2, "\(result.stderr)")
            let report = try #require(
                try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
            )
            #expect(report["format"] as? String == "adoperm-drift/1")
            let items = report["items"] as? [[String: Any]] ?? []
            let setting = try #require(items.first { $0["kind"] as? String == "setting" })
            #expect(setting["id"] as? String == "settings/Shared/limitJobAuthScope")
            #expect(
                setting["summary"] as? String
                    == "settings/Shared/limitJobAuthScope: enforceJobAuthScope of project Shared is false, declared "
                    + "true"
            )
            let identities = items.filter { $0["kind"] as? String == "identity" }
            let pipelines = identities.compactMap { $0["pipeline"] as? [String: Any] }
            #expect(pipelines.compactMap { $0["name"] as? String }.sorted() == ["Payments-CI", "shared-docs-bot"])
            for pipeline in pipelines {
                let before = pipeline["before"] as? [String: Any]
                let now = pipeline["now"] as? [String: Any]
                #expect(
                    before?["descriptor"] as? String
                        == Fixtures.Contoso.buildService(scope: Fixtures.Contoso.sharedProjectId)
                )
                #expect(now?["descriptor"] as? String == Fixtures.Contoso.collectionBuildService)
                #expect(now?["displayName"] as? String == "Project Collection Build Service (contoso)")
            }
            #expect(identities.allSatisfy { ($0["remedy"] as? [String: Any])?["kind"] as? String == "setting" })

            // In text, inside Azure Pipelines, asked to end as "succeeded with issues": logging commands, exit 0.
            let pipeline = try await Self.drift(
                emulator,
                in: directory,
                ["--pipeline-result", "succeeded-with-issues"],
                environment: ["TF_BUILD": "True"]
            )
            #expect(pipeline.status == 0, "\(pipeline.stderr)")
            let lines = pipeline.stdout.split(separator: "\n")
            #expect(lines.filter { $0.hasPrefix("##vso[task.logissue type=error;") }.count == 3)
            #expect(
                lines.contains {
                    $0.contains(
                        "code=drift-identity]drift: pipeline Shared/Payments-CI (2560) now runs "
                            + "as Project Collection Build Service (contoso)"
                    )
                }
            )
            #expect(lines.last == "##vso[task.complete result=SucceededWithIssues;]adoperm drift: 3 drift item(s)")
            // Without the option the step fails with exit 2.
            let failing = try await Self.drift(emulator, in: directory, environment: ["TF_BUILD": "True"])
            #expect(failing.status == 2)
        }
    }

    @Test func watchReportsAChangeOnceItsReversalAsResolvedSurvivesAPIErrorsAndStopsOnSIGTERM() async throws {
        let directory = try CLIRunner.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try await withEmulator { emulator in
            let watch = try RunningCLI(
                [
                    "drift", "-m", Self.manifest, "--org", emulator.organizationURL.absoluteString, "--watch",
                    "--every", "1s",
                    "--verbose",
                ],
                in: directory,
                environment: Self.admin
            )
            func runs(_ stderr: String) -> Int { stderr.components(separatedBy: "adoperm drift: run ").count - 1 }
            func completed(_ stderr: String) -> Int { stderr.components(separatedBy: " item(s), ").count - 1 }

            #expect(
                try await watch.waitUntil { out, err in out.contains("✓ In sync") && completed(err) >= 1 },
                "first run: \(watch.stdout)\(watch.stderr)"
            )
            // Out of band: Shared stops limiting job tokens to the project.
            try await Self.setSetting(emulator, project: "Shared", "enforceJobAuthScope", false)
            let marker = "✗ settings/Shared/limitJobAuthScope  setting drift  new"
            #expect(try await watch.waitUntil { out, _ in out.contains(marker) }, "\(watch.stdout)\(watch.stderr)")
            let seen = completed(watch.stderr)
            #expect(try await watch.waitUntil { _, err in completed(err) >= seen + 2 }, "\(watch.stderr)")
            #expect(watch.stdout.components(separatedBy: marker).count - 1 == 1, "reported once: \(watch.stdout)")
            #expect(!watch.stdout.contains("ongoing"))

            // Back as declared: resolved.
            try await Self.setSetting(emulator, project: "Shared", "enforceJobAuthScope", true)
            let resolved = "✓ resolved  setting  settings/Shared/limitJobAuthScope"
            #expect(try await watch.waitUntil { out, _ in out.contains(resolved) }, "\(watch.stdout)\(watch.stderr)")

            // The API fails for a while: each run logs one line and the watch goes on.
            let faults = try await emulator.http.send(
                "PUT",
                "/contoso/_emulator/faults",
                body: Data(
                    """
                    rules:
                      - name: outage
                        route: "/{org}/_apis/projects"
                        fault: "500"
                    """.utf8
                ),
                contentType: "application/yaml"
            )
            #expect(faults.status == 200, "\(faults.text)")
            #expect(
                try await watch.waitUntil { _, err in
                    err.contains("failed: ") && err.contains("trying again at the next run")
                },
                "\(watch.stderr)"
            )
            let failed = runs(watch.stderr)
            #expect(watch.isRunning)
            #expect(try await emulator.http.send("DELETE", "/contoso/_emulator/faults").status == 204)
            let afterOutage = completed(watch.stderr)
            #expect(
                try await watch.waitUntil { _, err in completed(err) > afterOutage && runs(err) > failed },
                "\(watch.stderr)"
            )
            #expect(watch.stdout.components(separatedBy: resolved).count - 1 == 1)

            watch.send(SIGTERM)
            #expect(try await watch.exitStatus() == 0, "\(watch.stderr)")
            #expect(watch.stderr.contains("received SIGTERM, stopping"))
        }
    }

    @Test func optionsAreValidated() async throws {
        let here = CLIRunner.repositoryRoot
        let noSchedule = try await CLIRunner.runAsync(["drift", "--watch"], in: here)
        #expect(noSchedule.status != 0 && noSchedule.stderr.contains("--watch needs exactly one of --every"))
        let badCron = try await CLIRunner.runAsync(["drift", "--watch", "--cron", "61 * * * *"], in: here)
        #expect(badCron.stderr.contains("invalid cron expression '61 * * * *': minute field '61'"))
        let badEvery = try await CLIRunner.runAsync(["drift", "--watch", "--every", "soon"], in: here)
        #expect(badEvery.stderr.contains("invalid interval 'soon'"))
        let stray = try await CLIRunner.runAsync(["drift", "--every", "1h"], in: here)
        #expect(stray.stderr.contains("--every and --cron go with --watch"))
        let missing = try await CLIRunner.runAsync(
            ["drift", "-m", "/nonexistent/adoperm.yaml", "--snapshot", "x.json"],
            in: here
        )
        #expect(missing.status == 1 && missing.stderr == "error: cannot read /nonexistent/adoperm.yaml: no such file\n")
    }

    @Test func offlineAgainstASnapshotAndABrokenStateFile() async throws {
        let directory = try CLIRunner.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let snapshot = Fixtures.contosoSnapshotURL.path
        let markdown = try await CLIRunner.runAsync(
            ["drift", "-m", Self.manifest, "--snapshot", snapshot, "--format", "markdown"],
            in: directory
        )
        #expect(markdown.status == 0, "\(markdown.stderr)")
        #expect(markdown.stdout.hasPrefix("# ✅ adoperm drift: in sync — https://dev.azure.com/contoso"))
        #expect(markdown.stdout.contains("| `xopero-restore` | requirement | ⏳ pending |"))
        let again = try await CLIRunner.runAsync(
            ["drift", "-m", Self.manifest, "--snapshot", snapshot, "--since-last"],
            in: directory
        )
        #expect(again.status == 0 && again.stdout.hasPrefix("No drift change since the run of "))
        try Data("{ not json".utf8).write(to: directory.appendingPathComponent(".adoperm/drift-state.json"))
        let broken = try await CLIRunner.runAsync(
            ["drift", "-m", Self.manifest, "--snapshot", snapshot],
            in: directory
        )
        #expect(broken.status == 1)
        #expect(
            broken.stderr.hasPrefix("error: cannot read .adoperm/drift-state.json: the drift state is not readable")
        )
    }
}

/// Journals written by `JournalWriter` (as `adoperm apply` writes them), for objects outside the manifest's scope.
extension DriftCommandTests {
    @Test func aJournalChangeOutsideTheManifestsScopeIsComparedWithItsLiveValue() async throws {
        let directory = try CLIRunner.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // The manifest reaches Payments only; the journal wrote an ACE in OpenSource.
        let manifest = directory.appendingPathComponent("adoperm.yaml")
        try Data(
            """
            version: 1
            requirements:
              - id: pr-reviewer
                subject: { pipeline: { project: Payments, name: payments-pr-reviewer } }
                allow:
                  - git: { project: Payments, repository: payments-api }
                    permissions: [GenericRead]
            """.utf8
        ).write(to: manifest)
        let token = "repoV2/\(Fixtures.Contoso.openSourceProjectId)"
        let carol = Fixtures.Contoso.user("carol@contoso.com")
        try await withEmulator { emulator in
            let url = emulator.organizationURL.absoluteString
            let path = directory.appendingPathComponent(".adoperm/journal/20261124T000000Z-0001.jsonl").path
            let writer = try JournalWriter(path: path, runId: "20261124T000000Z-0001", planId: "p")
            let target = JSONValue.object([
                "kind": .string("ace"), "namespaceId": .string(Fixtures.Contoso.gitNamespace),
                "namespace": .string("Git Repositories"), "token": .string(token), "descriptor": .string(carol),
            ])
            let before = JSONValue.object(["allow": .int(0), "deny": .int(0), "present": .bool(false)])
            let after = JSONValue.object(["allow": .int(2), "deny": .int(0), "present": .bool(true)])
            let at = "2026-11-24T00:00:00Z"
            try writer.append(
                JournalRecord(
                    seq: 0,
                    runId: "",
                    planId: "",
                    type: .begin,
                    target: .object(["organization": .string(url)]),
                    at: at
                )
            )
            for type in [JournalRecord.Kind.intent, .applied, .verified] {
                try writer.append(
                    JournalRecord(
                        seq: 0,
                        runId: "",
                        planId: "",
                        type: type,
                        change: "c-0000000a11ce",
                        target: target,
                        before: before,
                        after: after,
                        at: at,
                        message: type == .intent ? "allow GenericRead for carol" : nil
                    )
                )
            }
            try writer.append(JournalRecord(seq: 0, runId: "", planId: "", type: .end, at: at))

            // An apply being written (or one that crashed mid-line) leaves a torn last line: dropped, not an error.
            let handle = try #require(FileHandle(forWritingAtPath: path))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(#"{"seq":7,"type":"beg"#.utf8))
            try handle.close()

            // The change is in effect in the organization.
            try await DriftCommandTests.setACE(emulator, token: token, descriptor: carol, allow: 2, deny: 0)
            let arguments = ["drift", "-m", manifest.path, "--org", url, "--format", "json"]
            let inEffect = try await CLIRunner.runAsync(arguments, in: directory, environment: DriftCommandTests.admin)
            #expect(inEffect.status == 0, "\(inEffect.stdout)\(inEffect.stderr)")

            // Removed out of band: reverted, filed under an entry of its own.
            try await DriftCommandTests.setACE(emulator, token: token, descriptor: carol, allow: 0, deny: 0)
            let reverted = try await CLIRunner.runAsync(arguments, in: directory, environment: DriftCommandTests.admin)
            #expect(reverted.status == 2, "\(reverted.stderr)")
            let report = try JSONSerialization.jsonObject(with: Data(reverted.stdout.utf8)) as? [String: Any]
            let items = report?["items"] as? [[String: Any]] ?? []
            #expect(items.count == 1)
            #expect(items.first?["kind"] as? String == "journal")
            #expect((items.first?["check"] as? [String: Any])?["kind"] as? String == "journal")
            #expect((items.first?["journal"] as? [[String: Any]])?.first?["state"] as? String == "reverted")
            let checks = report?["checks"] as? [[String: Any]] ?? []
            #expect(checks.compactMap { $0["id"] as? String } == ["pr-reviewer", "c-0000000a11ce"])

            // An edited journal is refused, naming the line: drift would compare against wrong after-images.
            var lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
            lines[2] = lines[2].replacingOccurrences(of: "\"allow\":2", with: "\"allow\":6")
            try Data((lines.dropLast().joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: path))
            let edited = try await CLIRunner.runAsync(arguments, in: directory, environment: DriftCommandTests.admin)
            #expect(edited.status == 1)
            #expect(
                edited.stderr.contains("20261124T000000Z-0001.jsonl:4: journal hash chain is broken"),
                "\(edited.stderr)"
            )
        }
    }
}
