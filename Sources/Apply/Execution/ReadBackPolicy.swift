import ADOClient

/// How long a read-back may disagree with a write before the write counts as failed. ADO's reads can lag its
/// writes for a moment (reference/ado-rest.md §2.6), so a mismatch is re-read after each delay in turn. How long
/// the lag can last is UNCONFIRMED (the recorded case was one read served by another process); the default budget
/// of under 4 s is a choice. Rollback decides from a read made after that window, so it relies on the lag being
/// over by then.
public struct ReadBackPolicy: Sendable, Equatable {
    public var delays: [Duration]

    /// 0.25 s, 0.5 s, 1 s, 2 s: under 4 s in all before giving up.
    public init(delays: [Duration] = [.milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2)]) {
        self.delays = delays
    }
}

/// The result of reading a resource back after a write.
public enum ReadBackResult: Sendable, Equatable {
    case matches(Image)
    /// Still different after every re-read: the last image read.
    case differs(Image)
    case unreadable(ResourceError)
}

extension ResourceIO {
    /// Reads `resource` until it shows `expected`'s state, sleeping `policy.delays` (on `clock`) in between.
    public func readBack(
        _ resource: Resource,
        expecting expected: Image,
        policy: ReadBackPolicy,
        clock: any RetryClock
    ) async -> ReadBackResult {
        var last: ReadBackResult = .unreadable(.unexpected("not read"))
        for attempt in 0...policy.delays.count {
            if attempt > 0 {
                do {
                    try await clock.sleep(for: policy.delays[attempt - 1])
                } catch {
                    return last
                }
            }
            do {
                let image = try await read(resource)
                if image.sameState(as: expected) { return .matches(image) }
                last = .differs(image)
            } catch {
                last = .unreadable(error)
            }
        }
        return last
    }
}
