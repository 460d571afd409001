/// A verified journal change compared with the live state.
struct JournalFinding {
    var change: JournalChange
    var kind: Change.Kind
    var state: DriftJournalRef.State
    var beforeText: String
    var afterText: String
    var liveText: String
    /// What the change is about, as drift items show it.
    var what: String
    var ace: DriftACE?
    var setting: DriftSetting?
    /// Writes the after-image again.
    var reapply: Change?
    /// The live state with the before-image / after-image in place (for "did this change make X hold").
    var beforeScenario: DriftRun.Scenario
    var afterScenario: DriftRun.Scenario
    /// The namespace of an ACE change (only checks in it can depend on the change).
    var namespaceId: String?

    var ref: DriftJournalRef {
        DriftJournalRef(
            change: change.change,
            runId: change.runId,
            journal: change.journal,
            state: state,
            summary: change.summary
        )
    }
}

extension DriftRun {
    /// Keeps the latest verified change per object and compares each with the live state.
    mutating func analyse(_ changes: [JournalChange]) {
        var latest: [String: JournalChange] = [:]
        var order: [String] = []
        for change in changes where change.state == "verified" {
            guard let key = targetKey(change) else {
                let kind = change.target["kind"]?.stringValue ?? "unknown"
                notes.append(
                    DriftNote(
                        .journalUnchecked,
                        id: change.change,
                        "journal change \(change.change) (run \(change.runId), \(kind)) is not compared: drift "
                            + "checks ACEs, pipeline settings and definitions"
                            + (kind == "front-matter"
                                ? "; the agent file's front matter is reviewed in its repository" : "")
                    )
                )
                continue
            }
            if latest[key] == nil { order.append(key) }
            latest[key] = change
        }
        for key in order {
            guard let change = latest[key] else { continue }
            if let finding = compare(change) {
                journal.append(finding)
            } else {
                notes.append(
                    DriftNote(
                        .journalUnchecked,
                        id: change.change,
                        "journal change \(change.change) (run \(change.runId)) has images drift cannot read; "
                            + "not compared"
                    )
                )
            }
        }
    }

    /// One key per object a change writes (an ACE, a setting, a definition's scope); nil for other kinds.
    func targetKey(_ change: JournalChange) -> String? {
        let target = change.target
        switch target["kind"]?.stringValue.flatMap(Change.Kind.init(rawValue:)) {
        case .ace?:
            guard let namespaceId = target["namespaceId"]?.stringValue, let token = target["token"]?.stringValue,
                let descriptor = target["descriptor"]?.stringValue
            else { return nil }
            let separator = index.namespace(namespaceId)?.separator
            return "ace|\(namespaceId.lowercased())|\(Tokens.canonical(token, separator: separator))|"
                + descriptor.lowercased()
        case .pipelineSetting?:
            guard let name = target["setting"]?.stringValue else { return nil }
            return "setting|\(target["projectId"]?.stringValue?.lowercased() ?? "organization")|\(name)"
        case .definition?:
            return target["definitionId"]?.intValue.map { "definition|\($0)" }
        default:
            return nil
        }
    }

    func compare(_ change: JournalChange) -> JournalFinding? {
        switch change.target["kind"]?.stringValue.flatMap(Change.Kind.init(rawValue:)) {
        case .ace?: compareACE(change)
        case .pipelineSetting?: compareSetting(change)
        case .definition?: compareDefinition(change)
        default: nil
        }
    }

    /// `{allow, deny, present}` (the journal's images), `{allow, deny}` (a plan's), or null (no entry).
    static func aceImage(_ json: JSONValue?) -> (allow: Int, deny: Int)? {
        guard let json, json != .null else { return (0, 0) }
        if json["present"]?.boolValue == false { return (0, 0) }
        guard let allow = json["allow"]?.intValue, let deny = json["deny"]?.intValue else { return nil }
        return (allow, deny)
    }

    private func compareACE(_ change: JournalChange) -> JournalFinding? {
        let target = change.target
        guard let namespaceId = target["namespaceId"]?.stringValue, let token = target["token"]?.stringValue,
            let descriptor = target["descriptor"]?.stringValue, let after = Self.aceImage(change.after),
            let before = Self.aceImage(change.before)
        else { return nil }
        let ace = ace(namespaceId: namespaceId, token: token, descriptor: descriptor)
        let live = (ace.allow ?? 0, ace.deny ?? 0)
        let state: DriftJournalRef.State =
            live == after ? .inEffect : live == before ? .reverted : .altered
        let who = IdentityDescriptor(descriptor)
        func edit(_ image: (allow: Int, deny: Int)) -> AceEdit {
            AceEdit(namespaceId: namespaceId, token: token, descriptor: who, allow: image.allow, deny: image.deny)
        }
        var reapply: Change?
        if state != .inEffect, let namespace = index.namespace(namespaceId) {
            let entry = index.acl(namespaceId: namespaceId, token: token)?.entries[who]
            reapply = Change.ace(
                namespace: namespace,
                token: token,
                descriptor: who,
                before: entry,
                allow: after.allow,
                deny: after.deny,
                summary: "set the ACE of \(ace.displayName) on \(ace.resource ?? token) back to "
                    + "\(aceText(allow: after.allow, deny: after.deny, namespaceId)) (journal change \(change.change))"
            )
        }
        return JournalFinding(
            change: change,
            kind: .ace,
            state: state,
            beforeText: aceText(allow: before.allow, deny: before.deny, namespaceId),
            afterText: aceText(allow: after.allow, deny: after.deny, namespaceId),
            liveText: aceText(allow: live.0, deny: live.1, namespaceId),
            what: "the ACE of \(ace.displayName) on \(ace.resource ?? token) (\(ace.namespace))",
            ace: ace,
            reapply: reapply,
            beforeScenario: Scenario(index: index, evaluator: evaluator.applying([edit(before)])),
            afterScenario: Scenario(index: index, evaluator: evaluator.applying([edit(after)])),
            namespaceId: namespaceId.lowercased()
        )
    }

    private static func boolImage(_ json: JSONValue?) -> Bool? { json?["value"]?.boolValue ?? json?.boolValue }

    private func compareSetting(_ change: JournalChange) -> JournalFinding? {
        let target = change.target
        guard let name = target["setting"]?.stringValue, let after = Self.boolImage(change.after) else { return nil }
        let projectId = target["projectId"]?.stringValue?.lowercased()
        if projectId == nil && target["scope"]?.stringValue != "organization" { return nil }
        let settings = index.state.pipelineSettings
        let live =
            projectId.map { settings.projects[$0]?.values[name] ?? false } ?? settings.organization.values[name]
            ?? false
        let before = Self.boolImage(change.before) ?? !after
        let state: DriftJournalRef.State = live == after ? .inEffect : live == before ? .reverted : .altered
        let projectName = projectId.flatMap { index.project(id: $0)?.name } ?? target["project"]?.stringValue
        let place = projectId == nil ? "the organization" : "project \(projectName ?? projectId ?? "?")"
        var reapply: Change?
        if state != .inEffect {
            reapply =
                projectId.map {
                    Change.projectSetting(
                        projectId: $0,
                        project: projectName ?? $0,
                        setting: name,
                        before: live,
                        after: after
                    )
                } ?? Change.organizationSetting(setting: name, before: live, after: after)
        }
        return JournalFinding(
            change: change,
            kind: .pipelineSetting,
            state: state,
            beforeText: String(before),
            afterText: String(after),
            liveText: String(live),
            what: "setting \(name) of \(place)",
            setting: DriftSetting(
                scope: projectId == nil ? "organization" : "project",
                projectId: projectId,
                project: projectName,
                name: name,
                expected: after,
                actual: live
            ),
            reapply: reapply,
            beforeScenario: scenario(settings: [(projectId, name, before)]),
            afterScenario: scenario(settings: [(projectId, name, after)])
        )
    }

    private func compareDefinition(_ change: JournalChange) -> JournalFinding? {
        guard let id = change.target["definitionId"]?.intValue,
            let afterText = change.after?["jobAuthorizationScope"]?.stringValue,
            let after = JobAuthorizationScope(rawValue: afterText)
        else { return nil }
        let definition = index.definition(id: id)
        let live = definition?.jobAuthorizationScope
        let before =
            change.before?["jobAuthorizationScope"]?.stringValue.flatMap(JobAuthorizationScope.init(rawValue:))
            ?? (after == .project ? .projectCollection : .project)
        let state: DriftJournalRef.State = live == after ? .inEffect : live == before ? .reverted : .altered
        let name = definition?.name ?? change.target["name"]?.stringValue ?? String(id)
        var reapply: Change?
        if state != .inEffect, let definition { reapply = Change.definitionScope(definition, after: after) }
        return JournalFinding(
            change: change,
            kind: .definition,
            state: state,
            beforeText: before.rawValue,
            afterText: after.rawValue,
            liveText: live?.rawValue ?? "no such definition",
            what: "definition \(name) (\(id)) jobAuthorizationScope",
            reapply: reapply,
            beforeScenario: scenario(definitionId: id, scope: before),
            afterScenario: scenario(definitionId: id, scope: after)
        )
    }

    /// Journal changes whose after-image makes `check` hold where their before-image does not.
    func journalChanges(thatMadeHold check: BoundCheck) -> [JournalFinding] {
        journal.filter { finding in
            if let namespaceId = finding.namespaceId, namespaceId != check.resource.namespaceId { return false }
            return holds(check, in: finding.afterScenario) == true && holds(check, in: finding.beforeScenario) == false
        }
    }

    /// A drift item for every journal change that is no longer in effect.
    mutating func addJournalItems() {
        for finding in journal where finding.state != .inEffect {
            let change = finding.change
            let owner = journalOwner(finding)
            var item = DriftItem(
                key: "journal|\(change.change)",
                kind: .journal,
                id: owner.kind == .journal ? change.change : owner.id,
                check: owner,
                summary: "journal change \(change.change) (run \(change.runId)) \(finding.state.rawValue): "
                    + "\(finding.what) is \(finding.liveText); the run set \(finding.afterText)",
                before: finding.afterText,
                now: finding.liveText
            )
            item.ace = finding.ace
            item.setting = finding.setting
            item.journal = [finding.ref]
            item.remedy = finding.reapply.map {
                DriftRemedy(
                    kind: "reapply",
                    status: "viable",
                    reason: "Write the after-image journal run \(change.runId) verified again (or make a new "
                        + "plan: adoperm plan proposes what the manifest needs).",
                    changes: [$0]
                )
            }
            items.append(item)
        }
    }

    /// The report entry a journal item belongs to: the first requirement (or forbid rule) that fails now and that
    /// it had made hold, else the declared setting it writes, else its own entry.
    func journalOwner(_ finding: JournalFinding) -> CheckRef {
        for (offset, check) in bound.checks.enumerated()
        where (madeHold[offset] ?? []).contains(where: {
            $0.change == finding.change.change && $0.runId == finding.change.runId
        }) {
            return CheckRef(check.kind == .allow ? .requirement : .forbid, check.requirementId)
        }
        if let setting = finding.setting, let projectId = setting.projectId,
            let declared = settingFindings.first(where: {
                $0.setting?.projectId == projectId && $0.setting?.name == setting.name
            })
        {
            return CheckRef(.setting, declared.requirement)
        }
        return CheckRef(.journal, finding.change.change)
    }
}
