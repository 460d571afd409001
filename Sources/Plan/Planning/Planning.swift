/// The whole planning pipeline in one call: parse → expand → bind → plan. Every input is a value: the manifest
/// text, the organization state, the local agent files the CLI read, and the timestamp.
public enum Planning {
    /// Plans a manifest against an organization state.
    ///
    /// - Throws: `DiagnosticError` (every manifest, agent and binding error, one line each).
    public static func plan(
        manifest text: String,
        file: String,
        state: OrgState,
        localFiles: [String: String] = [:],
        createdAt: String
    ) throws -> PlanDocument {
        let index = OrgIndex(state)
        let manifest = try Manifest.parse(text, file: file)
        let desired = try ManifestExpander.expand(manifest, index: index, localFiles: localFiles)
        let bound = try Binder.bind(desired, to: index)
        return Planner.makePlan(bound, index: index, createdAt: createdAt).sealed()
    }
}
