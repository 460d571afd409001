import Foundation

/// Sliding-window TSTU usage per budget key (an identity, or one pipeline job token). Costs are kept in
/// micro-TSTUs as integers so the running totals never drift.
actor RateLimiter {
    let policy: RateLimitPolicy

    private struct Window {
        var entries: [(time: Double, cost: Int)] = []
        var head = 0
        var total = 0

        mutating func expire(before cutoff: Double) {
            while head < entries.count, entries[head].time <= cutoff {
                total -= entries[head].cost
                head += 1
            }
            if head > 1024 && head * 2 > entries.count {
                entries.removeFirst(head)
                head = 0
            }
            if head == entries.count { total = 0 }
        }
    }

    /// The budget as one response reports it.
    struct State: Sendable {
        /// TSTUs used in the window.
        var usage: Double
        /// Epoch second at which usage would be 0 if consumption stopped now (`X-RateLimit-Reset`).
        var reset: Int
        /// Seconds until usage is back at or below the limit (`Retry-After`), at least 1.
        var retryAfter: Int
    }

    private var windows: [String: Window] = [:]

    init(policy: RateLimitPolicy) { self.policy = policy }

    /// Usage of `key` at `now`, without charging.
    func state(of key: String, at now: Double) -> State {
        var window = windows[key] ?? Window()
        window.expire(before: now - policy.window)
        windows[key] = window.head == window.entries.count ? nil : window
        return Self.state(window, now: now, policy: policy)
    }

    /// Charges `cost` TSTUs to `key` at `now` and answers the budget after it.
    func charge(_ cost: Double, to key: String, at now: Double) -> State {
        var window = windows[key] ?? Window()
        window.expire(before: now - policy.window)
        let micro = Int((cost * 1e6).rounded())
        if micro > 0 {
            window.entries.append((now, micro))
            window.total += micro
        }
        windows[key] = window.head == window.entries.count ? nil : window
        return Self.state(window, now: now, policy: policy)
    }

    private static func state(_ window: Window, now: Double, policy: RateLimitPolicy) -> State {
        let usage = Double(window.total) / 1e6
        guard window.head < window.entries.count else {
            return State(usage: 0, reset: Int(now.rounded(.up)), retryAfter: 1)
        }
        let reset = Int((window.entries[window.entries.count - 1].time + policy.window).rounded(.up))
        // Walk the oldest entries out until what is left fits under the limit.
        var remaining = window.total
        var backBelow = now
        let limit = Int((policy.limit * 1e6).rounded())
        var index = window.head
        while remaining > limit, index < window.entries.count {
            remaining -= window.entries[index].cost
            backBelow = window.entries[index].time + policy.window
            index += 1
        }
        return State(usage: usage, reset: reset, retryAfter: max(1, Int((backBelow - now).rounded(.up))))
    }
}

/// Charges every authenticated ADO request to its caller's budget and applies the policy
/// (`RateLimitPolicy`): headers from `notify`, delays above `limit`, 429 TF400733 from `block`.
struct RateLimitMiddleware: RequestMiddleware {
    let limiter: RateLimiter
    let pauses: Pauses
    /// `X-RateLimit-Resource` (display only in ADO; UNCONFIRMED value).
    static let resource = "ATCPU"

    func handle(
        _ request: EmulatorRequest,
        context: RouteContext,
        next: @Sendable (EmulatorRequest, RouteContext) async throws -> EmulatorResponse
    ) async throws -> EmulatorResponse {
        guard context.route.access != .control, let caller = context.caller else {
            return try await next(request, context)
        }
        let policy = limiter.policy
        let clock = pauses.clock
        let before = await limiter.state(of: caller.budgetKey, at: clock.now())
        if before.usage >= policy.block {
            var refused = context.error(.requestBlocked(resource: Self.resource, namespace: "User"))
            refused.setHeader("Retry-After", String(before.retryAfter))
            Self.addBudgetHeaders(&refused, state: before, policy: policy)
            refused.throttle = "blocked"
            refused.tstu = 0
            return refused
        }
        var response = try await next(request, context)
        let cost = RequestCost.tstu(
            method: request.method,
            route: context.route.template.hasPrefix("!") ? nil : context.route.template,
            query: request.query,
            responseBytes: response.body.count
        )
        let after = await limiter.charge(cost, to: caller.budgetKey, at: clock.now())
        response.tstu = cost
        let wait = policy.delay(atUsage: after.usage)
        if wait > 0 {
            await pauses.pause(wait)
            response.delay += wait
            response.throttle = "delayed"
            response.setHeader("X-RateLimit-Delay", String(format: "%.3f", wait))
            response.setHeader("Retry-After", String(after.retryAfter))
        }
        if after.usage >= policy.notify || wait > 0 { Self.addBudgetHeaders(&response, state: after, policy: policy) }
        return response
    }

    static func addBudgetHeaders(_ response: inout EmulatorResponse, state: RateLimiter.State, policy: RateLimitPolicy)
    {
        let remaining = max(0, policy.limit - state.usage)
        response.setHeader("X-RateLimit-Resource", resource)
        response.setHeader("X-RateLimit-Limit", RateLimitPolicy.number(policy.limit))
        response.setHeader("X-RateLimit-Remaining", RateLimitPolicy.number(remaining.rounded(.down)))
        response.setHeader("X-RateLimit-Reset", String(state.reset))
    }
}
