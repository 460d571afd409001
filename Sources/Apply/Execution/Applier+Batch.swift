import ADOClient
import Plan

/// Steps that share one ACL: their before-images come from one read and their results from one read-back.
struct StepBatch {
    var items: [(step: Step, resource: Resource)]

    /// Steps grouped by the ACL they write (`namespaceId`, token without case), in the order each ACL first appears
    /// (steps on different objects are independent, so only same-ACL steps move next to each other). Within a
    /// group a descriptor appears once: a second change of the same entry starts a new batch, so its before-image
    /// is read after the first one's write. Every other step is a batch of its own.
    static func make(_ steps: [Step], _ resources: [Resource]) -> [StepBatch] {
        var batches: [StepBatch] = []
        var open: [String: Int] = [:]  // ACL key → index of its newest batch
        for (step, resource) in zip(steps, resources) {
            guard case .ace(let target) = resource else {
                batches.append(StepBatch(items: [(step, resource)]))
                continue
            }
            let key = target.namespaceId.lowercased() + "|" + target.token.lowercased()
            if let index = open[key],
                !batches[index].items.contains(where: { $0.resource.aceTarget?.descriptor == target.descriptor })
            {
                batches[index].items.append((step, resource))
            } else {
                open[key] = batches.count
                batches.append(StepBatch(items: [(step, resource)]))
            }
        }
        return batches
    }
}

extension Resource {
    var aceTarget: AceTarget? {
        if case .ace(let target) = self { return target }
        return nil
    }
}

extension Applier {
    /// A batch of ACE steps on one ACL, write-ahead per step: one read for every before-image; per step `intent`
    /// (durable) → write (one per entry) → `applied`; then one read-back of the ACL (re-read after each delay of the
    /// policy while an entry differs) → `verified` or `failed` per written step. A failed write stops the batch; the
    /// steps written before it are still read back and journaled. Results and rollback entries are in step order.
    func performBatch(
        _ batch: StepBatch,
        journal: JournalWriter,
        approvedBy: String,
        pauses: inout PauseCounter
    ) async -> [(StepResult, RollbackEntry?)] {
        guard case .ace(let first)? = batch.items.first?.resource else { return [] }
        func result(_ step: Step, _ status: StepResult.Status, _ message: String) -> StepResult {
            StepResult(change: step.change.id, summary: step.change.summary, status: status, message: message)
        }
        func note(_ step: Step, _ resource: Resource, _ type: JournalRecord.Kind, after: Image? = nil, _ message: String)
            -> String?
        {
            do {
                try journal.append(
                    record(type, change: step.change.id, target: resource.journalTarget, after: after?.json,
                           message: message)
                )
                return nil
            } catch {
                return "journal: \(error)"
            }
        }
        let api = io.api
        let live: AccessControlList?
        do {
            live = try await ResourceIO.remote { () async throws(ADOError) in
                try await api.accessControlList(namespaceId: first.namespaceId, token: first.token)
            }
        } catch {
            let (step, resource) = batch.items[0]
            let message = "cannot read \(resource.label) before writing: \(error)"
            _ = note(step, resource, .failed, message)
            return [(result(step, .failed, message), nil)]
        }

        var outcomes: [(StepResult, RollbackEntry?)] = []
        var written: [(index: Int, step: Step, resource: Resource, after: Image)] = []
        for (step, resource) in batch.items {
            guard case .ace(let target) = resource else { continue }
            let before = Image.ace(live?.entries[target.descriptor].map { AceState(allow: $0.allow, deny: $0.deny) }
                ?? .absent)
            let after: Image
            do {
                after = try intended(step, before: before, path: "")
            } catch {
                let message = "cannot read \(resource.label) before writing: \(error)"
                _ = note(step, resource, .failed, message)
                outcomes.append((result(step, .failed, message), nil))
                break
            }
            do {
                try journal.append(
                    record(.intent, change: step.change.id, target: resource.journalTarget, before: before.json,
                           after: after.json, approvedBy: approvedBy, message: step.change.summary)
                )
            } catch {
                outcomes.append((result(step, .failed, "journal: \(error); the change was not written"), nil))
                break
            }
            let entry = RollbackEntry(change: step.change.id, resource: resource, before: before, after: after,
                                      state: .inDoubt)
            pauses.reached(.intent)
            if before.sameState(as: after) {
                if let problem = note(step, resource, .verified, after: before, "already in effect; nothing written") {
                    outcomes.append((result(step, .failed, problem), entry))
                    break
                }
                outcomes.append((result(step, .alreadyInEffect, "already in effect; nothing written"), entry))
                continue
            }
            do {
                try await io.write(after, to: resource)
            } catch {
                let message = "write failed: \(error)"
                _ = note(step, resource, .failed, message)
                outcomes.append((result(step, .failed, message), entry))
                break
            }
            pauses.reached(.written)
            if let problem = note(step, resource, .applied, "write accepted") {
                outcomes.append((result(step, .failed, problem), entry))
                break
            }
            pauses.reached(.applied)
            // Placeholder until the read-back decides.
            outcomes.append((result(step, .verified, "verified"), entry))
            written.append((outcomes.count - 1, step, resource, after))
        }
        guard !written.isEmpty else { return outcomes }

        // One read-back for every written entry of the ACL.
        var images: [Int: Image] = [:]
        var unreadable: ResourceError?
        for attempt in 0...options.readBack.delays.count {
            if attempt > 0 {
                do {
                    try await clock.sleep(for: options.readBack.delays[attempt - 1])
                } catch {
                    break
                }
            }
            do {
                let acl = try await ResourceIO.remote { () async throws(ADOError) in
                    try await api.accessControlList(namespaceId: first.namespaceId, token: first.token)
                }
                unreadable = nil
                for item in written {
                    guard case .ace(let target) = item.resource else { continue }
                    images[item.index] = .ace(
                        acl?.entries[target.descriptor].map { AceState(allow: $0.allow, deny: $0.deny) } ?? .absent)
                }
                if written.allSatisfy({ images[$0.index]?.sameState(as: $0.after) == true }) { break }
            } catch {
                unreadable = error
            }
        }
        // Every written step is journaled with what the read-back showed, also after another one failed: each is
        // in the run's rollback list either way.
        for item in written {
            let entry = outcomes[item.index].1
            guard let image = images[item.index], unreadable == nil else {
                let message = "cannot read back: \(unreadable ?? .unexpected("not read"))"
                _ = note(item.step, item.resource, .failed, message)
                outcomes[item.index] = (result(item.step, .failed, message), entry)
                continue
            }
            if image.sameState(as: item.after) {
                if let problem = note(item.step, item.resource, .verified, after: image, "read back as intended") {
                    outcomes[item.index] = (result(item.step, .failed, problem), entry)
                    continue
                }
                pauses.reached(.verified)
            } else {
                let message = "read back \(image.summary), expected \(item.after.summary)"
                _ = note(item.step, item.resource, .failed, after: image, message)
                outcomes[item.index] = (result(item.step, .failed, message), entry)
            }
        }
        return outcomes
    }
}
