import ADOEmulator
import EmulatorSupport
import Foundation
import Testing

/// `adoperm apply`, `rollback` and `journal` as a user runs them (the built binary), against an in-process
/// emulator over HTTP: the issue's acceptance list.
@Suite(.serialized) struct ApplyCommandTests {
    /// The reviewer's Stage 3 call: a PR thread on payments-api, with `bearer`.
    static func prThread(_ emulator: EmulatorHandle, bearer: String) async throws -> TestResponse {
        try await emulator.http.send(
            "POST",
            "/contoso/Payments/_apis/git/repositories/payments-api/pullRequests/4711/threads?api-version=7.1",
            bearer: bearer,
            body: try TestHTTP.json([
                "comments": [["parentCommentId": 0, "content": "[Agent Review] ok", "commentType": 1]],
                "status": 1,
            ])
        )
    }

    /// The call with a freshly minted token of the payments-pr-reviewer pipeline (definition 12).
    static func pipelineCall(_ emulator: EmulatorHandle) async throws -> TestResponse {
        try await prThread(emulator, bearer: try await emulator.mintPipelineToken(definitionId: 12).token)
    }

    static func writes(_ emulator: EmulatorHandle) async throws -> [LoggedRequest] {
        try await emulator.requestLog().filter(\.isWrite)
    }

    /// Plan, apply `ids`, check `call` flips from 403 TF401027 to 200, roll back, check it fails again and the
    /// state dump is byte-identical; a second rollback writes nothing.
    func endToEnd(
        rank: Int,
        call: @escaping @Sendable (EmulatorHandle) async throws -> TestResponse,
        checkFile: Bool = false
    ) async throws {
        try await withEmulator { emulator in
            let workspace = try ApplyWorkspace(emulator)
            let planned = try await workspace.plan()
            #expect(planned.status == 0, "\(planned.stderr)")
            let ids = try workspace.changeIds(rank: rank)
            #expect(!ids.isEmpty)
            let refused = try await call(emulator)
            #expect(refused.status == 403)
            #expect(refused.text.contains("TF401027"))
            let originalAgent = try Data(contentsOf: workspace.agentFile)
            let before = try await emulator.stateDump()

            let applied = try await workspace.apply(ids)
            #expect(applied.status == 0, "\(applied.stdout)\(applied.stderr)")
            #expect(applied.stdout.contains("applied \(ids.count) change(s)"))
            #expect(try await call(emulator).status == 200)
            if checkFile {
                #expect(
                    try String(contentsOf: workspace.agentFile, encoding: .utf8).contains("  write: ado-aw-write\n")
                )
                #expect(applied.stdout.contains("steps for you (adoperm does not perform them):"))
                #expect(applied.stdout.contains("recompile the lock"))
            }
            let journal = try workspace.journal()
            let mode = try FileManager.default.attributesOfItem(atPath: journal)[.posixPermissions] as? Int
            #expect(mode == 0o600)
            #expect(!(try String(contentsOfFile: journal, encoding: .utf8)).contains(Fixtures.Credentials.alicePAT))

            let rolledBack = try await workspace.rollback(journal)
            #expect(rolledBack.status == 0, "\(rolledBack.stdout)\(rolledBack.stderr)")
            let again = try await call(emulator)
            #expect(again.status == 403)
            #expect(again.text.contains("TF401027"))
            #expect(try await emulator.stateDump() == before, "the state dump is byte-identical after rollback")
            #expect(try Data(contentsOf: workspace.agentFile) == originalAgent)

            try await emulator.clearRequestLog()
            let second = try await workspace.rollback(journal)
            #expect(second.status == 0)
            #expect(second.stdout.contains("nothing to roll back"))
            #expect(try await Self.writes(emulator).isEmpty)
            #expect(try await emulator.stateDump() == before)
        }
    }

    @Test func seedRemedyOneServiceConnection() async throws {
        // After remedy 1 the pipeline writes through the service connection: the SPN's own token.
        try await endToEnd(
            rank: 1,
            call: { try await Self.prThread($0, bearer: Fixtures.Credentials.adoAwWriteBearer) },
            checkFile: true
        )
    }

    @Test func seedRemedyTwoProjectSetting() async throws {
        try await withEmulator { emulator in
            let identity = try await emulator.mintPipelineToken(definitionId: 12).identity
            #expect(identity == Fixtures.Contoso.collectionBuildService)
        }
        // Each call mints a new token, so after the toggle it is the project-scoped identity.
        try await endToEnd(rank: 2, call: { try await Self.pipelineCall($0) })
    }

    @Test func seedRemedyThreeLiftDeny() async throws {
        try await endToEnd(rank: 3, call: { try await Self.pipelineCall($0) })
    }

    @Test func aStalePlanIsRefusedAndNothingIsWritten() async throws {
        try await withEmulator { emulator in
            let workspace = try ApplyWorkspace(emulator)
            #expect(try await workspace.plan().status == 0)
            let ids = try workspace.changeIds(rank: 3)
            let target = try workspace.changes(rank: 3).first?["target"] as? [String: Any] ?? [:]
            let token = try #require(target["token"] as? String)
            // Out of band: someone narrows the seed's deny between plan and apply.
            let body = try TestHTTP.json([
                "token": token, "merge": false,
                "accessControlEntries": [
                    ["descriptor": Fixtures.Contoso.collectionBuildService, "allow": 0, "deny": 16388]
                ],
            ])
            let edit = try await emulator.http.send(
                "POST",
                "/contoso/_apis/accesscontrolentries/\(Fixtures.Contoso.gitNamespace)?api-version=7.1",
                pat: Fixtures.Credentials.alicePAT,
                body: body
            )
            #expect(edit.status == 200)
            let before = try await emulator.stateDump()
            try await emulator.clearRequestLog()
            let result = try await workspace.apply(ids)
            #expect(result.status == 4, "\(result.stderr)")
            #expect(result.stderr.contains("the organization changed since the plan was made; nothing was written"))
            #expect(result.stderr.contains("ACL \(token) (Git Repositories)"))
            #expect(
                result.stderr.contains(
                    "descriptor \(Fixtures.Contoso.collectionBuildService): plan saw allow 0 deny 16404, now allow 0 deny 16388"
                )
            )
            #expect(try await Self.writes(emulator).isEmpty, "the request log shows no write")
            #expect(!(try await emulator.requestLog()).isEmpty, "the stale check did read")
            #expect(try await emulator.stateDump() == before)
            #expect(
                !FileManager.default.fileExists(atPath: workspace.journalDirectory.path),
                "no journal for a refused run"
            )
        }
    }

    @Test func aTamperedPlanIsRefused() async throws {
        try await withEmulator { emulator in
            let workspace = try ApplyWorkspace(emulator)
            #expect(try await workspace.plan().status == 0)
            let ids = try workspace.changeIds(rank: 3)
            var text = try String(contentsOfFile: workspace.planPath, encoding: .utf8)
            text = text.replacingOccurrences(of: "\"deny\": 20", with: "\"deny\": 0")
            try text.write(toFile: workspace.planPath, atomically: true, encoding: .utf8)
            try await emulator.clearRequestLog()
            let result = try await workspace.apply(ids)
            #expect(result.status == 4)
            #expect(result.stderr.contains("does not match the plan's content"), "\(result.stderr)")
            #expect(try await emulator.requestLog().isEmpty, "refused before connecting")
        }
    }

    @Test func unapprovedChangesAreNeverWritten() async throws {
        try await withEmulator { emulator in
            let workspace = try ApplyWorkspace(emulator, manifest: ApplyWorkspace.xoperoManifest)
            #expect(try await workspace.plan().status == 0)
            let findings = try workspace.planJSON()["findings"] as? [[String: Any]] ?? []
            let changes = findings.flatMap {
                ($0["remedies"] as? [[String: Any]] ?? []).flatMap { $0["changes"] as? [[String: Any]] ?? [] }
            }
            #expect(changes.count >= 5)
            let approved = try #require(changes.first?["id"] as? String)
            try await emulator.clearRequestLog()
            let result = try await workspace.apply([approved])
            #expect(result.status == 0, "\(result.stderr)")
            let writes = try await Self.writes(emulator)
            #expect(writes.count == 1, "\(writes)")
            let namespace = (changes.first?["target"] as? [String: Any])?["namespaceId"] as? String ?? "?"
            #expect(writes.first?.path.lowercased().hasSuffix(namespace.lowercased()) == true)
            // Every other change's entry is exactly as the plan saw it.
            for change in changes.dropFirst() {
                let target = change["target"] as? [String: Any] ?? [:]
                let namespaceId = target["namespaceId"] as? String ?? ""
                let token =
                    (target["token"] as? String ?? "").addingPercentEncoding(withAllowedCharacters: .alphanumerics)
                    ?? ""
                let response = try await emulator.http.get(
                    "/contoso/_apis/accesscontrollists/\(namespaceId)?token=\(token)&api-version=7.1"
                )
                let acl = try response.values().first ?? [:]
                let entries = acl["acesDictionary"] as? [String: [String: Any]] ?? [:]
                let descriptor = (target["descriptor"] as? String ?? "").lowercased()
                let entry = entries.first { $0.key.lowercased() == descriptor }?.value
                #expect(
                    entry == nil,
                    "change \(change["id"] ?? "?") was not approved but its entry exists: \(entry ?? [:])"
                )
            }
        }
    }

    @Test func approvalIsRequiredAndMustFitThePlan() async throws {
        try await withEmulator { emulator in
            let workspace = try ApplyWorkspace(emulator)
            #expect(try await workspace.plan().status == 0)
            let plan = try workspace.planJSON()
            let planId = plan["planId"] as? String ?? ""
            try await emulator.clearRequestLog()
            let none = try await workspace.run(["apply", workspace.planPath, "--org", workspace.organizationURL])
            #expect(none.status == 4)
            #expect(none.stderr.contains("pass --approve c-…,c-…"), "\(none.stderr)")
            let unknown = try await workspace.apply(["c-000000000000"])
            #expect(unknown.status == 4 && unknown.stderr.contains("c-000000000000 is not in the plan"))
            let two = try await workspace.apply(try workspace.changeIds(rank: 2) + workspace.changeIds(rank: 3))
            #expect(two.status == 4 && two.stderr.contains("approve the changes of one remedy per finding"))
            let other = workspace.directory.appendingPathComponent("other.yaml")
            try Data(
                "planId: \(String(repeating: "0", count: 64))\napprovedBy: bob\nchanges: [\(try workspace.changeIds(rank: 3)[0])]\n"
                    .utf8
            )
            .write(to: other)
            let wrong = try await workspace.run([
                "apply", workspace.planPath, "--approvals", other.path, "--org", workspace.organizationURL,
            ])
            #expect(
                wrong.status == 4 && wrong.stderr.contains("the approvals are for plan 000000000000…"),
                "\(wrong.stderr)"
            )
            #expect(try await emulator.requestLog().isEmpty, "every refusal came before any request")

            let file = workspace.directory.appendingPathComponent("approvals.yaml")
            try Data(
                "planId: \(planId)\napprovedBy: carol@contoso.com\ncomment: CHG-42\nchanges: [\(try workspace.changeIds(rank: 3)[0])]\n"
                    .utf8
            )
            .write(to: file)
            let good = try await workspace.run([
                "apply", workspace.planPath, "--approvals", file.path, "--org", workspace.organizationURL,
            ])
            #expect(good.status == 0, "\(good.stderr)")
            let begin = try workspace.journalLines().first ?? [:]
            #expect(begin["approvedBy"] as? String == "carol@contoso.com")
            #expect((begin["message"] as? String)?.contains("comment: CHG-42") == true)
        }
    }

    @Test func onATerminalEachRecommendedChangeIsAskedFor() async throws {
        try await withEmulator { emulator in
            let workspace = try ApplyWorkspace(emulator)
            #expect(try await workspace.plan().status == 0)
            let remedy = try workspace.changes(rank: 1)
            let ace = try #require(remedy.first { $0["kind"] as? String == "ace" }?["id"] as? String)
            let file = try #require(remedy.first { $0["kind"] as? String == "front-matter" }?["id"] as? String)
            // "maybe" is asked again; then yes to the grant, no to the front matter.
            let result = try await workspace.runOnTerminal(
                [
                    "apply", workspace.planPath, "--org", workspace.organizationURL, "--checkout",
                    workspace.checkout.path,
                ],
                input: "maybe\ny\nn\n"
            )
            #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
            #expect(result.stdout.components(separatedBy: "apply this change? [y/N]").count - 1 == 3)
            #expect(result.stdout.contains("(a step for you: adoperm does not perform it)"))
            #expect(
                result.stdout.contains(
                    "note: remedy 1 service-connection of finding 1 (pr-reviewer, Payments/payments-api): "
                        + "not approved, so not applied: \(file)"
                )
            )
            #expect(result.stdout.contains("  ✓ \(ace) "))
            #expect(!(try String(contentsOf: workspace.agentFile, encoding: .utf8)).contains("write: ado-aw-write"))
            let intent = try workspace.journalLines().first { $0["type"] as? String == "intent" }
            #expect(intent?["approvedBy"] as? String == "alice")
            #expect(
                (try workspace.journalLines().first?["message"] as? String)?.hasPrefix(
                    "approved via interactive prompt"
                ) == true
            )
        }
    }

    @Test func aPlanForAnotherOrganizationIsRefused() async throws {
        let fabrikam = try Fixtures.contosoSnapshot { json in
            var organization = json["organization"] as? [String: Any] ?? [:]
            organization["name"] = "fabrikam"
            organization["url"] = "https://dev.azure.com/fabrikam"
            json["organization"] = organization
        }
        try await withEmulator(snapshotData: fabrikam) { emulator in
            // The manifest names https://dev.azure.com/contoso, so the plan is contoso's.
            let workspace = try ApplyWorkspace(emulator)
            let planned = try await workspace.plan()
            #expect(planned.status == 0, "\(planned.stderr)")
            try await emulator.clearRequestLog()
            let result = try await workspace.apply(try workspace.changeIds(rank: 3))
            #expect(result.status == 4)
            #expect(result.stderr.contains("the plan is for organization 'contoso'"), "\(result.stderr)")
            #expect(try await Self.writes(emulator).isEmpty)
        }
    }
}
