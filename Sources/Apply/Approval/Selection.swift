import Plan

/// The approved changes of a plan, validated and in execution order.
public struct Selection: Sendable, Equatable {
    public var approval: Approval
    /// Writable changes, in the order they run (`Step.ordered`).
    public var steps: [Step]
    /// `manual` changes of the chosen remedies: steps for the person, never performed by adoperm.
    public var manualSteps: [Change]
    /// One line per chosen remedy whose writable changes were only partly approved.
    public var notes: [String]

    /// Checks `approval` against `plan` and orders the approved changes. Pure; throws before anything is written:
    /// - an approvals file naming another plan (`planId`),
    /// - an id that is not a change of the plan,
    /// - approved changes of one finding taken from two of its remedies,
    /// - a change that only blocked or not-applicable remedies hold,
    /// - nothing approved.
    public static func make(plan: PlanDocument, approval: Approval) throws(ApprovalError) -> Selection {
        let planId = plan.planId ?? ""
        if let named = approval.planId, named.lowercased() != planId.lowercased() {
            let file: String
            if case .file(let path) = approval.source { file = path } else { file = "approval" }
            throw .wrongPlan(file: file, named: named, plan: planId)
        }
        var occurrences: [String: [(finding: Int, remedy: Int)]] = [:]
        var changes: [String: Change] = [:]
        for (f, finding) in plan.findings.enumerated() {
            for (r, remedy) in finding.remedies.enumerated() {
                for change in remedy.changes {
                    occurrences[change.id, default: []].append((f, r))
                    changes[change.id] = change
                }
            }
        }
        let unknown = approval.changeIds.filter { occurrences[$0] == nil }
        if !unknown.isEmpty { throw .unknownChanges(unknown) }
        if approval.changeIds.isEmpty { throw .nothingApproved }
        let approved = Set(approval.changeIds)

        for id in approval.changeIds {
            let places = occurrences[id] ?? []
            let usable = places.contains { place in
                let status = plan.findings[place.finding].remedies[place.remedy].status
                return status != .blocked && status != .notApplicable
            }
            if !usable, let first = places.first {
                let remedy = plan.findings[first.finding].remedies[first.remedy]
                throw .notViable(
                    change: id,
                    remedy: label(remedy, of: plan.findings[first.finding], index: first.finding),
                    status: remedy.status.rawValue
                )
            }
        }

        // Per finding: every approved change it holds must sit in one remedy (a change shared by two remedies of
        // the finding does not make two). That remedy is the finding's chosen one.
        var chosen: [(finding: Int, remedy: Int)] = []
        for (f, finding) in plan.findings.enumerated() {
            let here = Set(finding.remedies.flatMap { $0.changes.map(\.id) }).intersection(approved)
            guard !here.isEmpty else { continue }
            let candidates = finding.remedies.indices.filter { r in
                here.isSubset(of: Set(finding.remedies[r].changes.map(\.id)))
            }
            guard let remedy = candidates.first(where: { finding.remedies[$0].recommended }) ?? candidates.first else {
                let touched = finding.remedies.filter { !Set($0.changes.map(\.id)).isDisjoint(with: here) }
                throw .twoRemedies(
                    finding: findingLabel(finding, index: f),
                    remedies: touched.map { remedy in
                        "\(remedyName(remedy)): "
                            + remedy.changes.map(\.id).filter(here.contains).joined(separator: ", ")
                    }
                )
            }
            chosen.append((f, remedy))
        }

        var steps: [Step] = []
        var manual: [Change] = []
        var notes: [String] = []
        var seenManual = Set<String>()
        for id in approval.changeIds {
            guard let change = changes[id] else { continue }
            let operation: Operation?
            do {
                operation = try Operation.decode(change)
            } catch {
                throw .unusable(error)
            }
            if change.kind == .manual, seenManual.insert(id).inserted { manual.append(change) }
            guard let operation else { continue }
            let origins = chosen.filter { place in
                plan.findings[place.finding].remedies[place.remedy].changes.contains { $0.id == id }
            }.map { place in
                let finding = plan.findings[place.finding]
                return "\(findingLabel(finding, index: place.finding)): \(remedyName(finding.remedies[place.remedy]))"
            }
            steps.append(Step(change: change, operation: operation, origins: origins))
        }
        for place in chosen {
            let finding = plan.findings[place.finding]
            let remedy = finding.remedies[place.remedy]
            for change in remedy.changes where change.kind == .manual && seenManual.insert(change.id).inserted {
                manual.append(change)
            }
            let left = remedy.changes.filter { $0.kind != .manual && !approved.contains($0.id) }
            if !left.isEmpty {
                notes.append(
                    "\(label(remedy, of: finding, index: place.finding)): not approved, so not applied: "
                        + left.map { "\($0.id) (\($0.summary))" }.joined(separator: "; ")
                )
            }
        }
        return Selection(approval: approval, steps: Step.ordered(steps), manualSteps: manual, notes: notes)
    }

    /// `finding 3 (ops-triage, area Payments\Ops)`.
    static func findingLabel(_ finding: Finding, index: Int) -> String {
        let place = finding.resource ?? finding.token ?? finding.setting?.name ?? ""
        return "finding \(index + 1) (\(finding.requirement)\(place.isEmpty ? "" : ", \(place)"))"
    }

    static func remedyName(_ remedy: Remedy) -> String { "remedy \(remedy.rank) \(remedy.kind.rawValue)" }

    static func label(_ remedy: Remedy, of finding: Finding, index: Int) -> String {
        "\(remedyName(remedy)) of \(findingLabel(finding, index: index))"
    }
}
