import Foundation

/// A TSTU budget per identity in a sliding window (`serve --rate-limit 200/5m`; reference/ado-rest.md §1.8).
///
/// Syntax: `LIMIT/WINDOW[,block=TSTU][,notify=TSTU][,maxdelay=DURATION]`, or `ado` (= `200/5m`, ADO's global
/// limit). While an identity's usage in the last WINDOW is
/// - at or above `notify` (default half the limit): responses carry `X-RateLimit-Resource/-Limit/-Remaining/-Reset`;
/// - above `limit`: the response is also delayed, `maxdelay × (usage − limit) / (block − limit)` (at most
///   `maxdelay`, default 30 s, ADO's documented ceiling), and carries `X-RateLimit-Delay` and `Retry-After`;
/// - at or above `block` (default 1.5 × limit) before a request: the request is refused with 429, `Retry-After`
///   and the TF400733 body, and is not charged.
/// How ADO chooses the delay and the block point is not documented; these rules are the emulator's (UNCONFIRMED).
public struct RateLimitPolicy: Sendable, Equatable, CustomStringConvertible {
    /// TSTUs allowed before delays (`X-RateLimit-Limit`).
    public var limit: Double
    /// Sliding window, seconds.
    public var window: Double
    /// Usage at which requests are refused with 429.
    public var block: Double
    /// Usage from which the `X-RateLimit-*` headers are sent.
    public var notify: Double
    /// Longest delay of one request, seconds.
    public var maxDelay: Double

    public init(limit: Double, window: Double, block: Double? = nil, notify: Double? = nil, maxDelay: Double = 30) {
        self.limit = limit
        self.window = window
        self.block = max(block ?? limit * 1.5, limit)
        self.notify = min(notify ?? limit / 2, limit)
        self.maxDelay = maxDelay
    }

    /// ADO's global limit: 200 TSTUs per identity in any sliding five-minute window.
    public static let ado = RateLimitPolicy(limit: 200, window: 300)

    /// Parses the `--rate-limit` syntax (see the type's documentation).
    public static func parse(_ text: String) throws(RateLimitSyntaxError) -> RateLimitPolicy {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.lowercased() == "ado" || trimmed.lowercased() == "default" { return .ado }
        var parts = trimmed.split(separator: ",", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        let budget = parts.removeFirst().split(separator: "/", omittingEmptySubsequences: false)
        guard budget.count == 2, let limit = Double(budget[0]), limit > 0, limit.isFinite else {
            throw RateLimitSyntaxError(text: text, problem: "expected LIMIT/WINDOW, e.g. 200/5m")
        }
        guard let window = Durations.seconds(String(budget[1])), window > 0 else {
            throw RateLimitSyntaxError(text: text, problem: "'\(budget[1])' is not a window duration (e.g. 5m, 300s)")
        }
        var block: Double?
        var notify: Double?
        var maxDelay = 30.0
        for part in parts {
            let pair = part.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2 else {
                throw RateLimitSyntaxError(text: text, problem: "'\(part)' is not key=value")
            }
            switch pair[0].lowercased() {
            case "block":
                guard let value = Double(pair[1]), value >= limit else {
                    throw RateLimitSyntaxError(text: text, problem: "block must be a number of TSTUs ≥ the limit")
                }
                block = value
            case "notify":
                guard let value = Double(pair[1]), value >= 0, value <= limit else {
                    throw RateLimitSyntaxError(text: text, problem: "notify must be a number of TSTUs ≤ the limit")
                }
                notify = value
            case "maxdelay":
                guard let value = Durations.seconds(pair[1]) else {
                    throw RateLimitSyntaxError(text: text, problem: "maxdelay must be a duration (e.g. 30s)")
                }
                maxDelay = value
            default:
                throw RateLimitSyntaxError(
                    text: text,
                    problem: "unknown option '\(pair[0])' (expected block, notify or maxdelay)"
                )
            }
        }
        return RateLimitPolicy(limit: limit, window: window, block: block, notify: notify, maxDelay: maxDelay)
    }

    /// Seconds a response is delayed at `usage` (0 at or below the limit).
    public func delay(atUsage usage: Double) -> Double {
        guard usage > limit else { return 0 }
        let fraction = block > limit ? min(1, (usage - limit) / (block - limit)) : 1
        return max(0.001, (maxDelay * fraction * 1000).rounded() / 1000)
    }

    public var description: String {
        "\(Self.number(limit))/\(Durations.text(window)),block=\(Self.number(block)),notify=\(Self.number(notify)),"
            + "maxdelay=\(Durations.text(maxDelay))"
    }

    static func number(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}

/// A `--rate-limit` value that does not parse.
public struct RateLimitSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    public var text: String
    public var problem: String
    public var description: String { "invalid rate limit '\(text)': \(problem)" }
}

/// What a request costs, in TSTUs (the emulator's model; ADO does not publish one): a base by kind of route plus
/// 0.002 TSTU per KiB of response body.
///
/// | request | base |
/// |---|---|
/// | ACL query (`GET …/accesscontrollists/{ns}`) | 0.05, + 0.05 with `includeExtendedInfo`, + 0.05 with `recurse` |
/// | permission checks (`permissions`, `permissionevaluationbatch`), identity reads with `queryMembership` other than `none` | 0.05 |
/// | other reads (GET/HEAD/OPTIONS, `subjectlookup`) | 0.02 |
/// | writes (POST/PUT/PATCH/DELETE) | 0.25 |
/// | no route matched | 0.01 |
///
/// So 1,000 ACL queries of 10 KiB cost 70 TSTUs, while 10,000 one-ACE lookups with extended info cost 1,000+.
enum RequestCost {
    static func tstu(method: String, route: String?, query: Query, responseBytes: Int) -> Double {
        let size = 0.002 * Double(responseBytes) / 1024
        guard let route = route?.lowercased() else { return ((0.01 + size) * 1e6).rounded() / 1e6 }
        let flag = { (name: String) in query.bool(name) ?? false }
        let base: Double
        if route.contains("/_apis/accesscontrollists/") && method == "GET" {
            base = 0.05 + (flag("includeExtendedInfo") ? 0.05 : 0) + (flag("recurse") ? 0.05 : 0)
        } else if route.contains("/_apis/permissions/") && method == "GET"
            || route.hasSuffix("/permissionevaluationbatch")
        {
            base = 0.05
        } else if route.hasSuffix("/_apis/identities"),
            let membership = query["queryMembership"]?.lowercased(), membership != "none"
        {
            base = 0.05
        } else if ["GET", "HEAD", "OPTIONS"].contains(method) || route.hasSuffix("/subjectlookup") {
            base = 0.02
        } else {
            base = 0.25
        }
        return ((base + size) * 1e6).rounded() / 1e6
    }
}
