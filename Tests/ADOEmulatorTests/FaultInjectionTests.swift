import ADOEmulator
import EmulatorSupport
import Foundation
import Testing

/// Injected faults over HTTP: what the client sees, what the state shows, what the request log proves.
@Suite("Fault injection")
struct FaultInjectionTests {
    static let bob = Contoso.user("bob@contoso.com")
    static let carol = Contoso.user("carol@contoso.com")
    static let backup = Contoso.user("backup@contoso.com")

    /// An ACE write (allow GenericRead for `descriptor` on the org's Git root) as alice.
    static func grant(_ emulator: EmulatorHandle, _ descriptor: String) async throws -> TestResponse {
        try await emulator.send(
            "POST",
            "/_apis/accesscontrolentries/\(Contoso.gitNamespace)",
            json: [
                "token": "repoV2", "merge": true,
                "accessControlEntries": [["descriptor": descriptor, "allow": 2, "deny": 0]],
            ]
        )
    }

    /// Whether the live `repoV2` ACL holds an entry for `descriptor`.
    static func dumpMentions(_ emulator: EmulatorHandle, _ descriptor: String) async throws -> Bool {
        let dump = try JSONSerialization.jsonObject(with: try await emulator.stateDump()) as? [String: Any]
        let acls = (dump?["acls"] as? [String: Any])?[Contoso.gitNamespace] as? [[String: Any]] ?? []
        let root = acls.first { $0["token"] as? String == "repoV2" }
        return (root?["acesDictionary"] as? [String: Any])?[descriptor] != nil
    }

    @Test func theThirdWriteIsAppliedButItsResponseIsLost() async throws {
        try await withEmulator { emulator in
            let armed = try await emulator.http.send(
                "PUT",
                "/contoso/_emulator/faults",
                body: Data(
                    "rules:\n  - name: third-write\n    method: write\n    nth: 3\n    fault: lost-response\n".utf8
                ),
                contentType: "application/yaml"
            )
            #expect(armed.status == 200)
            #expect(try await Self.grant(emulator, Self.bob).status == 200)
            #expect(try await emulator.get("/_apis/projects").status == 200)
            #expect(try await Self.grant(emulator, Self.carol).status == 200)
            await #expect(throws: TestHTTPError.connectionReset(received: 0)) {
                try await Self.grant(emulator, Self.backup)
            }
            #expect(try await Self.dumpMentions(emulator, Self.backup))
            let log = try await emulator.requestLog()
            let last = try #require(log.last)
            #expect(last.fault == "third-write" && last.dropped && last.status == 200 && last.bytes == 0)
            #expect(log.dropLast().allSatisfy { $0.fault == nil && !$0.dropped })
            let report = try await emulator.http.get("/contoso/_emulator/faults", pat: nil).object()
            let rule = try #require((report["rules"] as? [[String: Any]])?.first)
            #expect(rule["matched"] as? Int == 3 && rule["fired"] as? Int == 1)
            #expect(try await Self.grant(emulator, Self.bob).status == 200)
        }
    }

    @Test func aResetBeforeTheResponseAppliesNothing() async throws {
        let plan = try FaultPlan.parse(
            """
            rules:
              - name: ace-reset
                route: /{org}/_apis/accesscontrolentries/{namespaceId}
                method: POST
                nth: 1
                fault: reset
              - name: eof
                path: /contoso/_apis/projects
                nth: 1
                fault: reset
                close: eof
            """
        )
        try await withEmulator(options: EmulatorOptions(faults: plan)) { emulator in
            await #expect(throws: TestHTTPError.connectionReset(received: 0)) {
                try await Self.grant(emulator, Self.backup)
            }
            #expect(try await !Self.dumpMentions(emulator, Self.backup))
            await #expect(throws: TestHTTPError.emptyReply) { try await emulator.get("/_apis/projects") }
            let log = try await emulator.requestLog()
            let faults = log.map(\.fault)
            #expect(faults == ["ace-reset", "eof"])
            #expect(log.allSatisfy { $0.dropped && $0.status == 0 })
            #expect(try await Self.grant(emulator, Self.backup).status == 200)
        }
    }

    @Test(arguments: [429, 500, 502, 503, 504])
    func errorStatusesCarryADOBodies(status: Int) async throws {
        let plan = try FaultPlan.parse(
            "rules:\n  - fault: \(status)\n    nth: 1\n" + (status == 503 ? "    retryAfter: 7\n" : "")
        )
        let clock = TestClock()
        try await withEmulator(options: EmulatorOptions(faults: plan, clock: clock)) { emulator in
            let response = try await emulator.get("/_apis/projects")
            #expect(response.status == status)
            #expect(response.header("Content-Type")?.hasPrefix("application/json") == true)
            #expect(response.header("X-TFS-ServiceError") != nil && response.header("ActivityId") != nil)
            let body = try response.object()
            let message = try #require(body["message"] as? String)
            #expect(message.range(of: #"^TF\d+: "#, options: .regularExpression) != nil)
            #expect(body["typeKey"] is String && body["$id"] as? String == "1")
            switch status {
            case 429:
                #expect(message.hasPrefix("TF400733: The request has been canceled"))
                #expect(response.header("Retry-After") == "1")
                #expect(response.header("X-RateLimit-Remaining") == "0")
                #expect(response.header("X-RateLimit-Reset") == String(Int(clock.now().rounded(.up)) + 1))
            case 503: #expect(response.header("Retry-After") == "7")
            default: #expect(response.header("Retry-After") == nil)
            }
            #expect(try await emulator.get("/_apis/projects").status == 200)
            let statuses = try await emulator.requestLog().map(\.status)
            #expect(statuses == [status, 200])
        }
    }

    @Test func aSlowResponseIsHeldOnTheClock() async throws {
        let clock = TestClock()
        let plan = try FaultPlan.parse("rules:\n  - fault: slow\n    delay: 40s\n    method: GET\n")
        try await withEmulator(options: EmulatorOptions(faults: plan, clock: clock)) { emulator in
            let response = try await emulator.get("/_apis/projects")
            #expect(response.status == 200)
            #expect(clock.sleeps == [40])
            #expect(try await emulator.requestLog().first?.delayMs == 40000)
        }
    }

    @Test func shutdownEndsAPendingSlowResponse() async throws {
        // A real clock and a delay longer than TestHTTP's 30-second receive timeout: only the release at
        // shutdown lets this request complete with its response.
        let plan = try FaultPlan.parse("rules:\n  - fault: slow\n    delay: 10m\n")
        let response = try await withThrowingTaskGroup(of: TestResponse.self) { group in
            try await withEmulator(options: EmulatorOptions(faults: plan)) { emulator in
                group.addTask { try await emulator.get("/_apis/projects") }
                while true {
                    let report = try await emulator.http.get("/contoso/_emulator/faults", pat: nil).object()
                    if (report["rules"] as? [[String: Any]])?.first?["fired"] as? Int == 1 { break }
                    try await Task.sleep(for: .milliseconds(20))
                }
            }
            return try #require(try await group.next())
        }
        #expect(response.status == 200)
    }

    @Test func keepAliveOffClosesEveryConnectionAndControlRoutesAreNeverFaulted() async throws {
        let plan = try FaultPlan.parse("keepAlive: false\nrules:\n  - fault: 500\n    path: /contoso/_apis/**\n")
        try await withEmulator(options: EmulatorOptions(faults: plan)) { emulator in
            let response = try await emulator.get("/_apis/projects")
            #expect(response.status == 500 && response.header("Connection") == "close")
            #expect(try await emulator.http.get("/contoso/_emulator/state", pat: nil).status == 200)
            #expect(try await emulator.http.get("/contoso/_emulator/requests", pat: nil).status == 200)
        }
    }

    @Test func controlRoutesReplaceExtendAndClearTheRules() async throws {
        try await withEmulator { emulator in
            let bad = try await emulator.http.send(
                "PUT",
                "/contoso/_emulator/faults",
                body: Data("rules:\n  - fault: 503\n    nht: 2\n".utf8)
            )
            #expect(bad.status == 400)
            #expect(
                try bad.object()["message"] as? String
                    == "request body:3:5: unknown key 'nht' in rule 1 (expected one of: after, close, count, delay, every, fault, message, method, name, nth, path, probability, retryAfter, route)"
            )
            let put = try await emulator.http.send(
                "PUT",
                "/contoso/_emulator/faults",
                body: Data(#"{"seed": 3, "rules": [{"name": "first", "fault": "503", "nth": 1}]}"#.utf8)
            )
            #expect(put.status == 200)
            _ = try await emulator.http.send(
                "POST",
                "/contoso/_emulator/faults",
                body: Data("rules:\n  - name: second\n    fault: 502\n    nth: 1\n".utf8)
            )
            #expect(try await emulator.get("/_apis/projects").status == 503)
            #expect(try await emulator.get("/_apis/projects").status == 502)
            #expect(try await emulator.get("/_apis/projects").status == 200)
            let report = try await emulator.http.get("/contoso/_emulator/faults", pat: nil).object()
            #expect(report["seed"] as? Int == 3)
            let rules = try #require(report["rules"] as? [[String: Any]])
            #expect(rules.map { $0["name"] as? String } == ["first", "second"])
            #expect(rules.map { $0["fired"] as? Int } == [1, 1])
            #expect(try await emulator.http.send("DELETE", "/contoso/_emulator/faults").status == 204)
            let cleared = try await emulator.http.get("/contoso/_emulator/faults", pat: nil).object()
            #expect((cleared["rules"] as? [Any])?.isEmpty == true)
        }
    }
}
