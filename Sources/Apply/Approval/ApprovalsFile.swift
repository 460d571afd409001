import Yams

/// `approvals.yaml`: who approved which changes of which plan.
///
/// ```yaml
/// planId: e2668370c304bd4005e35375cd13a6ea3e19d2540981356e0dbf887f62d6dc20
/// approvedBy: alice@contoso.com
/// comment: CHG-1234, reviewed with the Payments team   # optional
/// changes: [c-2e43df489aa0, c-05994340987b]
/// ```
public enum ApprovalsFile {
    static let keys = ["planId", "approvedBy", "comment", "changes"]

    /// Parses the file; errors read `file:line:col: error: …`.
    public static func parse(_ text: String, file: String) throws(ApprovalError) -> Approval {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch {
            throw .file("\(file): error: not valid YAML (\(oneLine(error)))")
        }
        guard let node, let mapping = node.mapping else {
            throw .file("\(file):1:1: error: expected a mapping with planId, approvedBy and changes")
        }
        var values: [String: Node] = [:]
        for (key, value) in mapping {
            guard let name = key.string, keys.contains(name) else {
                throw .file(
                    "\(position(file, key)): error: unknown key '\(key.string ?? "?")', expected one of "
                        + keys.joined(separator: ", ")
                )
            }
            values[name] = value
        }
        func scalar(_ name: String, required: Bool) throws(ApprovalError) -> String? {
            guard let value = values[name] else {
                if required { throw .file("\(file):1:1: error: missing '\(name)'") }
                return nil
            }
            guard let text = value.scalar?.string, !text.isEmpty else {
                throw .file("\(position(file, value)): error: '\(name)' must be a non-empty string")
            }
            return text
        }
        let planId = try scalar("planId", required: true) ?? ""
        let approvedBy = try scalar("approvedBy", required: true) ?? ""
        let comment = try scalar("comment", required: false)
        guard let list = values["changes"] else { throw .file("\(file):1:1: error: missing 'changes'") }
        guard let items = list.sequence else {
            throw .file("\(position(file, list)): error: 'changes' must be a list of change ids (c-…)")
        }
        var ids: [String] = []
        for item in items {
            guard let id = item.scalar?.string, id.hasPrefix("c-") else {
                throw .file(
                    "\(position(file, item)): error: expected a change id (c-…), found '\(item.scalar?.string ?? "?")'"
                )
            }
            ids.append(id)
        }
        if ids.isEmpty { throw .file("\(position(file, list)): error: 'changes' is empty") }
        return Approval(changeIds: ids, approvedBy: approvedBy, comment: comment, planId: planId, source: .file(file))
    }

    private static func position(_ file: String, _ node: Node) -> String {
        guard let mark = node.mark else { return file }
        return "\(file):\(mark.line):\(mark.column)"
    }

    private static func oneLine(_ error: any Error) -> String {
        String(describing: error).split(separator: "\n").first.map(String.init) ?? "unreadable"
    }
}
