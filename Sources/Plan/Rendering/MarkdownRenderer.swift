/// `adoperm plan --format markdown`: the same content as the text output, for pull-request comments and wikis.
public enum MarkdownRenderer {
    public static func render(_ plan: PlanDocument) -> String {
        var out: [String] = []
        out.append("# adoperm plan for \(plan.organization)")
        out.append("")
        out.append("Plan `\(plan.planId.map { String($0.prefix(16)) } ?? "-")` · manifest `\(plan.manifestSha256.prefix(16))` · "
                   + "created \(plan.createdAt)")
        out.append("")
        out.append(PlanText.summary(plan.summary))
        if let warnings = plan.warnings, !warnings.isEmpty {
            out.append("")
            for warning in warnings { out.append("> ⚠ \(escape(warning))") }
        }
        let satisfied = plan.findings.filter { $0.status == .satisfied }
        for finding in plan.findings where finding.status != .satisfied { out += render(finding) }
        if !satisfied.isEmpty {
            out.append("")
            out.append("## Satisfied")
            out.append("")
            for finding in satisfied {
                out.append("- ✓ `\(finding.requirement)` — \(escape(PlanText.headline(finding)))")
            }
        }
        return out.joined(separator: "\n") + "\n"
    }

    static func render(_ finding: Finding) -> [String] {
        var out = ["", "## ✗ `\(finding.requirement)` — \(finding.status.rawValue)", "", "| | |", "|---|---|"]
        func row(_ name: String, _ value: String) { out.append("| \(name) | \(escape(value)) |") }
        if let location = finding.location { row("where", location) }
        if let origin = finding.origin { row("from", origin) }
        if let subject = finding.subject { row("subject", PlanText.subject(subject)) }
        if let setting = finding.setting {
            row("setting", "\(setting.name) of \(setting.scope) \(setting.projectName ?? ""): is \(setting.actual), "
                + "wanted \(setting.desired)")
        }
        if let namespace = finding.namespace, let token = finding.token {
            row("resource", "\(finding.resource ?? token) (\(namespace.name))")
            row("token", "`\(token)`")
        }
        if let missing = finding.missing, let bits = finding.missingBits {
            row("missing", "\(missing.joined(separator: " | ")) (\(bits))")
        }
        if let excess = finding.excess, let bits = finding.excessBits {
            row("excess", "\(excess.joined(separator: " | ")) (\(bits))")
        }
        let causes = finding.causes ?? finding.cause.map { [$0] } ?? []
        for cause in causes {
            row("cause", PlanText.cause(cause, requestedToken: finding.token, withBits: causes.count > 1))
        }
        for grant in finding.grants ?? [] { row("granted", PlanText.cause(grant, requestedToken: finding.token, withBits: true)) }
        if let message = finding.message { row("why", message) }
        if !finding.remedies.isEmpty {
            out.append("")
            out.append("### Remedies")
        }
        for remedy in finding.remedies {
            out.append("")
            let star = remedy.recommended ? " — **recommended**" : ""
            out.append("\(remedy.rank). **\(remedy.kind.rawValue)** — \(remedy.status.rawValue)\(star)  ")
            out.append("   \(escape(remedy.reason))")
            if let radius = PlanText.radius(remedy.blastRadius) { out.append("   Blast radius: \(radius).") }
            if !remedy.changes.isEmpty {
                out.append("")
                out.append("   ```diff")
                for change in remedy.changes {
                    for line in PlanText.lines(change) { out.append("   \(line)  [\(change.id)]") }
                }
                out.append("   ```")
            }
        }
        return out
    }

    /// Table cells and prose: `|` would split a cell.
    static func escape(_ text: String) -> String {
        text.split(separator: "|", omittingEmptySubsequences: false).joined(separator: "\\|")
    }
}
