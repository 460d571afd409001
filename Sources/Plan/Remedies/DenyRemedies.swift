/// Remedy 3: lift the Deny. Clears exactly the denied bits where the Deny lives; when the Deny is inherited, the
/// narrower explicit Allow on the requested token (`child-allow`) ranks first. When nothing is denied, lifting is
/// not applicable and a plain `grant` is offered.
extension Planner {
    mutating func denyRemedies(_ gap: Gap) -> [Remedy] {
        let denies = gap.evaluation.causes.filter { $0.kind != .notSet }
        let perms = joined(gap.missing, gap.namespace)
        let subjectName = gap.subject.displayName
        let label = gap.check.resource.label
        guard !denies.isEmpty else {
            let edit = allowEdit(evaluator, gap.namespace, gap.token, gap.descriptor, gap.missing)
            let closes = satisfies(evaluator.applying([edit]), gap)
            let blockedAt = gap.evaluation.causes.first?.inheritanceBlockedAt
            let one = gap.missing.nonzeroBitCount == 1
            let why = blockedAt.map { "inheritance is off at \($0), so no ancestor's Allow reaches \(one ? "it" : "them")" }
                ?? "no level sets \(one ? "it, so it is" : "them, so they are") implicitly denied"
            return [
                Remedy(rank: 3, kind: .liftDeny, status: .notApplicable,
                       reason: "Nothing is denied: \(perms) \(gap.missing.nonzeroBitCount == 1 ? "is" : "are") not set, "
                           + "so there is no Deny to lift."),
                Remedy(rank: 3, kind: .grant, status: closes ? .viable : .blocked,
                       reason: closes
                           ? "Allow \(perms) for \(subjectName) on \(label) (\(why))."
                           : "An Allow on \(label) does not give \(subjectName) \(perms).",
                       blastRadius: blastRadius([edit]), changes: [change(for: edit, gap.namespace)]),
            ]
        }
        var remedies: [Remedy] = []
        // The narrower variant: an explicit Allow on the requested token beats every inherited Deny.
        if denies.allSatisfy(\.inherited) {
            let edit = allowEdit(evaluator, gap.namespace, gap.token, gap.descriptor, gap.missing)
            let closes = satisfies(evaluator.applying([edit]), gap)
            let ancestors = Set(denies.compactMap(\.token)).sorted()
                .map { index.label(namespaceId: gap.namespace.id, token: $0) }.joined(separator: ", ")
            remedies.append(Remedy(
                rank: 3, kind: .childAllow, status: closes ? .viable : .blocked,
                reason: closes
                    ? "Allow \(perms) for \(subjectName) on \(label): an explicit Allow on the more specific token "
                        + "overrides the Deny inherited from \(ancestors), which stays in place for everything else."
                    : "An explicit Allow on \(label) does not give \(subjectName) \(perms).",
                blastRadius: blastRadius([edit]), changes: [change(for: edit, gap.namespace)]))
        }
        // Lifting where the Deny lives, level by level, until the bits are allowed or only unset ones remain.
        var edits = AceEdits()
        var simulated = evaluator
        for _ in 0..<16 {
            let now = simulated.evaluate(
                namespaceId: gap.namespace.id, token: gap.token, subject: gap.descriptor, bits: gap.check.bits)
            let remaining = now.causes.filter { $0.kind != .notSet }
            if remaining.isEmpty { break }
            for cause in remaining {
                guard let token = cause.token, let descriptor = cause.descriptor else { continue }
                edits.set(clearDenyEdit(simulated, gap.namespace, token, descriptor, cause.bits), namespace: gap.namespace)
            }
            simulated = evaluator.applying(edits.all)
        }
        let lifted = edits.all
        let after = simulated.evaluate(
            namespaceId: gap.namespace.id, token: gap.token, subject: gap.descriptor, bits: gap.check.bits, explain: false)
        var all = lifted
        var tail = ""
        if after.missing != 0 {
            // What is left is not set anywhere: lifting alone would expose an implicit deny.
            let grant = allowEdit(simulated, gap.namespace, gap.token, gap.descriptor, after.missing)
            edits.set(grant, namespace: gap.namespace)
            all = edits.all
            tail = ", and allow \(joined(after.missing, gap.namespace)) for \(subjectName) on \(label) (no level sets "
                + "\(after.missing.nonzeroBitCount == 1 ? "it" : "them") once the Deny is gone)"
        }
        let closes = satisfies(evaluator.applying(all), gap)
        let places = lifted.map { edit in
            let who = index.displayName(edit.descriptor)
            let place = index.label(namespaceId: gap.namespace.id, token: edit.token)
            let members = coverage(of: edit.descriptor).identities.count
            let group = index.identity(edit.descriptor)?.isContainer == true
            return "\(who) on \(place)" + (group ? " — it applies to every member (\(members) identities)" : "")
        }.joined(separator: "; ")
        remedies.append(Remedy(
            rank: 3, kind: .liftDeny, status: closes ? .viable : .blocked,
            reason: closes
                ? "Clear the Deny of \(joined(denies.reduce(0) { $0 | $1.bits }, gap.namespace)) for \(places)\(tail)."
                : "Clearing the Deny (\(places)) does not give \(subjectName) \(perms).",
            blastRadius: blastRadius(all), changes: all.map { change(for: $0, gap.namespace) }))
        return remedies
    }

    /// Whether `evaluator` (with changes applied) gives the gap's subject every requested bit.
    func satisfies(_ evaluator: Evaluator, _ gap: Gap) -> Bool {
        evaluator.evaluate(namespaceId: gap.namespace.id, token: gap.token, subject: gap.descriptor,
                           bits: gap.check.bits, explain: false).isSatisfied
    }
}
