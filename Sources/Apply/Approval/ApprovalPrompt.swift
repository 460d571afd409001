import Foundation
import Plan

/// The interactive approval on a terminal: each change of each recommended remedy, asked one by one. Pure; the
/// CLI prints `text`, reads the answer and passes it to `answer(_:)`.
public enum ApprovalPrompt {
    public struct Question: Sendable, Equatable {
        public var change: Change
        /// Lines shown before the question (finding, remedy, change).
        public var text: [String]
        /// Manual changes are shown, not asked: adoperm never performs them.
        public var isManual: Bool
    }

    /// The questions for `plan`, in plan order, each change once.
    public static func questions(_ plan: PlanDocument) -> [Question] {
        var seen = Set<String>()
        var questions: [Question] = []
        for (index, finding) in plan.findings.enumerated() {
            guard let remedy = finding.remedies.first(where: \.recommended) else { continue }
            for change in remedy.changes where seen.insert(change.id).inserted {
                questions.append(
                    Question(
                        change: change,
                        text: [
                            "\(Selection.findingLabel(finding, index: index)): \(Selection.remedyName(remedy)) "
                                + "(\(remedy.status.rawValue))",
                            "  \(change.id) \(change.kind.rawValue): \(change.summary)",
                        ],
                        isManual: change.kind == .manual
                    )
                )
            }
        }
        return questions
    }

    /// `y`/`yes` → true, `n`/`no`/empty → false (the default is not to approve), anything else → nil (ask again).
    public static func answer(_ line: String) -> Bool? {
        switch line.trimmingCharacters(in: .whitespaces).lowercased() {
        case "y", "yes": true
        case "n", "no", "": false
        default: nil
        }
    }
}
