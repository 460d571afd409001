import Synchronization

/// Every deliberate wait of the emulator (latency, throttling delays, slow-response faults) goes through here:
/// it sleeps on the configured clock, and `release()` (called at shutdown) ends every pending and later wait at
/// once, so a 40-second slow fault never holds up a graceful shutdown.
final class Pauses: Sendable {
    let clock: any EmulatorClock
    private let state = Mutex(State())

    private struct State {
        var released = false
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextId = 0
    }

    init(clock: any EmulatorClock) { self.clock = clock }

    /// Waits `seconds` on the clock, or less if the emulator shuts down meanwhile.
    func pause(_ seconds: Double) async {
        guard seconds > 0, !state.withLock({ $0.released }) else { return }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await self.clock.sleep(seconds: seconds) }
            group.addTask { await self.waitForRelease() }
            await group.next()
            group.cancelAll()
        }
    }

    /// Ends every pending pause and makes later ones return at once.
    func release() {
        let waiters = state.withLock { state in
            state.released = true
            defer { state.waiters = [:] }
            return state.waiters
        }
        for waiter in waiters.values { waiter.resume() }
    }

    private func waitForRelease() async {
        let id = state.withLock { state in
            state.nextId += 1
            return state.nextId
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                // Registered under the lock; a cancellation or release that came first resumes at once.
                let resumeNow = state.withLock { state -> Bool in
                    if state.released || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
        }
    }
}

/// Counts requests in arrival order (jitter and fault selectors are functions of it).
final class ArrivalCounter: Sendable {
    private let value = Mutex(0)

    /// 1 for the first request, 2 for the second, …
    func next() -> Int {
        value.withLock { count in
            count += 1
            return count
        }
    }
}
