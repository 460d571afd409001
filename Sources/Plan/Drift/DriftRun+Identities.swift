/// Pipelines whose job token runs as another build identity than expected.
extension DriftRun {
    mutating func compareIdentities() {
        // A journal's setting or definition change that is no longer in effect: the identity it had given.
        var explained: Set<Int> = []
        for finding in journal where finding.kind == .pipelineSetting || finding.kind == .definition {
            let affected = definitions(affectedBy: finding)
            if finding.state == .inEffect {
                for definition in affected { explained.insert(definition.id) }
                continue
            }
            let owner = journalOwner(finding)
            for definition in affected where expectedIdentities[definition.id] == nil {
                expectedIdentities[definition.id] = ExpectedIdentity(
                    identity: JobIdentity.of(definition, in: finding.afterScenario.index),
                    owner: owner,
                    remedy: finding.reapply.map {
                        DriftRemedy(
                            kind: "reapply",
                            status: "viable",
                            reason: "Write the after-image journal run \(finding.change.runId) verified again.",
                            changes: [$0]
                        )
                    },
                    journal: [finding.ref],
                    because: "journal change \(finding.change.change) of run \(finding.change.runId) set "
                        + "\(finding.what) to \(finding.afterText)"
                )
            }
        }
        for definition in index.state.buildDefinitions.sorted(by: { $0.id < $1.id }) {
            let now = JobIdentity.of(definition, in: index)
            let key = String(definition.id)
            if let expected = expectedIdentities[definition.id] {
                identityRecords[key] = PipelineIdentity(expected.identity)
                if expected.identity.descriptor != now.descriptor {
                    items.append(
                        identityItem(
                            definition,
                            now: now,
                            expected: PipelineIdentity(expected.identity),
                            owner: expected.owner,
                            because: expected.because,
                            remedy: expected.remedy,
                            journal: expected.journal
                        )
                    )
                }
                continue
            }
            if let recorded = previous?.identities[key], IdentityDescriptor(recorded.descriptor) != now.descriptor,
                !explained.contains(definition.id)
            {
                identityRecords[key] = recorded
                let owner =
                    requirement(ofPipeline: definition.id).map { CheckRef(.requirement, $0) }
                    ?? CheckRef(.identity, pipelineName(definition))
                items.append(
                    identityItem(
                        definition,
                        now: now,
                        expected: recorded,
                        owner: owner,
                        because: "it ran as that when \(previous?.checkedAt ?? "an earlier run") "
                            + "recorded it, and no declared setting or journal change explains the change",
                        remedy: nil,
                        journal: nil
                    )
                )
            } else {
                identityRecords[key] = PipelineIdentity(now)
            }
        }
    }

    /// The pipelines whose job identity a setting or definition change can move.
    private func definitions(affectedBy finding: JournalFinding) -> [BuildDefinition] {
        switch finding.kind {
        case .pipelineSetting:
            guard let setting = finding.setting, setting.name == "enforceJobAuthScope" else { return [] }
            return setting.projectId.map { index.definitions(inProject: $0) } ?? index.state.buildDefinitions
        case .definition:
            return finding.change.target["definitionId"]?.intValue.flatMap { index.definition(id: $0) }.map { [$0] }
                ?? []
        default:
            return []
        }
    }

    func pipelineName(_ definition: BuildDefinition) -> String {
        "\(index.project(id: definition.projectId)?.name ?? definition.projectId)/\(definition.name)"
    }

    private func identityItem(
        _ definition: BuildDefinition,
        now: JobIdentity,
        expected: PipelineIdentity,
        owner: CheckRef,
        because: String,
        remedy: DriftRemedy?,
        journal: [DriftJournalRef]?
    ) -> DriftItem {
        let current = PipelineIdentity(now)
        let name = pipelineName(definition)
        var item = DriftItem(
            key: "identity|\(definition.id)",
            kind: .identity,
            id: owner.kind == .identity ? name : owner.id,
            check: owner,
            summary: "pipeline \(name) (\(definition.id)) now runs as \(current.text); expected \(expected.text), "
                + "because \(because)",
            before: expected.text,
            now: current.text
        )
        item.pipeline = DriftPipeline(
            definitionId: definition.id,
            project: index.project(id: definition.projectId)?.name ?? definition.projectId,
            name: definition.name,
            before: expected,
            now: current
        )
        item.remedy = remedy
        item.journal = journal
        return item
    }
}
