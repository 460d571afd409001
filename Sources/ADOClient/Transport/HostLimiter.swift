import Synchronization

/// Bounds the requests in flight per origin. Waiters are served in arrival order; a cancelled waiter leaves the
/// queue at once.
final class HostLimiter: Sendable {
    private struct Slot {
        var inUse = 0
        var waiters: [(id: UInt64, continuation: CheckedContinuation<Bool, Never>)] = []
    }

    private struct State {
        var slots: [Origin: Slot] = [:]
        var nextId: UInt64 = 0
    }

    private let limit: Int
    private let state = Mutex(State())

    init(limit: Int) { self.limit = max(1, limit) }

    /// Waits for a free slot for `origin`. Returns false when the task was cancelled while waiting.
    func acquire(_ origin: Origin) async -> Bool {
        let id: UInt64? = state.withLock { state in
            if state.slots[origin, default: Slot()].inUse < limit {
                state.slots[origin, default: Slot()].inUse += 1
                return nil
            }
            state.nextId += 1
            return state.nextId
        }
        guard let id else { return true }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let resumeNow: Bool? = state.withLock { state in
                    if Task.isCancelled { return false }
                    if state.slots[origin, default: Slot()].inUse < limit {
                        state.slots[origin, default: Slot()].inUse += 1
                        return true
                    }
                    state.slots[origin, default: Slot()].waiters.append((id, continuation))
                    return nil
                }
                if let resumeNow { continuation.resume(returning: resumeNow) }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Bool, Never>? in
                guard var slot = state.slots[origin], let index = slot.waiters.firstIndex(where: { $0.id == id })
                else { return nil }
                let waiter = slot.waiters.remove(at: index).continuation
                state.slots[origin] = slot
                return waiter
            }
            waiter?.resume(returning: false)
        }
    }

    /// Frees the slot taken by a successful `acquire`, handing it straight to the next waiter.
    func release(_ origin: Origin) {
        let next = state.withLock { state -> CheckedContinuation<Bool, Never>? in
            guard var slot = state.slots[origin] else { return nil }
            if slot.waiters.isEmpty {
                slot.inUse -= 1
                state.slots[origin] = slot.inUse == 0 ? nil : slot
                return nil
            }
            let next = slot.waiters.removeFirst().continuation
            state.slots[origin] = slot
            return next
        }
        next?.resume(returning: true)
    }
}
