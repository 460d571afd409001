import Foundation

/// Report entries, the comparison with the previous run, fingerprints and the next state.
extension DriftRun {
    func finish() -> (report: DriftReport, state: DriftState) {
        let checks = entries()
        let position = Dictionary(
            checks.enumerated().map { ($0.element.ref, $0.offset) },
            uniquingKeysWith: { a, _ in a }
        )
        let kinds = DriftItem.Kind.allCases
        var current = items.sorted { lhs, rhs in
            let l = (position[lhs.check] ?? Int.max, kinds.firstIndex(of: lhs.kind) ?? 0, lhs.key)
            let r = (position[rhs.check] ?? Int.max, kinds.firstIndex(of: rhs.kind) ?? 0, rhs.key)
            return l < r
        }
        let before = Dictionary((previous?.items ?? []).map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        for offset in current.indices {
            guard let last = before[current[offset].key] else { continue }
            current[offset].status = last.now == current[offset].now ? .ongoing : .changed
        }
        let keys = Set(current.map(\.key))
        var resolved = (previous?.items ?? []).filter { !keys.contains($0.key) }.sorted { $0.key < $1.key }
        for offset in resolved.indices { resolved[offset].status = .resolved }

        let fingerprints = self.fingerprints()
        var changed: [String] = []
        if let last = previous?.fingerprints {
            changed = fingerprints.filter { key, value in last[key].map { $0 != value } ?? false }.keys.sorted()
        }
        let organization = bound.desired.organization ?? index.state.organization.url
        let report = DriftReport(
            checkedAt: checkedAt,
            organization: organization,
            manifestSha256: bound.desired.manifestSha256,
            previousRun: previous?.checkedAt,
            checks: checks,
            items: current,
            resolved: resolved,
            notes: notes,
            changedObjects: changed
        )
        let allowKeys = Set(zip(bound.checks, checkKeys).filter { $0.0.kind == .allow }.map(\.1))
        let remembered = Set(previous?.satisfied ?? []).intersection(allowKeys).union(satisfied)
        let state = DriftState(
            checkedAt: checkedAt,
            collectionId: index.state.organization.collectionId.lowercased(),
            organization: organization,
            manifestSha256: bound.desired.manifestSha256,
            satisfied: remembered.sorted(),
            identities: identityRecords,
            items: current,
            fingerprints: fingerprints
        )
        return (report, state)
    }

    /// One entry per requirement, forbid rule and declared setting (manifest order), then the journal and
    /// identity entries items were filed under.
    private func entries() -> [DriftCheck] {
        var result: [DriftCheck] = []
        var seen: Set<CheckRef> = []
        let owned = Dictionary(grouping: items, by: \.check)
        func add(_ ref: CheckRef, description: String? = nil, location: String? = nil) {
            guard seen.insert(ref).inserted else { return }
            let keys = (owned[ref] ?? []).map(\.key).sorted()
            let pending = ref.kind == .requirement ? pendingMessages[ref.id] : nil
            let status: DriftCheck.Status = !keys.isEmpty ? .drift : pending != nil ? .pending : .ok
            result.append(
                DriftCheck(
                    kind: ref.kind,
                    id: ref.id,
                    status: status,
                    description: description,
                    location: location,
                    items: keys,
                    message: status == .pending ? pending : nil
                )
            )
        }
        for requirement in bound.desired.requirements {
            add(
                CheckRef(.requirement, requirement.id),
                description: requirement.description,
                location: requirement.location?.description
            )
        }
        for forbid in bound.desired.forbids {
            add(CheckRef(.forbid, forbid.id), location: forbid.location?.description)
        }
        for finding in settingFindings { add(CheckRef(.setting, finding.requirement), location: finding.location) }
        for ref in owned.keys.sorted() { add(ref) }
        return result
    }

    /// Digests of what the checks depend on: every ACL on each checked token's chain, the pipeline settings, the
    /// memberships and the definitions of pipeline subjects.
    private func fingerprints() -> [String: String] {
        var result: [String: String] = [:]
        for check in bound.checks {
            guard let namespace = index.namespace(check.resource.namespaceId) else { continue }
            for key in Tokens.chain(check.resource.token, in: namespace) {
                let name = namespace.id + "|" + key
                if result[name] == nil {
                    result[name] = Fingerprint.acl(index.acl(namespaceId: namespace.id, token: key))
                }
            }
            if case .pipeline(let id, _) = check.subject, let definition = index.definition(id: id) {
                result[Fingerprint.definitionKey(id)] = Fingerprint.definition(definition)
            }
        }
        let settings = index.state.pipelineSettings
        result[Fingerprint.settingsKey(projectId: nil)] = Fingerprint.settings(settings.organization)
        for project in index.state.projects {
            result[Fingerprint.settingsKey(projectId: project.id)] =
                Fingerprint.settings(settings.projects[project.id.lowercased()] ?? PipelineSettings())
        }
        let edges = index.state.memberships.map { "\($0.member.key)>\($0.container.key)" }.sorted()
        result["memberships"] = sha256Hex(edges.joined(separator: "\n"))
        return result
    }
}
