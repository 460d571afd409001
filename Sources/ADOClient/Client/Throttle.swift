import Foundation
import Synchronization

/// How hard to brake after a successful response, from ADO's rate-limit headers (reference/ado-rest.md §1.8).
/// Pure: headers in, pause out.
public struct ThrottlePolicy: Sendable, Equatable {
    /// Below this share of `X-RateLimit-Limit` left, requests are spaced by `lowRemainingPause`.
    public var lowRemainingFraction: Double
    public var lowRemainingPause: Duration
    /// Pause when nothing is left (`X-RateLimit-Remaining: 0`) and no `Retry-After` says otherwise.
    public var exhaustedPause: Duration
    /// Longest pause taken on the strength of headers alone.
    public var maxPause: Duration

    public init(
        lowRemainingFraction: Double = 0.1,
        lowRemainingPause: Duration = .milliseconds(500),
        exhaustedPause: Duration = .seconds(5),
        maxPause: Duration = .seconds(60)
    ) {
        self.lowRemainingFraction = lowRemainingFraction
        self.lowRemainingPause = lowRemainingPause
        self.exhaustedPause = exhaustedPause
        self.maxPause = maxPause
    }

    /// How long the next request should wait after a response with these headers; nil = no need.
    /// `Retry-After` counts even on 200 (ADO sends it before it starts delaying); `X-RateLimit-Delay` means ADO
    /// already held this request back, so the client waits as long before the next.
    public func pause(after headers: HTTPHeaders, now: Date) -> Duration? {
        var pauses: [Duration] = []
        if let retryAfter = RetryAfter.parse(headers["Retry-After"], now: now) { pauses.append(retryAfter) }
        if let delay = RetryAfter.parse(headers["X-RateLimit-Delay"], now: now), delay > .zero { pauses.append(delay) }
        if let remaining = headers["X-RateLimit-Remaining"].flatMap({ Double($0.trimmingCharacters(in: .whitespaces)) })
        {
            let limit = headers["X-RateLimit-Limit"].flatMap { Double($0.trimmingCharacters(in: .whitespaces)) }
            if remaining <= 0 {
                pauses.append(exhaustedPause)
            } else if let limit, limit > 0, remaining / limit < lowRemainingFraction {
                pauses.append(lowRemainingPause)
            }
        }
        guard let longest = pauses.max() else { return nil }
        return min(longest, maxPause)
    }
}

/// Shared "not before" instant: after a throttling hint every request of the client waits until it has passed.
final class Throttle: Sendable {
    private let notBefore = Mutex<Duration>(.zero)

    /// How long to wait now (zero when free to go).
    func wait(now: Duration) -> Duration {
        notBefore.withLock { max(.zero, $0 - now) }
    }

    func hold(until instant: Duration) {
        notBefore.withLock { $0 = max($0, instant) }
    }
}
