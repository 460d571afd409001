import Plan

/// One change of a journal to undo: where it wrote, what was there before, what it meant to write.
public struct RollbackEntry: Sendable, Equatable {
    public var change: String
    public var resource: Resource
    public var before: Image
    public var after: Image
    /// Where the change stood in the journal (in-doubt, verified, failed, …).
    public var state: ChangeOutcome.State

    public init(change: String, resource: Resource, before: Image, after: Image, state: ChangeOutcome.State) {
        self.change = change
        self.resource = resource
        self.before = before
        self.after = after
        self.state = state
    }
}

/// What to do with one change, given the live state.
public enum RollbackDecision: Sendable, Equatable {
    /// Live shows the change's after-image: write the before-image back.
    case restore
    /// Live already shows the before-image: the write never happened or was undone; nothing to write.
    case nothingToDo
    /// Live shows neither: someone else changed the object since; restoring would overwrite their change.
    case conflict
}

/// Why a journal cannot be rolled back.
public enum RollbackError: Error, Sendable, Equatable, CustomStringConvertible {
    case journal(JournalError)
    case unknownChanges([String], path: String)
    case unreadableIntent(change: String, path: String, line: Int)

    public var description: String {
        switch self {
        case .journal(let error): error.description
        case .unknownChanges(let ids, let path):
            "\(path): no intent for \(ids.joined(separator: ", ")) in this journal (see `adoperm journal show`)"
        case .unreadableIntent(let change, let path, let line):
            "\(path):\(line): the intent of \(change) has no usable target or before/after image; it cannot be undone "
                + "automatically"
        }
    }
}

/// Pure rollback planning: which changes of a journal to undo, in which order, and what to do given live state.
public enum RollbackPlan {
    /// The changes to undo, most recent first (reverse of the order they were applied). Changes already rolled
    /// back are left out, which is what makes a second rollback write nothing. `only` restricts to those ids.
    public static func entries(_ journal: Journal, only: [String]? = nil) throws(RollbackError) -> [RollbackEntry] {
        var intents: [(record: JournalRecord, line: Int)] = []
        for (index, record) in journal.records.enumerated() where record.type == .intent && record.change != nil {
            intents.append((record, index + 1))
        }
        if let only {
            let known = Set(intents.compactMap(\.record.change))
            let unknown = only.filter { !known.contains($0) }
            if !unknown.isEmpty { throw .unknownChanges(unknown, path: journal.path) }
        }
        let states = Dictionary(journal.outcomes.map { ($0.change, $0.state) }, uniquingKeysWith: { _, last in last })
        var entries: [RollbackEntry] = []
        for (record, line) in intents.reversed() {
            guard let change = record.change else { continue }
            if let only, !only.contains(change) { continue }
            let state = states[change] ?? .inDoubt
            if state == .rolledBack { continue }
            guard let target = record.target, let resource = Resource.decode(journalTarget: target),
                let before = Image.decode(record.before, kind: resource.kind),
                let after = Image.decode(record.after, kind: resource.kind)
            else { throw .unreadableIntent(change: change, path: journal.path, line: line) }
            entries.append(
                RollbackEntry(change: change, resource: resource, before: before, after: after, state: state)
            )
        }
        return entries
    }

    /// Live equals the before-image → nothing to do (checked first, so a no-op change is never "restored");
    /// live equals the after-image → restore; else a conflict.
    public static func decide(_ entry: RollbackEntry, live: Image) -> RollbackDecision {
        if live.sameState(as: entry.before) { return .nothingToDo }
        if live.sameState(as: entry.after) { return .restore }
        return .conflict
    }
}
