/// What a person approved: exact change ids of one plan. Comes from `--approve`, an approvals file or the prompt.
public struct Approval: Sendable, Equatable {
    public enum Source: Sendable, Equatable {
        case commandLine
        case file(String)
        case prompt
    }

    /// Change ids in the order given, without repeats.
    public var changeIds: [String]
    public var approvedBy: String
    public var comment: String?
    /// The plan the approval names (approvals files must; `--approve` and the prompt are for the plan at hand).
    public var planId: String?
    public var source: Source

    public init(changeIds: [String], approvedBy: String, comment: String? = nil, planId: String? = nil, source: Source)
    {
        var seen = Set<String>()
        self.changeIds = changeIds.filter { seen.insert($0).inserted }
        self.approvedBy = approvedBy
        self.comment = comment
        self.planId = planId
        self.source = source
    }

    /// `--approve c-1,c-2 --approve c-3`: comma- or space-separated ids.
    public static func commandLine(_ values: [String], approvedBy: String) -> Approval {
        let ids = values.flatMap { $0.split(whereSeparator: { $0 == "," || $0 == " " }) }.map(String.init)
        return Approval(changeIds: ids, approvedBy: approvedBy, source: .commandLine)
    }
}

/// Why an approval cannot be used. Every case is detected before anything is written.
public enum ApprovalError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No approval given and no terminal to ask on.
    case missing
    case nothingApproved
    case wrongPlan(file: String, named: String, plan: String)
    case unknownChanges([String])
    /// Approved changes of one finding come from more than one of its remedies.
    case twoRemedies(finding: String, remedies: [String])
    /// Every remedy holding the change is blocked or not applicable.
    case notViable(change: String, remedy: String, status: String)
    /// The approvals file is unreadable (`file:line:col: error: …`).
    case file(String)
    /// An approved change has a shape this version cannot apply.
    case unusable(StepError)

    public var description: String {
        switch self {
        case .missing:
            "no approval: pass --approve c-…,c-… with the change ids to apply, or --approvals approvals.yaml "
                + "(planId, changes, approvedBy), or run on a terminal to be asked per change; nothing is approved "
                + "by default"
        case .nothingApproved: "no change was approved; nothing to apply"
        case .wrongPlan(let file, let named, let plan):
            "\(file): error: the approvals are for plan \(named.prefix(12))…, not for this plan (\(plan.prefix(12))…)"
        case .unknownChanges(let ids):
            "approved change\(ids.count == 1 ? "" : "s") \(ids.joined(separator: ", ")) "
                + "\(ids.count == 1 ? "is" : "are") not in the plan"
        case .twoRemedies(let finding, let remedies):
            "\(finding): approved changes come from \(remedies.count) remedies (\(remedies.joined(separator: "; "))); "
                + "approve the changes of one remedy per finding"
        case .notViable(let change, let remedy, let status):
            "change \(change) belongs to \(remedy), which is \(status); it cannot be applied"
        case .file(let message): message
        case .unusable(let error): error.description
        }
    }
}
