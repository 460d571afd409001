/// Remedies of an `excess` finding (a forbid rule the subject breaks): an explicit Deny for the subject on the
/// token (narrowest), or removing the Allow where it lives (reaches everyone that Allow covers).
extension Planner {
    mutating func excessRemedies(_ gap: Gap) -> [Remedy] {
        let excess = gap.evaluation.allowed
        let perms = joined(excess, gap.namespace)
        let label = gap.check.resource.label
        func clean(_ evaluator: Evaluator) -> Bool {
            evaluator.evaluate(namespaceId: gap.namespace.id, token: gap.token, subject: gap.descriptor, bits: excess,
                               explain: false).allowed == 0
        }
        let current = entry(evaluator, gap.namespace, gap.token, gap.descriptor)
        let deny = AceEdit(namespaceId: gap.namespace.id, token: storedToken(gap.namespace, gap.token),
                           descriptor: gap.descriptor, allow: (current?.allow ?? 0) & ~excess,
                           deny: (current?.deny ?? 0) | excess)
        let denies = clean(evaluator.applying([deny]))
        var remedies = [Remedy(
            rank: 1, kind: .deny, status: denies ? .viable : .blocked,
            reason: denies
                ? "Deny \(perms) for \(gap.subject.displayName) on \(label): an explicit Deny on the token itself beats "
                    + "every Allow the subject inherits or gets through its groups."
                : "A Deny on \(label) does not take \(perms) away from \(gap.subject.displayName).",
            blastRadius: blastRadius([deny]), changes: [change(for: deny, gap.namespace)])]
        var edits = AceEdits()
        var simulated = evaluator
        for _ in 0..<16 {
            let now = simulated.evaluate(namespaceId: gap.namespace.id, token: gap.token, subject: gap.descriptor,
                                         bits: excess)
            if now.grants.isEmpty { break }
            for grant in now.grants {
                let entry = self.entry(simulated, gap.namespace, grant.token, grant.descriptor)
                edits.set(AceEdit(namespaceId: gap.namespace.id, token: grant.token, descriptor: grant.descriptor,
                                  allow: (entry?.allow ?? 0) & ~grant.bits, deny: entry?.deny ?? 0),
                          namespace: gap.namespace)
            }
            simulated = evaluator.applying(edits.all)
        }
        let revoked = clean(simulated)
        let places = edits.all.map {
            "\(index.displayName($0.descriptor)) on \(index.label(namespaceId: gap.namespace.id, token: $0.token))"
        }.joined(separator: "; ")
        remedies.append(Remedy(
            rank: 2, kind: .revoke, status: revoked ? .viable : .blocked,
            reason: revoked
                ? "Remove \(perms) from the Allow where it lives (\(places)); every identity that Allow covers loses it."
                : "Removing the Allow (\(places)) does not take \(perms) away from \(gap.subject.displayName).",
            blastRadius: blastRadius(edits.all), changes: edits.all.map { change(for: $0, gap.namespace) }))
        return remedies
    }
}
