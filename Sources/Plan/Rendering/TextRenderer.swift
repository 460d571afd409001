import Foundation

/// `adoperm plan`'s default output, in the manner of `terraform plan`: per finding the requirement, subject,
/// resource, missing bits, the cause (ancestor token, group path), then remedies 1–3 with status, reason, blast
/// radius and the exact changes (`+ allow …`, `- deny …`, `~ setting …`). No ANSI codes: the CLI colours.
public enum TextRenderer {
    public static func render(_ plan: PlanDocument) -> String {
        var out: [String] = []
        out.append("adoperm plan for \(plan.organization)")
        out.append("plan \(plan.planId.map { String($0.prefix(16)) } ?? "-") · manifest \(plan.manifestSha256.prefix(16)) · "
                   + "created \(plan.createdAt)")
        for warning in plan.warnings ?? [] { out.append(warning) }
        out.append("")
        for finding in plan.findings { out += render(finding) }
        out.append(PlanText.summary(plan.summary))
        let recommended = plan.findings.flatMap { $0.remedies.filter(\.recommended).flatMap(\.changes) }
            .filter { $0.kind != .manual }.map(\.id)
        var seen: Set<String> = []
        let ids = recommended.filter { seen.insert($0).inserted }
        if !ids.isEmpty {
            out.append("Approve the recommended changes with: adoperm apply plan.json --approve \(ids.joined(separator: ","))")
        }
        return out.joined(separator: "\n") + "\n"
    }

    static func render(_ finding: Finding) -> [String] {
        let mark: String
        switch finding.status {
        case .satisfied: mark = "✓"
        case .gap, .excess: mark = "✗"
        case .unresolvable: mark = "?"
        }
        let location = finding.location.map { "  (\($0))" } ?? ""
        guard finding.status != .satisfied else {
            return ["\(mark) \(finding.requirement)  satisfied  \(PlanText.headline(finding))\(location)"]
        }
        var out = ["\(mark) \(finding.requirement)  \(finding.status.rawValue)\(location)"]
        func field(_ name: String, _ value: String) {
            out.append("    " + name.padding(toLength: 10, withPad: " ", startingAt: 0) + value)
        }
        if let origin = finding.origin { field("from", origin) }
        if let subject = finding.subject { field("subject", PlanText.subject(subject)) }
        if let setting = finding.setting {
            field("setting", "\(setting.name) of \(setting.scope) \(setting.projectName ?? ""): is \(setting.actual), "
                  + "wanted \(setting.desired)")
        }
        if let namespace = finding.namespace, let token = finding.token {
            field("resource", "\(finding.resource ?? token) (\(namespace.name))")
            field("token", token)
        }
        if let missing = finding.missing, let bits = finding.missingBits {
            field("missing", "\(missing.joined(separator: " | ")) (\(bits))")
        }
        if let excess = finding.excess, let bits = finding.excessBits {
            field("excess", "\(excess.joined(separator: " | ")) (\(bits))")
        }
        let causes = finding.causes ?? finding.cause.map { [$0] } ?? []
        for (offset, cause) in causes.enumerated() {
            field(offset == 0 ? "cause" : "", PlanText.cause(cause, requestedToken: finding.token, withBits: causes.count > 1))
        }
        for (offset, grant) in (finding.grants ?? []).enumerated() {
            field(offset == 0 ? "granted" : "", PlanText.cause(grant, requestedToken: finding.token, withBits: true))
        }
        if let message = finding.message { field("why", message) }
        for remedy in finding.remedies {
            out.append("")
            out.append("    \(remedy.rank). \(remedy.kind.rawValue)  \(remedy.status.rawValue)"
                       + (remedy.recommended ? "  ← recommended" : ""))
            out.append("       " + remedy.reason)
            if let radius = PlanText.radius(remedy.blastRadius) { out.append("       blast radius: \(radius)") }
            for change in remedy.changes {
                for line in PlanText.lines(change) { out.append("       \(line)  [\(change.id)]") }
            }
        }
        out.append("")
        return out
    }
}
