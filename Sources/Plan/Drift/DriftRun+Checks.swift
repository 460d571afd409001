/// Requirements, forbid rules and declared settings.
extension DriftRun {
    mutating func compareChecks() {
        let previouslySatisfied = Set(previous?.satisfied ?? [])
        for (offset, check) in bound.checks.enumerated() {
            let finding = plan.findings[offset]
            let key = checkKeys[offset]
            let failing = finding.status != .satisfied
            if failing { madeHold[offset] = journalChanges(thatMadeHold: check).map(\.ref) }
            let journalRefs = madeHold[offset] ?? []
            switch check.kind {
            case .allow:
                if !failing {
                    satisfied.insert(key)
                    continue
                }
                if !journalRefs.isEmpty { satisfied.insert(key) }
                guard previouslySatisfied.contains(key) || !journalRefs.isEmpty else {
                    let message =
                        "\(check.requirementId): not satisfied yet (never seen satisfied): "
                        + PlanText.headline(finding) + " — see `adoperm plan`"
                    notes.append(DriftNote(.pending, id: check.requirementId, message))
                    if pendingMessages[check.requirementId] == nil { pendingMessages[check.requirementId] = message }
                    continue
                }
                items.append(requirementItem(check, finding, key: key, journal: journalRefs))
            case .forbid:
                if failing { items.append(forbidItem(check, finding, key: key, journal: journalRefs)) }
            }
        }
    }

    private func requirementItem(_ check: BoundCheck, _ finding: Finding, key: String, journal: [DriftJournalRef])
        -> DriftItem
    {
        let subject = finding.subject?.label ?? "?"
        let requested = (finding.requested ?? []).joined(separator: "|")
        let resource = finding.resource ?? check.resource.token
        let causes = finding.causes ?? finding.cause.map { [$0] } ?? []
        let why = causes.map { PlanText.cause($0, requestedToken: finding.token, withBits: causes.count > 1) }
            .joined(separator: "; ")
        let missing = (finding.missing ?? []).joined(separator: "|")
        let now =
            finding.status == .unresolvable
            ? (finding.message ?? "unresolvable") : "missing \(missing)" + (why.isEmpty ? "" : " — \(why)")
        var before = "satisfied"
        if let first = journal.first {
            before += " (made so by journal change \(first.change) of run \(first.runId))"
        } else {
            before += " in an earlier run"
        }
        var item = DriftItem(
            key: "requirement|\(key)",
            kind: .requirement,
            id: check.requirementId,
            check: CheckRef(.requirement, check.requirementId),
            summary:
                "\(check.requirementId): \(requested) on \(resource) for \(subject) is no longer satisfied: \(now)",
            before: before,
            now: now
        )
        item.location = finding.location
        // The ACE that now decides: the denying one, else the subject's own entry on the token.
        if let cause = causes.first(where: { $0.descriptor != nil && $0.token != nil }),
            let token = cause.token, let descriptor = cause.descriptor
        {
            item.ace = ace(namespaceId: check.resource.namespaceId, token: token, descriptor: descriptor)
        } else if let descriptor = finding.subject?.descriptor {
            item.ace = ace(namespaceId: check.resource.namespaceId, token: check.resource.token, descriptor: descriptor)
        }
        if !journal.isEmpty { item.journal = journal }
        item.remedy = DriftRemedy.of(finding)
        return item
    }

    private func forbidItem(_ check: BoundCheck, _ finding: Finding, key: String, journal: [DriftJournalRef])
        -> DriftItem
    {
        let subject = finding.subject?.label ?? "?"
        let resource = finding.resource ?? check.resource.token
        let excess = (finding.excess ?? []).joined(separator: "|")
        let grants = (finding.grants ?? []).map { PlanText.cause($0, requestedToken: finding.token, withBits: true) }
        let now = "allowed \(excess)" + (grants.isEmpty ? "" : " — " + grants.joined(separator: "; "))
        var item = DriftItem(
            key: "forbid|\(key)",
            kind: .forbid,
            id: check.requirementId,
            check: CheckRef(.forbid, check.requirementId),
            summary: "\(check.requirementId): \(subject) holds forbidden \(excess) on \(resource): \(now)",
            before: "none of \(check.permissionNames.joined(separator: "|")) allowed",
            now: now
        )
        item.location = finding.location
        if let grant = finding.grants?.first, let token = grant.token, let descriptor = grant.descriptor {
            item.ace = ace(namespaceId: check.resource.namespaceId, token: token, descriptor: descriptor)
        }
        if !journal.isEmpty { item.journal = journal }
        item.remedy = DriftRemedy.of(finding)
        return item
    }

    /// Declared settings that differ, and the job identities the declared values would give.
    mutating func compareSettings() {
        for finding in settingFindings {
            guard let setting = finding.setting else { continue }
            let owner = CheckRef(.setting, finding.requirement)
            let remedy = DriftRemedy.of(finding)
            if finding.status != .satisfied {
                let place = setting.projectName.map { "project \($0)" } ?? "the organization"
                var item = DriftItem(
                    key: "setting|\(finding.requirement)",
                    kind: .setting,
                    id: finding.requirement,
                    check: owner,
                    summary: "\(finding.requirement): \(setting.name) of \(place) is \(setting.actual), declared "
                        + "\(setting.desired)",
                    before: String(setting.desired),
                    now: String(setting.actual)
                )
                item.location = finding.location
                item.setting = DriftSetting(
                    scope: setting.scope,
                    projectId: setting.projectId,
                    project: setting.projectName,
                    name: setting.name,
                    expected: setting.desired,
                    actual: setting.actual
                )
                let refs = journal.filter {
                    $0.setting?.projectId == setting.projectId && $0.setting?.name == setting.name
                }.map(\.ref)
                if !refs.isEmpty { item.journal = refs }
                item.remedy = remedy
                items.append(item)
            }
            // Under the declared value, which identity would each of the project's pipelines run as?
            guard setting.name == "enforceJobAuthScope", let projectId = setting.projectId,
                let declared = scenario(applying: finding.remedies.first(where: \.recommended)?.changes ?? [])
                    ?? (finding.status == .satisfied ? live : nil)
            else { continue }
            for definition in index.definitions(inProject: projectId) where expectedIdentities[definition.id] == nil {
                expectedIdentities[definition.id] = ExpectedIdentity(
                    identity: JobIdentity.of(definition, in: declared.index),
                    owner: owner,
                    remedy: remedy,
                    journal: nil,
                    because: "the manifest declares \(finding.requirement): \(setting.desired)"
                )
            }
        }
    }
}
