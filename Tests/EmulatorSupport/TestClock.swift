import ADOEmulator
import Synchronization

/// A clock for tests: waits return at once and move the clock forward instead, and every wait is recorded, so a
/// test proves a delay was asked for without spending it (and a five-minute TSTU window passes in no time).
public final class TestClock: EmulatorClock {
    private let state: Mutex<(now: Double, sleeps: [Double])>

    /// `start` is epoch seconds (default 2027-01-15T08:00:00Z).
    public init(start: Double = 1_800_000_000) { state = Mutex((start, [])) }

    public func now() -> Double { state.withLock { $0.now } }

    public func sleep(seconds: Double) async throws {
        state.withLock { state in
            state.now += max(0, seconds)
            state.sleeps.append(seconds)
        }
    }

    /// Every wait asked for, in order.
    public var sleeps: [Double] { state.withLock { $0.sleeps } }

    /// Forgets the recorded waits (time stays where it is).
    public func clearSleeps() { state.withLock { $0.sleeps = [] } }

    /// Moves time forward without a recorded wait.
    public func advance(by seconds: Double) { state.withLock { $0.now += seconds } }
}
