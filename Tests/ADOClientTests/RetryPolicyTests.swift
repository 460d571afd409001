import ADOClient
import Foundation
import PropertyBased
import Testing

@Suite struct RetryPolicyTests {
    let policy = RetryPolicy(maxAttempts: 5, baseDelay: .seconds(1), maxDelay: .seconds(8), maxRetryAfter: .seconds(60))

    @Test(arguments: [429, 502, 503, 504])
    func transientStatusesAreRetriedForReads(_ status: Int) {
        let decision = policy.decide(
            failure: .status(status, retryAfter: nil, hostOffline: false),
            attempt: 1,
            isIdempotent: true,
            jitter: 0
        )
        #expect(decision == .retry(after: .milliseconds(500)))
    }

    @Test(arguments: [400, 401, 403, 404, 409, 500])
    func otherStatusesAreFinal(_ status: Int) {
        let decision = policy.decide(
            failure: .status(status, retryAfter: nil, hostOffline: false),
            attempt: 1,
            isIdempotent: true,
            jitter: 0.5
        )
        #expect(decision == .giveUp)
    }

    @Test func writesAreNeverRetriedBlindly() {
        for failure in [
            RetryPolicy.Failure.status(503, retryAfter: nil, hostOffline: false), .timedOut, .connectionFailed,
        ] {
            #expect(policy.decide(failure: failure, attempt: 1, isIdempotent: false, jitter: 0) == .giveUp)
        }
    }

    @Test func retryAfterIsHonouredAndCapped() {
        let wait = policy.decide(
            failure: .status(429, retryAfter: .seconds(20), hostOffline: false),
            attempt: 1,
            isIdempotent: true,
            jitter: 0.9
        )
        #expect(wait == .retry(after: .seconds(20)))
        let tooLong = policy.decide(
            failure: .status(429, retryAfter: .seconds(61), hostOffline: false),
            attempt: 1,
            isIdempotent: true,
            jitter: 0
        )
        #expect(tooLong == .giveUp)
    }

    @Test func hostOfflineIsFinal() {
        #expect(
            policy.decide(
                failure: .status(503, retryAfter: nil, hostOffline: true),
                attempt: 1,
                isIdempotent: true,
                jitter: 0
            ) == .giveUp
        )
    }

    @Test func backoffDoublesUpToTheCap() {
        let steps = (1...6).map { policy.backoff(attempt: $0, jitter: 1) }
        #expect(steps == [.seconds(1), .seconds(2), .seconds(4), .seconds(8), .seconds(8), .seconds(8)])
        #expect(policy.backoff(attempt: 3, jitter: 0) == .seconds(2))
    }

    @Test func stopsAfterMaxAttempts() {
        #expect(policy.decide(failure: .timedOut, attempt: 4, isIdempotent: true, jitter: 0) != .giveUp)
        #expect(policy.decide(failure: .timedOut, attempt: 5, isIdempotent: true, jitter: 0) == .giveUp)
    }

    @Test func delaysStayWithinBounds() async {
        let statuses = Gen.element(of: [429, 502, 503, 504]).map { $0 ?? 503 }
        let retryAfter = Gen.int(in: 0...90).map { $0 % 3 == 0 ? nil : Duration.seconds($0) }
        await propertyCheck(input: statuses, retryAfter, Gen.int(in: 1...10), Gen.double(in: 0..<1)) {
            status,
            after,
            attempt,
            jitter in
            let decision = policy.decide(
                failure: .status(status, retryAfter: after, hostOffline: false),
                attempt: attempt,
                isIdempotent: true,
                jitter: jitter
            )
            switch decision {
            case .giveUp:
                #expect(attempt >= policy.maxAttempts || (after ?? .zero) > policy.maxRetryAfter)
            case .retry(let delay):
                #expect(attempt < policy.maxAttempts)
                // Never sooner than the server asked, never longer than the larger of the cap and its request.
                if let after { #expect(delay >= after) }
                #expect(delay <= max(policy.maxDelay, after ?? .zero))
                // Jitter never collapses the wait below half the step.
                #expect(delay >= policy.backoff(attempt: attempt, jitter: 0))
            }
        }
    }

    @Test func backoffIsMonotoneInAttempt() async {
        await propertyCheck(input: Gen.int(in: 1...40), Gen.double(in: 0...1)) { attempt, jitter in
            #expect(
                policy.backoff(attempt: attempt, jitter: jitter) <= policy.backoff(attempt: attempt + 1, jitter: jitter)
            )
        }
    }

    @Test func parsesRetryAfterForms() {
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        #expect(RetryAfter.parse("5", now: now) == .seconds(5))
        #expect(RetryAfter.parse("0.25", now: now) == .milliseconds(250))
        #expect(RetryAfter.parse("Tue, 14 Nov 2023 22:13:30 GMT", now: now) == .seconds(10))
        #expect(RetryAfter.parse("soon", now: now) == nil)
        #expect(RetryAfter.parse(nil, now: now) == nil)
        #expect(RetryAfter.parse("-3", now: now) == nil)
    }
}

@Suite struct ThrottlePolicyTests {
    let policy = ThrottlePolicy()
    let now = Date(timeIntervalSince1970: 1_700_000_000)

    @Test func retryAfterOnSuccessPauses() {
        #expect(policy.pause(after: ["Retry-After": "3"], now: now) == .seconds(3))
    }

    @Test func rateLimitDelayPauses() {
        #expect(policy.pause(after: ["X-RateLimit-Delay": "1.5"], now: now) == .milliseconds(1500))
    }

    @Test func lowRemainingSlowsDown() {
        #expect(policy.pause(after: ["X-RateLimit-Limit": "200", "X-RateLimit-Remaining": "150"], now: now) == nil)
        #expect(
            policy.pause(after: ["X-RateLimit-Limit": "200", "X-RateLimit-Remaining": "10"], now: now)
                == policy.lowRemainingPause
        )
        #expect(
            policy.pause(after: ["X-RateLimit-Limit": "200", "X-RateLimit-Remaining": "0"], now: now)
                == policy.exhaustedPause
        )
    }

    @Test func pausesAreCapped() {
        #expect(policy.pause(after: ["Retry-After": "3600"], now: now) == policy.maxPause)
        #expect(policy.pause(after: [:], now: now) == nil)
    }
}
