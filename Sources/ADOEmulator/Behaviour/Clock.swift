import Foundation

/// Where the emulator gets the time and how it waits: latency, throttling delays, slow-response faults and the
/// TSTU window all go through it, so tests inject a clock that records the waits and moves time instantly
/// instead of sleeping (no real five-minute windows in a test).
public protocol EmulatorClock: Sendable {
    /// Seconds since the Unix epoch.
    func now() -> Double
    /// Waits `seconds` (≥ 0). A test clock returns at once and advances its time instead.
    func sleep(seconds: Double) async throws
}

/// The real clock: wall time and `Task.sleep`.
public struct SystemClock: EmulatorClock {
    public init() {}

    public func now() -> Double { Date().timeIntervalSince1970 }

    public func sleep(seconds: Double) async throws {
        guard seconds > 0 else { return }
        try await Task.sleep(nanoseconds: UInt64((seconds * 1e9).rounded()))
    }
}
