import Foundation

/// The words the text and markdown renderers share: how a subject, a cause and a change read.
enum PlanText {
    static func subject(_ subject: SubjectInfo) -> String {
        switch subject.kind {
        case "pipeline":
            let scope = subject.jobScope.map { "\($0)-scoped" } ?? "job identity"
            let why = subject.jobScopeReason.flatMap(JobIdentity.Reason.init(rawValue:)).map { ": \($0.text)" } ?? ""
            return "\(subject.label) → \(subject.displayName) (\(scope)\(why))"
        case "service-connection":
            return "\(subject.label) → \(subject.displayName)"
        default:
            return subject.label == subject.displayName ? subject.label : "\(subject.label) (\(subject.displayName))"
        }
    }

    static func cause(_ cause: Cause, requestedToken: String?, withBits: Bool) -> String {
        let who = cause.displayName ?? cause.descriptor ?? "?"
        let bits = withBits ? " [\(cause.permissions.joined(separator: "|"))]" : ""
        let here = cause.token.map { Tokens.canonical($0, separator: nil) == requestedToken.map { Tokens.canonical($0, separator: nil) } } ?? false
        switch cause.kind {
        case "explicit-deny":
            return "explicit Deny for \(who) on this token\(bits)"
        case "inherited-deny":
            return "Deny for \(who) inherited from \(cause.token ?? "?")\(bits)"
        case "group-deny":
            let path = (cause.via ?? []).joined(separator: " → ")
            let place = here ? "on this token" : "inherited from \(cause.token ?? "?")"
            return "Deny for group \(who) \(place), via \(path)\(bits)"
        case "not-set":
            if let blocked = cause.inheritanceBlockedAt {
                return "not set: inheritance is off at \(blocked), so no ancestor's Allow reaches it\(bits)"
            }
            return "not set: no level allows it for the subject or its groups (implicit deny)\(bits)"
        case "group-allow":
            let path = (cause.via ?? []).joined(separator: " → ")
            return "Allow for group \(who) on \(cause.token ?? "?"), via \(path)\(bits)"
        case "inherited-allow":
            return "Allow for \(who) inherited from \(cause.token ?? "?")\(bits)"
        default:
            return "Allow for \(who) on this token\(bits)"
        }
    }

    /// `+ allow …` / `- deny …` / `~ setting …` / `! …` lines of a change.
    static func lines(_ change: Change) -> [String] {
        switch change.kind {
        case .ace:
            // Summaries of ACE changes are `verb bits, verb bits for WHO on WHERE` (see Planner.change(for:)).
            guard let range = change.summary.range(of: " for ") else { return ["~ " + change.summary] }
            let verbs = String(change.summary[..<range.lowerBound]).components(separatedBy: ", ")
            let rest = change.summary[range.lowerBound...]
            return verbs.map { verb in
                if verb.hasPrefix("clear deny ") { return "- deny " + verb.dropFirst("clear deny ".count) + rest }
                if verb.hasPrefix("remove allow ") { return "- allow " + verb.dropFirst("remove allow ".count) + rest }
                return "+ " + verb + rest
            }
        case .pipelineSetting, .definition, .frontMatter:
            return ["~ " + change.summary]
        case .manual:
            let steps = change.after["steps"].flatMap { value -> [String]? in
                if case .array(let items) = value { return items.compactMap(\.stringValue) }
                return nil
            } ?? [change.summary]
            return steps.map { "! " + $0 }
        }
    }

    static func radius(_ radius: BlastRadius?) -> String? {
        guard let radius else { return nil }
        let identities = "\(radius.identities) \(radius.identities == 1 ? "identity" : "identities")"
        let pipelines = "\(radius.pipelines) pipeline\(radius.pipelines == 1 ? "" : "s")"
        return "\(radius.scope) · \(identities) · \(pipelines)"
    }

    static func summary(_ summary: PlanSummary) -> String {
        "Plan: \(summary.requirements) check\(summary.requirements == 1 ? "" : "s") — \(summary.satisfied) satisfied, \(summary.gaps) "
            + "gap\(summary.gaps == 1 ? "" : "s"), \(summary.excess) excess, \(summary.unresolvable) unresolvable; "
            + "\(summary.changes) change\(summary.changes == 1 ? "" : "s") in the recommended remedies."
    }

    static func headline(_ finding: Finding) -> String {
        if let setting = finding.setting {
            return "\(setting.scope) \(setting.projectName ?? "") \(setting.name) is \(setting.actual), wanted \(setting.desired)"
        }
        let what = (finding.status == .excess ? finding.excess : finding.status == .gap ? finding.missing : finding.requested) ?? []
        var text = "\(what.joined(separator: "|")) on \(finding.resource ?? finding.token ?? "?")"
        if let subject = finding.subject { text += " for \(subject.label)" }
        return text
    }
}
