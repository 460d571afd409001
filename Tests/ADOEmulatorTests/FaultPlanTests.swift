import Foundation
import Testing

@testable import ADOEmulator

/// The fault-file format: what parses, what is refused (with line and column), path globs, rule selection.
@Suite("Fault plan")
struct FaultPlanTests {
    @Test func theDocumentedExampleParses() throws {
        let plan = try FaultPlan.parse(
            """
            seed: 42
            keepAlive: false
            rules:
              - name: third-write-lost
                method: write
                nth: 3
                fault: lost-response
              - name: throttle-acl-reads
                method: GET
                route: /{org}/_apis/accesscontrollists/{namespaceId}
                probability: 0.3
                fault: 429
                retryAfter: 1
              - path: /contoso/_apis/git/**
                every: 4
                count: 2
                fault: 503
              - method: [GET, HEAD]
                after: 10
                fault: slow
                delay: 40s
              - fault: reset
                close: eof
                nth: 1
            """
        )
        #expect(plan.seed == 42 && !plan.keepAlive)
        #expect(plan.rules.count == 5)
        #expect(
            plan.rules[0]
                == FaultRule(
                    name: "third-write-lost",
                    methods: ["POST", "PUT", "PATCH", "DELETE"],
                    selector: .nth(3),
                    action: .lostResponse(.reset)
                )
        )
        #expect(plan.rules[1].route == "/{org}/_apis/accesscontrollists/{namespaceId}")
        #expect(plan.rules[1].selector == .probability(0.3))
        #expect(plan.rules[1].action == .status(429, retryAfter: 1, message: nil))
        #expect(plan.rules[2].name == "rule-3" && plan.rules[2].count == 2 && plan.rules[2].selector == .every(4))
        #expect(plan.rules[2].action == .status(503, retryAfter: nil, message: nil))
        #expect(plan.rules[3].methods == ["GET", "HEAD"] && plan.rules[3].action == .slow(40))
        #expect(plan.rules[4].action == .reset(.eof))
        #expect(try FaultPlan.parse("") == FaultPlan())
        #expect(
            try FaultPlan.parse("rules:\n  - fault: 429\n").rules[0].action == .status(429, retryAfter: 1, message: nil)
        )
    }

    @Test(arguments: [
        (
            "rules:\n  - fault: 418\n",
            "f.yaml:2:12: unknown fault '418' (expected 429, 500, 502, 503, 504, reset, slow or lost-response)"
        ),
        (
            "rules:\n  - fault: 503\n    nht: 3\n",
            "f.yaml:3:5: unknown key 'nht' in rule 1 (expected one of: after, close, count, delay, every, fault, message, method, name, nth, path, probability, retryAfter, route)"
        ),
        (
            "rules:\n  - fault: 503\n    nth: 3\n    every: 2\n",
            "f.yaml:4:5: rule 1 has both nth and every; give one selector"
        ),
        ("rules:\n  - fault: slow\n", "f.yaml:2:5: fault 'slow' needs a delay (e.g. 40s)"),
        (
            "rules:\n  - fault: slow\n    delay: soon\n",
            "f.yaml:3:12: delay must be a duration such as 500ms, 40s or 2m"
        ),
        ("rules:\n  - fault: reset\n    retryAfter: 2\n", "f.yaml:3:5: retryAfter does not apply to fault 'reset'"),
        ("rules:\n  - fault: 503\n    probability: 2\n", "f.yaml:3:18: probability must be a number from 0 to 1"),
        (
            "rules:\n  - fault: 503\n    route: /a\n    path: /b\n",
            "f.yaml:4:5: rule 1 has both route and path; give one"
        ),
        ("rules:\n  - nth: 1\n", "f.yaml:2:5: rule 1 needs a fault"),
        ("seeds: 1\n", "f.yaml:1:1: unknown key 'seeds' in the fault file (expected one of: keepAlive, rules, seed)"),
        ("rules: [\n", "f.yaml:2:1: invalid YAML: did not find expected node content"),
    ])
    func badFilesNameTheLineAndColumn(text: String, message: String) {
        #expect(throws: FaultPlanError.self) { try FaultPlan.parse(text, file: "f.yaml") }
        let error = Result { () throws(FaultPlanError) in try FaultPlan.parse(text, file: "f.yaml") }
        if case .failure(let failure) = error { #expect(failure.description == message) }
    }

    @Test func globsMatchWithinAndAcrossSegments() {
        #expect(Glob.matches("/contoso/_apis/git/repositories/*", "/contoso/_apis/git/repositories/abc"))
        #expect(!Glob.matches("/contoso/_apis/git/repositories/*", "/contoso/_apis/git/repositories/abc/items"))
        #expect(Glob.matches("/contoso/_apis/git/**", "/contoso/_apis/git/repositories/abc/items"))
        #expect(Glob.matches("/contoso/**/items", "/contoso/p/_apis/git/repositories/abc/items"))
        #expect(Glob.matches("/contoso/_apis/project?", "/contoso/_apis/projects"))
        #expect(!Glob.matches("/contoso/_apis/project?", "/contoso/_apis/project/"))
        #expect(Glob.matches("**", "/anything/at/all"))
        #expect(!Glob.matches("/contoso/*", "/fabrikam/x"))
    }

    @Test func theFirstPickingRuleWinsAndLaterRulesDoNotCountIt() async {
        let plan = FaultPlan(rules: [
            FaultRule(name: "a", path: "/contoso/_apis/projects", selector: .nth(1), action: .reset(.reset)),
            FaultRule(name: "b", path: "/contoso/_apis/projects", selector: .nth(1), action: .reset(.reset)),
            FaultRule(name: "c", methods: ["GET"], selector: .every(2), count: 2, action: .reset(.reset)),
            FaultRule(name: "d", methods: ["POST"], selector: .after(1), action: .reset(.reset)),
        ])
        let injector = FaultInjector(plan: plan)
        var fired: [String?] = []
        for _ in 1...8 {
            fired.append(
                await injector.decide(method: "GET", route: nil, path: "/contoso/_apis/projects", fingerprint: 1).0?
                    .name
            )
        }
        // a takes #1; b sees #2 as its first; c counts #3… as 1, 2, 3…: fires on its 2nd and 4th, then its count is spent.
        #expect(fired == ["a", "b", nil, "c", nil, "c", nil, nil])
        var posts: [String?] = []
        for _ in 1...3 {
            posts.append(await injector.decide(method: "POST", route: nil, path: "/x", fingerprint: 2).0?.name)
        }
        #expect(posts == [nil, "d", "d"])
    }

    @Test func probabilityIsAFunctionOfSeedRequestAndOccurrence() async {
        func run(seed: UInt64, p: Double) async -> [Bool] {
            let injector = FaultInjector(
                plan: FaultPlan(
                    seed: seed,
                    rules: [
                        FaultRule(
                            name: "p",
                            selector: .probability(p),
                            action: .status(503, retryAfter: nil, message: nil)
                        )
                    ]
                )
            )
            var result: [Bool] = []
            for index in 0..<60 {
                let fingerprint = UInt64(index % 6)
                result.append(
                    await injector.decide(method: "GET", route: nil, path: "/", fingerprint: fingerprint).0 != nil
                )
            }
            return result
        }
        let first = await run(seed: 7, p: 0.3)
        #expect(first == (await run(seed: 7, p: 0.3)))
        #expect(first != (await run(seed: 8, p: 0.3)))
        #expect(first.contains(true) && first.contains(false))
        #expect(!(await run(seed: 7, p: 0)).contains(true))
        #expect(!(await run(seed: 7, p: 1)).contains(false))
        // The same request seen again gets a fresh draw: the six fingerprints do not fault identically each round.
        let rounds = stride(from: 0, to: 60, by: 6).map { Array(first[$0..<$0 + 6]) }
        #expect(Set(rounds).count > 1)
    }

    @Test func theSameRequestHasOneFingerprintWhateverItsMemberAndParameterOrder() {
        func request(_ target: String, _ body: String) -> EmulatorRequest {
            EmulatorRequest(method: "POST", target: target, headers: [], body: Array(body.utf8))
        }
        let one = request("/o/_apis/x?a=1&b=2", #"{"token": "t", "merge": true}"#)
        let two = request("/o/_apis/x?b=2&a=1", #"{"merge":true,"token":"t"}"#)
        #expect(FaultMiddleware.fingerprint(one) == FaultMiddleware.fingerprint(two))
        #expect(
            FaultMiddleware.fingerprint(one)
                != FaultMiddleware.fingerprint(request("/o/_apis/x?a=1&b=2", #"{"token": "u"}"#))
        )
        #expect(
            FaultMiddleware.fingerprint(one)
                != FaultMiddleware.fingerprint(request("/o/_apis/y?a=1&b=2", #"{"token": "t", "merge": true}"#))
        )
    }
}
