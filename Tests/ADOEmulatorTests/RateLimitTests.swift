import EmulatorSupport
import Foundation
import PropertyBased
import Testing

@testable import ADOEmulator

/// `--rate-limit`: a sliding-window TSTU budget per identity with ADO's headers, delays and TF400733 429s. The
/// clock is a `TestClock`: delays are recorded, and the five-minute window passes by advancing it.
@Suite("Rate limit")
struct RateLimitTests {
    /// Small enough that a few project listings cross every threshold.
    static let policy = RateLimitPolicy(limit: 0.1, window: 300, block: 0.2, notify: 0.05, maxDelay: 30)

    @Test func headersThenDelaysThenTF400733AndTheWindowDrains() async throws {
        let clock = TestClock()
        try await withEmulator(options: EmulatorOptions(rateLimit: Self.policy, clock: clock)) { emulator in
            var usage = 0.0
            var delays: [Double] = []
            var blocked: TestResponse?
            for _ in 1...40 {
                let response = try await emulator.get("/_apis/projects")
                if response.status == 429 {
                    blocked = response
                    break
                }
                #expect(response.status == 200)
                let cost = try #require(try await emulator.requestLog().last?.tstu)
                usage += cost
                let delay = Self.policy.delay(atUsage: usage)
                let headed = usage >= Self.policy.notify
                #expect((response.header("X-RateLimit-Limit") != nil) == headed)
                if headed {
                    let chargedAt = clock.now() - delay
                    #expect(response.header("X-RateLimit-Resource") == "ATCPU")
                    #expect(response.header("X-RateLimit-Limit") == "0.1")
                    #expect(response.header("X-RateLimit-Remaining") == "0")
                    #expect(response.header("X-RateLimit-Reset") == String(Int((chargedAt + 300).rounded(.up))))
                }
                if delay > 0 {
                    delays.append(delay)
                    #expect(response.header("X-RateLimit-Delay") == String(format: "%.3f", delay))
                    #expect(Int(response.header("Retry-After") ?? "") ?? 0 >= 1)
                } else {
                    #expect(response.header("X-RateLimit-Delay") == nil)
                }
            }
            let refused = try #require(blocked)
            #expect(usage >= Self.policy.block)
            #expect(clock.sleeps == delays)
            #expect(!delays.isEmpty)
            let body = try refused.object()
            #expect(
                (body["message"] as? String)?.hasPrefix(
                    "TF400733: The request has been canceled: Request was blocked due to exceeding usage of resource 'ATCPU'"
                ) == true
            )
            #expect(body["typeKey"] as? String == "RequestBlockedException")
            let retryAfter = try #require(Int(refused.header("Retry-After") ?? ""))
            #expect(retryAfter >= 1 && retryAfter <= 300)
            let log = try await emulator.requestLog()
            #expect(log.last?.throttle == "blocked" && log.last?.tstu == 0)
            #expect(log.filter { $0.throttle == "delayed" }.count == delays.count)

            // After Retry-After the usage is back under the limit: served again, delayed at most for its own cost.
            clock.advance(by: Double(retryAfter))
            let again = try await emulator.get("/_apis/projects")
            #expect(again.status == 200)
            let cost = try #require(try await emulator.requestLog().last?.tstu)
            let allowed = Self.policy.delay(atUsage: Self.policy.limit + cost)
            #expect(Double(again.header("X-RateLimit-Delay") ?? "0") ?? 99 <= allowed)
            // After a whole window with nothing spent, the budget is fresh: no headers at all.
            clock.advance(by: 301)
            #expect(try await emulator.get("/_apis/projects").header("X-RateLimit-Limit") == nil)
        }
    }

    @Test func eachIdentityAndEachJobTokenHasItsOwnBudget() async throws {
        let clock = TestClock()
        let tight = RateLimitPolicy(limit: 0.01, window: 300, block: 0.01, notify: 0)
        try await withEmulator(options: EmulatorOptions(rateLimit: tight, clock: clock)) { emulator in
            #expect(try await emulator.get("/_apis/projects").status == 200)
            #expect(try await emulator.get("/_apis/projects").status == 429)
            #expect(try await emulator.get("/_apis/projects", pat: Credentials.bobPAT).status == 200)
            let first = try await emulator.mintPipelineToken(definitionId: 12)
            let second = try await emulator.mintPipelineToken(definitionId: 12)
            #expect(first.identity == second.identity)
            #expect(try await emulator.get("/_apis/projects", bearer: first.token).status == 200)
            #expect(try await emulator.get("/_apis/projects", bearer: first.token).status == 429)
            #expect(try await emulator.get("/_apis/projects", bearer: second.token).status == 200)
            // Anonymous requests and control routes spend nothing.
            #expect(try await emulator.get("/_apis/projects", pat: nil).header("X-RateLimit-Limit") == nil)
            #expect(try await emulator.http.get("/contoso/_emulator/state", pat: nil).status == 200)
            let log = try await emulator.requestLog()
            #expect(log.last?.tstu == nil)
        }
    }

    @Test func costsFollowTheDocumentedModel() {
        let acl = "/{org}/_apis/accesscontrollists/{namespaceId}"
        #expect(RequestCost.tstu(method: "GET", route: acl, query: Query(""), responseBytes: 0) == 0.05)
        #expect(
            RequestCost.tstu(
                method: "GET",
                route: acl,
                query: Query("includeExtendedInfo=true&recurse=true"),
                responseBytes: 10240
            ) == 0.17
        )
        #expect(
            RequestCost.tstu(method: "GET", route: "/{org}/_apis/projects", query: Query(""), responseBytes: 0) == 0.02
        )
        #expect(
            RequestCost.tstu(
                method: "POST",
                route: "/{org}/_apis/accesscontrolentries/{namespaceId}",
                query: Query(""),
                responseBytes: 0
            ) == 0.25
        )
        #expect(
            RequestCost.tstu(
                method: "POST",
                route: "/{org}/_apis/security/permissionevaluationbatch",
                query: Query(""),
                responseBytes: 0
            ) == 0.05
        )
        #expect(
            RequestCost.tstu(
                method: "GET",
                route: "/{org}/_apis/identities",
                query: Query("queryMembership=Expanded"),
                responseBytes: 0
            ) == 0.05
        )
        #expect(RequestCost.tstu(method: "GET", route: nil, query: Query(""), responseBytes: 0) == 0.01)
    }

    @Test func budgetsParseFromTheCommandLineSyntax() throws {
        #expect(
            try RateLimitPolicy.parse("200/5m") == RateLimitPolicy(limit: 200, window: 300, block: 300, notify: 100)
        )
        #expect(try RateLimitPolicy.parse("ado") == .ado)
        #expect(
            try RateLimitPolicy.parse("10/30s, block=12, notify=2, maxdelay=5s")
                == RateLimitPolicy(limit: 10, window: 30, block: 12, notify: 2, maxDelay: 5)
        )
        let bad: [(String, String)] = [
            ("200", "expected LIMIT/WINDOW, e.g. 200/5m"),
            ("x/5m", "expected LIMIT/WINDOW, e.g. 200/5m"),
            ("200/5x", "'5x' is not a window duration (e.g. 5m, 300s)"),
            ("200/5m,block=100", "block must be a number of TSTUs ≥ the limit"),
            ("200/5m,burst=1", "unknown option 'burst' (expected block, notify or maxdelay)"),
        ]
        for (text, problem) in bad {
            #expect(throws: RateLimitSyntaxError(text: text, problem: problem)) { try RateLimitPolicy.parse(text) }
        }
    }

    @Test func delaysGrowWithUsageUpToTheCeiling() async {
        await propertyCheck(input: Gen.int(in: 0...1000), Gen.int(in: 0...1000)) { a, b in
            let policy = RateLimitPolicy.ado
            let low = Double(min(a, b)) / 2
            let high = Double(max(a, b)) / 2
            #expect(policy.delay(atUsage: low) <= policy.delay(atUsage: high))
            #expect(policy.delay(atUsage: high) <= 30)
            #expect((policy.delay(atUsage: high) > 0) == (high > 200))
        }
    }
}
