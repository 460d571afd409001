/// Turns a parsed manifest into plain requirements: profiles become their permission sets, `from-agent` entries
/// become the agent's subject and the permissions its safe-output tools need.
public enum ManifestExpander {
    /// Expands `manifest` against `index` (projects for `scope: { projects: ["*"] }`, repository files for agents).
    ///
    /// - Parameter localFiles: local files the CLI read for `from-agent: { file: … }` entries, by the path as
    ///   written in the manifest (and their `.lock.yml` siblings).
    public static func expand(
        _ manifest: Manifest,
        index: OrgIndex,
        localFiles: [String: String] = [:]
    ) throws -> DesiredState {
        var diagnostics: [Diagnostic] = []
        var requirements: [Requirement] = []
        for entry in manifest.entries {
            switch entry.body {
            case .explicit(let subject, let allow):
                requirements.append(Requirement(
                    id: entry.id, description: entry.description, subject: subject, allow: allow,
                    origin: .manifest, location: entry.location, subjectLocation: entry.subjectLocation))
            case .profile(let name, _, _, _):
                diagnostics.append(Diagnostic(.error, "profile '\(name)' cannot be expanded yet",
                                              at: entry.profileLocation))
            case .fromAgent(let source):
                diagnostics.append(Diagnostic(.error, "from-agent cannot be expanded yet", at: source.location))
            }
        }
        if !diagnostics.isEmpty { throw DiagnosticError(diagnostics) }
        return DesiredState(
            organization: manifest.organization, requirements: requirements, forbids: manifest.forbids,
            settings: manifest.settings, remediation: manifest.remediation, manifestSha256: manifest.manifestSha256)
    }
}
