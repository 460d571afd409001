/// The live fault plan and its counters (rules can be replaced at run time through the control route, which
/// restarts the counting).
actor FaultInjector {
    private(set) var plan: FaultPlan
    private var matched: [Int] = []
    private var fired: [Int] = []
    /// Per rule: request fingerprint → times seen (the `probability` draw's occurrence number).
    private var seen: [[UInt64: Int]] = []

    init(plan: FaultPlan) {
        self.plan = plan
        matched = Array(repeating: 0, count: plan.rules.count)
        fired = matched
        seen = Array(repeating: [:], count: plan.rules.count)
    }

    /// Replaces every rule (counters start again from zero).
    func replace(with plan: FaultPlan) {
        self.plan = plan
        reset()
    }

    var keepAlive: Bool { plan.keepAlive }

    /// Adds rules after the current ones (their counters start at zero; the seed and keep-alive stay).
    func append(_ rules: [FaultRule]) {
        plan.rules += rules
        matched += Array(repeating: 0, count: rules.count)
        fired += Array(repeating: 0, count: rules.count)
        seen += Array(repeating: [:], count: rules.count)
    }

    private func reset() {
        matched = Array(repeating: 0, count: plan.rules.count)
        fired = matched
        seen = Array(repeating: [:], count: plan.rules.count)
    }

    /// The rule that fires on this request, if any (see `FaultPlan`), and whether keep-alive is on.
    func decide(method: String, route: String?, path: String, fingerprint: UInt64) -> (FaultRule?, keepAlive: Bool) {
        (pick(method: method, route: route, path: path, fingerprint: fingerprint), plan.keepAlive)
    }

    private func pick(method: String, route: String?, path: String, fingerprint: UInt64) -> FaultRule? {
        for (index, rule) in plan.rules.enumerated() where rule.matches(method: method, route: route, path: path) {
            matched[index] += 1
            let position = matched[index]
            if let count = rule.count, fired[index] >= count { continue }
            let picked: Bool
            switch rule.selector {
            case .always: picked = true
            case .nth(let n): picked = position == n
            case .every(let n): picked = position % n == 0
            case .after(let n): picked = position > n
            case .probability(let p):
                let occurrence = (seen[index][fingerprint] ?? 0) + 1
                seen[index][fingerprint] = occurrence
                let draw = Mix.hash([plan.seed, UInt64(index), fingerprint, UInt64(occurrence)])
                picked = Mix.unit(draw) < p
            }
            guard picked else { continue }
            fired[index] += 1
            return rule
        }
        return nil
    }

    /// `GET /{org}/_emulator/faults`: the rules with how many requests each matched and fired on.
    func report() -> JSON {
        let rules: [JSON] = plan.rules.enumerated().map { index, rule in
            var object = FaultReport.json(rule)
            object["matched"] = .int(matched[index])
            object["fired"] = .int(fired[index])
            return .object(object)
        }
        return [
            "seed": .int(Int(truncatingIfNeeded: plan.seed)), "keepAlive": .bool(plan.keepAlive),
            "rules": .array(rules),
        ]
    }
}

/// A rule in the fault file's own terms (what the control route answers).
enum FaultReport {
    static func json(_ rule: FaultRule) -> JSONObject {
        var object = JSONObject([("name", .string(rule.name))])
        if let methods = rule.methods { object["method"] = .array(methods.sorted().map { .string($0) }) }
        if let route = rule.route { object["route"] = .string(route) }
        if let path = rule.path { object["path"] = .string(path) }
        switch rule.selector {
        case .always: break
        case .probability(let p): object["probability"] = .double(p)
        case .nth(let n): object["nth"] = .int(n)
        case .every(let n): object["every"] = .int(n)
        case .after(let n): object["after"] = .int(n)
        }
        if let count = rule.count { object["count"] = .int(count) }
        switch rule.action {
        case .status(let status, let retryAfter, let message):
            object["fault"] = .string(String(status))
            if let retryAfter { object["retryAfter"] = .int(retryAfter) }
            if let message { object["message"] = .string(message) }
        case .reset(let close):
            object["fault"] = "reset"
            object["close"] = .string(close.rawValue)
        case .slow(let seconds):
            object["fault"] = "slow"
            object["delay"] = .string(Durations.text(seconds))
        case .lostResponse(let close):
            object["fault"] = "lost-response"
            object["close"] = .string(close.rawValue)
        }
        return object
    }
}

/// Applies the fault plan: picked requests get an error status, a dropped connection (before or after the
/// handler ran), or a held response. The request log names the rule that fired (`fault`).
struct FaultMiddleware: RequestMiddleware {
    let injector: FaultInjector
    let pauses: Pauses

    func handle(
        _ request: EmulatorRequest,
        context: RouteContext,
        next: @Sendable (EmulatorRequest, RouteContext) async throws -> EmulatorResponse
    ) async throws -> EmulatorResponse {
        guard context.route.access != .control else { return try await next(request, context) }
        let fingerprint = Self.fingerprint(request)
        let (rule, keepAlive) = await injector.decide(
            method: request.method,
            route: context.route.template.hasPrefix("!") ? nil : context.route.template,
            path: "/" + request.segments.joined(separator: "/"),
            fingerprint: fingerprint
        )
        var response = try await respond(request, context: context, rule: rule, next: next)
        if !keepAlive { response.setHeader("Connection", "close") }
        return response
    }

    /// What identifies "the same request" for probability draws: method, path, the query's parameters in sorted
    /// order and the body — a JSON body in canonical form, so a client that serializes a dictionary in a different
    /// member order each run still draws the same faults.
    static func fingerprint(_ request: EmulatorRequest) -> UInt64 {
        let query = request.rawQuery.split(separator: "&").sorted().joined(separator: "&")
        var body = request.body
        if !body.isEmpty, let parsed = try? JSONParser.parse(body) { body = JSONWriter.canonical(parsed) }
        return Mix.hash([Mix.fold(request.method), Mix.fold(request.rawPath), Mix.fold(query), Mix.fold(body)])
    }

    private func respond(
        _ request: EmulatorRequest,
        context: RouteContext,
        rule: FaultRule?,
        next: @Sendable (EmulatorRequest, RouteContext) async throws -> EmulatorResponse
    ) async throws -> EmulatorResponse {
        guard let rule else { return try await next(request, context) }
        var response: EmulatorResponse
        switch rule.action {
        case .status(let status, let retryAfter, let message):
            response = context.error(.injected(status: status, message: message))
            if let retryAfter { response.setHeader("Retry-After", String(retryAfter)) }
            if status == 429 {
                response.setHeader("X-RateLimit-Resource", RateLimitMiddleware.resource)
                response.setHeader("X-RateLimit-Remaining", "0")
                let reset = Int(pauses.clock.now().rounded(.up)) + (retryAfter ?? 1)
                response.setHeader("X-RateLimit-Reset", String(reset))
            }
        case .reset(let close):
            response = EmulatorResponse(status: 0)
            response.drop = close == .reset ? .reset : .eof
        case .slow(let seconds):
            response = try await next(request, context)
            await pauses.pause(seconds)
            response.delay += seconds
        case .lostResponse(let close):
            response = try await next(request, context)
            response.drop = close == .reset ? .reset : .eof
        }
        response.fault = rule.name
        return response
    }
}
