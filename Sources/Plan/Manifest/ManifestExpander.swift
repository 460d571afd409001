/// Turns a parsed manifest into plain requirements: profiles become their permission sets, `from-agent` entries
/// become the agent's subject and the permissions its safe-output tools need, and pipelines named as subjects get
/// the context of their YAML (ado-aw agent, cross-project constructs) that remedies 1 and 2 need.
public enum ManifestExpander {
    /// Expands `manifest` against `index` (projects for `scope: { projects: ["*"] }`, repository files for agents).
    ///
    /// - Parameter localFiles: local files the CLI read for `from-agent: { file: … }` entries, by the path as
    ///   written in the manifest, with their `.lock.yml` siblings.
    /// - Throws: `DiagnosticError` with every error found.
    public static func expand(
        _ manifest: Manifest,
        index: OrgIndex,
        localFiles: [String: String] = [:]
    ) throws -> DesiredState {
        var agents = AgentExpansion(index: index, localFiles: localFiles)
        var diagnostics: [Diagnostic] = []
        var requirements: [Requirement] = []
        for entry in manifest.entries {
            switch entry.body {
            case .explicit(let subject, let allow):
                requirements.append(Requirement(
                    id: entry.id, description: entry.description, subject: subject, allow: allow, origin: .manifest,
                    location: entry.location, agent: context(of: subject, index, &agents),
                    subjectLocation: entry.subjectLocation))
            case .profile(let name, let subject, let scope, let allow):
                guard let profile = Profile.named(name) else {
                    let names = Profile.builtIn.map(\.name)
                    diagnostics.append(Diagnostic(
                        .error, "unknown profile '\(name)'" + (Suggestion.closest(to: name, in: names).map {
                            " (did you mean \($0)?)"
                        } ?? ", expected one of " + names.joined(separator: ", ")), at: entry.profileLocation))
                    continue
                }
                if profile.target == .none {
                    diagnostics.append(Diagnostic(
                        .warning, "profile \(name) needs no grants (the tool runs as the job's own build identity)",
                        at: entry.profileLocation))
                }
                let holder: JobIdentityHolder = if case .pipeline = subject { .subject } else { .none }
                let checks = profile.checks(scope: scope, index: index, jobIdentity: holder, location: entry.location,
                                            diagnostics: &diagnostics)
                requirements.append(Requirement(
                    id: entry.id, description: entry.description ?? profile.summary, subject: subject,
                    allow: checks + allow, origin: .profile(name), location: entry.location,
                    agent: context(of: subject, index, &agents), subjectLocation: entry.subjectLocation))
            case .fromAgent(let source):
                if let requirement = agents.requirement(entry, source) { requirements.append(requirement) }
            }
        }
        diagnostics += agents.diagnostics
        let errors = diagnostics.filter { $0.severity == .error }
        if !errors.isEmpty { throw DiagnosticError(sorted(errors)) }
        var desired = DesiredState(
            organization: manifest.organization, requirements: requirements, forbids: manifest.forbids,
            settings: manifest.settings, remediation: manifest.remediation, manifestSha256: manifest.manifestSha256)
        desired.warnings = sorted(diagnostics.filter { $0.severity != .error } + agents.warnings)
        return desired
    }

    /// The YAML context of a pipeline subject (nil for other subjects and unknown pipelines: the binder reports
    /// those).
    private static func context(of subject: SubjectRef, _ index: OrgIndex, _ agents: inout AgentExpansion)
        -> AgentContext?
    {
        guard case .pipeline(let projectName, let name) = subject, let project = index.project(named: projectName)
        else { return nil }
        let definition = Int(name).flatMap(index.definition(id:))
            ?? index.definitions(projectId: project.id, named: name).first
        return definition.flatMap { agents.pipelineContext($0) }
    }
}
