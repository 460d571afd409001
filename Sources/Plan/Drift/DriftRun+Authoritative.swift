/// `authoritative: true` allow entries (every undeclared bit the subject holds on the token is drift) and, for the
/// other entries, undeclared bits on the subject's own ACE (a note).
extension DriftRun {
    mutating func compareAuthoritative() {
        // Bits declared per (namespace, token, descriptor), over every allow entry of the manifest.
        var declared: [String: Int] = [:]
        var resolved: [(offset: Int, descriptor: IdentityDescriptor, aceKey: String)] = []
        for (offset, check) in bound.checks.enumerated() where check.kind == .allow {
            guard let descriptor = SubjectResolver.resolve(check.subject, in: index).descriptor,
                let namespace = index.namespace(check.resource.namespaceId)
            else { continue }
            let aceKey =
                check.resource.namespaceId + "|"
                + Tokens.canonical(check.resource.token, separator: namespace.separator)
                + "|" + descriptor.key
            declared[aceKey, default: 0] |= check.bits
            resolved.append((offset, descriptor, aceKey))
        }
        let authoritativeACEs = Set(resolved.filter { bound.checks[$0.offset].authoritative }.map(\.aceKey))
        var extras: [(offset: Int, descriptor: IdentityDescriptor, bits: Int)] = []
        var noted: Set<String> = []
        for (offset, descriptor, aceKey) in resolved {
            let check = bound.checks[offset]
            let namespaceId = check.resource.namespaceId
            let allowedHere = declared[aceKey] ?? check.bits
            if check.authoritative {
                let evaluation = evaluator.evaluate(
                    namespaceId: namespaceId,
                    token: check.resource.token,
                    subject: descriptor,
                    bits: check.bits,
                    explain: false
                )
                let extra = evaluation.effectiveAllow & ~allowedHere
                if extra != 0 { extras.append((offset, descriptor, extra)) }
            } else if !authoritativeACEs.contains(aceKey), noted.insert(aceKey).inserted,
                let entry = index.acl(namespaceId: namespaceId, token: check.resource.token)?.entries[descriptor],
                entry.allow & ~allowedHere != 0
            {
                let extra = entry.allow & ~allowedHere
                notes.append(
                    DriftNote(
                        .undeclaredBits,
                        id: check.requirementId,
                        "\(check.requirementId): \(index.displayName(descriptor))'s own ACE on "
                            + "\(check.resource.label) also allows \(names(extra, namespaceId)) (\(extra)), which the "
                            + "manifest does not declare; not drift unless the entry says `authoritative: true`"
                    )
                )
            }
        }
        guard !extras.isEmpty else { return }
        // The planner's remedies for "must not hold these bits": the same as for a forbid rule.
        let forbids = extras.map { extra -> BoundCheck in
            let check = bound.checks[extra.offset]
            let namespace = index.namespace(check.resource.namespaceId)
            return BoundCheck(
                requirementId: check.requirementId,
                kind: .forbid,
                subjectRef: check.subjectRef,
                subject: check.subject,
                resource: check.resource,
                permissionNames: namespace.map { Planner.names(extra.bits, $0) } ?? [],
                bits: extra.bits,
                location: check.location
            )
        }
        let excessPlan = Planner.makePlan(
            BoundDesiredState(desired: bound.desired, checks: forbids, settings: [], writeConnectionId: nil),
            index: index,
            createdAt: checkedAt
        )
        for (position, extra) in extras.enumerated() {
            let check = bound.checks[extra.offset]
            let finding = excessPlan.findings[position]
            let namespaceId = check.resource.namespaceId
            let subject = finding.subject?.label ?? index.displayName(extra.descriptor)
            let grants = (finding.grants ?? []).map {
                PlanText.cause($0, requestedToken: finding.token, withBits: true)
            }
            let now =
                "also allowed \(names(extra.bits, namespaceId)) (\(extra.bits))"
                + (grants.isEmpty ? "" : " — " + grants.joined(separator: "; "))
            var item = DriftItem(
                key: "authoritative|\(checkKeys[extra.offset])",
                kind: .authoritative,
                id: check.requirementId,
                check: CheckRef(.requirement, check.requirementId),
                summary: "\(check.requirementId): the authoritative entry on \(check.resource.label) allows "
                    + "\(subject) only \(check.permissionNames.joined(separator: "|")), but it \(now)",
                before: "only \(check.permissionNames.joined(separator: "|"))",
                now: now
            )
            item.location = check.location?.description
            if let grant = finding.grants?.first, let token = grant.token, let descriptor = grant.descriptor {
                item.ace = ace(namespaceId: namespaceId, token: token, descriptor: descriptor)
            } else {
                item.ace = ace(
                    namespaceId: namespaceId,
                    token: check.resource.token,
                    descriptor: extra.descriptor.rawValue
                )
            }
            item.remedy = DriftRemedy.of(finding)
            items.append(item)
        }
    }
}
