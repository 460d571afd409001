import Plan

/// Counts the journal points of a run and calls the test hook at the configured one.
struct PauseCounter {
    let point: PausePoint?
    let onPause: @Sendable (PausePoint) -> Void
    private var counts: [PausePoint.Kind: Int] = [:]

    init(point: PausePoint?, onPause: @escaping @Sendable (PausePoint) -> Void) {
        self.point = point
        self.onPause = onPause
    }

    mutating func reached(_ kind: PausePoint.Kind) {
        counts[kind, default: 0] += 1
        if let point, point.kind == kind, point.count == counts[kind] { onPause(point) }
    }
}

extension Applier {
    /// One step, write-ahead: read the live before-image, journal `intent` (durable), write the after-image,
    /// journal `applied`, read back until it matches (bounded), journal `verified` — or `failed` with the reason.
    /// Returns the result and, once the intent is durable, the entry rollback needs (the write may have happened).
    func perform(
        _ step: Step,
        _ resource: Resource,
        journal: JournalWriter,
        approvedBy: String,
        pauses: inout PauseCounter
    ) async -> (StepResult, RollbackEntry?) {
        let change = step.change
        func result(_ status: StepResult.Status, _ message: String) -> StepResult {
            StepResult(change: change.id, summary: change.summary, status: status, message: message)
        }
        /// Appends a record about this change; nil when it is durable, else the failure to report.
        func note(_ type: JournalRecord.Kind, after: Image? = nil, _ message: String) -> String? {
            do {
                try journal.append(
                    record(
                        type,
                        change: change.id,
                        target: resource.journalTarget,
                        after: after?.json,
                        message: message
                    )
                )
                return nil
            } catch {
                return "journal: \(error)"
            }
        }
        let before: Image
        let after: Image
        do {
            before = try await io.read(resource)
            let path: String
            if case .file(let filePath, _) = resource { path = filePath } else { path = "" }
            after = try intended(step, before: before, path: path)
        } catch {
            let message = "cannot read \(resource.label) before writing: \(error)"
            _ = note(.failed, message)
            return (result(.failed, message), nil)
        }
        do {
            try journal.append(
                record(
                    .intent,
                    change: change.id,
                    target: resource.journalTarget,
                    before: before.json,
                    after: after.json,
                    approvedBy: approvedBy,
                    message: change.summary
                )
            )
        } catch {
            return (result(.failed, "journal: \(error); the change was not written"), nil)
        }
        let entry = RollbackEntry(change: change.id, resource: resource, before: before, after: after, state: .inDoubt)
        pauses.reached(.intent)
        if before.sameState(as: after) {
            if let problem = note(.verified, after: before, "already in effect; nothing written") {
                return (result(.failed, problem), entry)
            }
            return (result(.alreadyInEffect, "already in effect; nothing written"), entry)
        }
        do {
            try await io.write(after, to: resource)
        } catch {
            let message = "write failed: \(error)"
            _ = note(.failed, message)
            return (result(.failed, message), entry)
        }
        pauses.reached(.written)
        if let problem = note(.applied, "write accepted") { return (result(.failed, problem), entry) }
        pauses.reached(.applied)
        switch await io.readBack(resource, expecting: after, policy: options.readBack, clock: clock) {
        case .matches(let image):
            if let problem = note(.verified, after: image, "read back as intended") {
                return (result(.failed, problem), entry)
            }
            pauses.reached(.verified)
            return (result(.verified, "verified"), entry)
        case .differs(let image):
            let message = "read back \(image.summary), expected \(after.summary)"
            _ = note(.failed, after: image, message)
            return (result(.failed, message), entry)
        case .unreadable(let error):
            let message = "cannot read back: \(error)"
            _ = note(.failed, message)
            return (result(.failed, message), entry)
        }
    }
}
