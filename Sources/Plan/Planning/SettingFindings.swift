/// Findings of the manifest's `settings:` (pipeline general settings, watched by drift too).
extension Planner {
    mutating func settingFindings(_ setting: BoundSetting) -> [Finding] {
        let organization = index.state.pipelineSettings.organization
        let project = index.state.pipelineSettings.projects[setting.projectId] ?? PipelineSettings()
        var findings: [Finding] = []
        for (wire, desired) in setting.values.sorted(by: { $0.key < $1.key }) {
            let manifestName = Manifest.settingNames.first { $0.wire == wire }?.manifest ?? wire
            let orgValue = organization.values[wire] ?? false
            let projectValue = project.values[wire] ?? false
            // The organization's enforce* flags win over the project's: projects cannot loosen them.
            let enforced = wire.hasPrefix("enforce") && orgValue
            let actual = enforced || projectValue
            var finding = Finding(requirement: "settings/\(setting.projectName)/\(manifestName)",
                                  status: actual == desired ? .satisfied : .gap)
            finding.location = setting.location?.description
            finding.setting = SettingInfo(scope: "project", projectId: setting.projectId,
                                          projectName: setting.projectName, name: wire, desired: desired, actual: actual)
            if actual != desired {
                let moving = wire == "enforceJobAuthScope"
                    ? index.definitions(inProject: setting.projectId).count { jobIdentities[$0.id]?.scope == .collection }
                    : index.definitions(inProject: setting.projectId).count
                if desired == false && enforced {
                    finding.remedies = [Remedy(
                        rank: 1, kind: .setting, status: .viable,
                        reason: "The organization enforces \(wire); only turning it off for the whole organization "
                            + "lets \(setting.projectName) turn it off.",
                        blastRadius: BlastRadius(scope: "organization", identities: 1,
                                                 pipelines: index.state.buildDefinitions.count),
                        changes: [Change.organizationSetting(setting: wire, before: true, after: false)])]
                } else {
                    finding.remedies = [Remedy(
                        rank: 1, kind: .setting, status: .viable,
                        reason: "Set \(wire) of project \(setting.projectName) to \(desired).",
                        blastRadius: BlastRadius(scope: "project", identities: 1, pipelines: moving),
                        changes: [Change.projectSetting(projectId: setting.projectId, project: setting.projectName,
                                                        setting: wire, before: projectValue, after: desired)])]
                }
            }
            findings.append(finding)
        }
        return findings
    }
}
