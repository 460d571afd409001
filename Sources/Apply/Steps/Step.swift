import Plan

/// One approved change to perform, with where it comes from in the plan.
public struct Step: Sendable, Hashable {
    public var change: Change
    public var operation: Operation
    /// `pr-reviewer: remedy 1 service-connection` for every finding whose chosen remedy holds the change.
    public var origins: [String]

    public init(change: Change, operation: Operation, origins: [String]) {
        self.change = change
        self.operation = operation
        self.origins = origins
    }

    /// The order steps run in, and the reverse of the order rollback undoes them:
    ///
    /// 1. `ace` — grants and lifted denies first, so that nothing switches over to an identity before it holds
    ///    its bits (remedy 2's companion grants land before the scope toggle);
    /// 2. `definition`, then 3. `pipeline-setting` — the switches that move pipelines to another identity;
    /// 4. `front-matter` — the local file that makes an agent use a service connection, once the connection's
    ///    principal holds its bits.
    ///
    /// Within a kind: by the canonical JSON of the target, then by change id (two changes to the same entry
    /// compose in id order). The order depends only on the approved changes, never on the order they were given.
    public static func ordered(_ steps: [Step]) -> [Step] {
        steps.sorted { lhs, rhs in
            let (l, r) = (rank(lhs.change.kind), rank(rhs.change.kind))
            if l != r { return l < r }
            let (lt, rt) = (targetKey(lhs.change), targetKey(rhs.change))
            if lt != rt { return lt < rt }
            return lhs.change.id < rhs.change.id
        }
    }

    static func rank(_ kind: Change.Kind) -> Int {
        switch kind {
        case .ace: 0
        case .definition: 1
        case .pipelineSetting: 2
        case .frontMatter: 3
        case .manual: 4
        }
    }

    static func targetKey(_ change: Change) -> String {
        String(decoding: CanonicalJSON.encode(change.target), as: UTF8.self)
    }
}

/// A change the apply cannot perform as written.
public enum StepError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreadableChange(String, String)

    public var description: String {
        switch self {
        case .unreadableChange(let id, let reason): "change \(id) cannot be applied: \(reason)"
        }
    }
}
