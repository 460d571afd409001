import Foundation

/// The clock seam of retries and throttling: monotonic time, sleeping and jitter. `SystemRetryClock` is the real
/// one; tests pass a virtual clock so back-off never sleeps for real.
public protocol RetryClock: Sendable {
    /// Monotonic time since an arbitrary origin.
    func now() -> Duration
    /// Sleeps; throws when the task is cancelled.
    func sleep(for duration: Duration) async throws
    /// A random number in `0..<1` for back-off jitter.
    func jitter() -> Double
    /// Wall-clock time, for HTTP-date `Retry-After` values.
    func wallClock() -> Date
}

/// `ContinuousClock`, `Task.sleep` and the system random generator.
public struct SystemRetryClock: RetryClock {
    private let origin = ContinuousClock.now

    public init() {}

    public func now() -> Duration { ContinuousClock.now - origin }
    public func sleep(for duration: Duration) async throws { try await Task.sleep(for: duration) }
    public func jitter() -> Double { Double.random(in: 0..<1) }
    public func wallClock() -> Date { Date() }
}
