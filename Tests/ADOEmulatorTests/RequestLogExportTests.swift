import ADOEmulator
import EmulatorSupport
import Foundation
import Testing

/// The request log for benchmarks: the JSON Lines file written as requests complete, and the summary counters.
@Suite("Request log export")
struct RequestLogExportTests {
    @Test func everyCompletedRequestIsOneJSONLineInTheFile() async throws {
        let file = try ExecutableTests.temporaryFile("requests.jsonl", Data("stale\n".utf8))
        try await withEmulator(options: EmulatorOptions(requestLog: file)) { emulator in
            _ = try await emulator.get("/_apis/projects")
            _ = try await emulator.get("/_apis/projects", pat: nil)
            _ = try await emulator.http.get("/contoso/_emulator/state", pat: nil)
            _ = try await emulator.get("/_apis/git/repositories")
            let lines = String(decoding: try Data(contentsOf: file), as: UTF8.self).split(separator: "\n")
            #expect(lines.count == 3)
            let entries = try lines.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
            #expect(entries.map { $0["seq"] as? Int } == [1, 2, 3])
            #expect(entries.map { $0["status"] as? Int } == [200, 401, 200])
            #expect(
                entries.map { $0["route"] as? String } == [
                    "/{org}/_apis/projects", "/{org}/_apis/projects", "/{org}/_apis/git/repositories",
                ]
            )
            let log = try await emulator.requestLog()
            #expect(entries.map { $0["bytes"] as? Int } == log.map(\.bytes))
            #expect(entries.allSatisfy { $0["durationMs"] is Double && $0["fault"] is NSNull })
        }
    }

    @Test func theSummaryCountsPerRouteCallerStatusFaultAndThrottle() async throws {
        let plan = try FaultPlan.parse(
            "rules:\n  - name: flaky\n    path: /contoso/_apis/projects\n    nth: 2\n    fault: 503\n"
        )
        let options = EmulatorOptions(
            rateLimit: RateLimitPolicy(limit: 100, window: 300),
            faults: plan,
            clock: TestClock()
        )
        try await withEmulator(options: options) { emulator in
            for _ in 1...3 { _ = try await emulator.get("/_apis/projects") }
            _ = try await emulator.get("/_apis/projects", pat: Credentials.bobPAT)
            _ = try await emulator.get("/_apis/nothing-here")
            let response = try await emulator.http.get("/contoso/_emulator/requests?summary=true", pat: nil)
            #expect(response.status == 200)
            let summary = try response.object()
            #expect(summary["requests"] as? Int == 5)
            #expect(summary["writes"] as? Int == 0)
            #expect(summary["statuses"] as? [String: Int] == ["200": 3, "404": 1, "503": 1])
            #expect(summary["faults"] as? [String: Int] == ["flaky": 1])
            #expect(summary["throttled"] as? [String: Int] == ["blocked": 0, "delayed": 0])
            let routes = try #require(summary["routes"] as? [[String: Any]])
            let projects = try #require(routes.first { $0["route"] as? String == "/{org}/_apis/projects" })
            #expect(projects["count"] as? Int == 4 && projects["method"] as? String == "GET")
            #expect(projects["statuses"] as? [String: Int] == ["200": 3, "503": 1])
            #expect(routes.contains { $0["route"] is NSNull && $0["count"] as? Int == 1 })
            let callers = try #require(summary["callers"] as? [[String: Any]])
            let counts = Dictionary(
                uniqueKeysWithValues: callers.map { ($0["caller"] as! String, $0["count"] as! Int) }
            )
            #expect(counts == [Contoso.user("alice@contoso.com"): 4, Contoso.user("bob@contoso.com"): 1])
            let log = try await emulator.requestLog()
            let total = log.compactMap(\.tstu).reduce(0, +)
            #expect(abs((summary["tstu"] as? Double ?? 0) - total) < 1e-6)
            #expect(try await emulator.requestSummary()["requests"] as? Int == 5)
        }
    }
}
