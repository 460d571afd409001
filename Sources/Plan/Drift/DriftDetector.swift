/// The drift comparison (issue 6, CONTRACTS.md §5): the manifest bound to the live organization, the journals'
/// verified changes and the previous run's state in; a report and the next state out. Pure — the CLI reads the
/// organization, the journals and the state file, and writes the outputs.
///
/// What counts as drift:
/// - a requirement (allow entry) that was satisfied — in a previous run, or made so by a journal's verified
///   change — no longer is; one never seen satisfied is *pending* (work for `adoperm plan`), not drift;
/// - a forbid rule matches; a declared setting differs;
/// - a verified journal change (the latest for its object, not rolled back) whose object no longer equals its
///   after-image (`reverted`: equals the before-image again; `altered`: neither);
/// - a pipeline's job identity differs from the expected one (the one under the declared settings, under a
///   journal's setting change, or the one recorded in an earlier run);
/// - on an `authoritative: true` allow entry, any bit the subject effectively holds on the token beyond the bits
///   the manifest declares for that subject and token (without the flag, bits on the subject's own ACE beyond the
///   declared ones are only a note).
///
/// Every item carries the planner's recommended remedy for it (or, for a journal change, its after-image to
/// re-apply).
public enum DriftDetector {
    /// Compares and returns the report and the state to keep for the next run.
    ///
    /// - Parameters:
    ///   - journal: changes of every journal, oldest run first (the latest verified change per object counts).
    ///   - previous: the previous run's state; ignored (with a note) when it belongs to another organization.
    ///   - checkedAt: ISO 8601 time of this run (the detector never reads a clock).
    public static func detect(
        _ bound: BoundDesiredState,
        index: OrgIndex,
        journal: [JournalChange] = [],
        previous: DriftState? = nil,
        checkedAt: String
    ) -> (report: DriftReport, state: DriftState) {
        var run = DriftRun(bound: bound, index: index, previous: previous, checkedAt: checkedAt)
        run.analyse(journal)
        run.compareChecks()
        run.compareSettings()
        run.compareIdentities()
        run.compareAuthoritative()
        run.addJournalItems()
        return run.finish()
    }

    /// The whole pipeline in one call — parse, expand, bind, compare — for tests and embedders.
    ///
    /// - Throws: `DiagnosticError` (every manifest, agent and binding error, one line each).
    public static func detect(
        manifest text: String,
        file: String,
        state: OrgState,
        localFiles: [String: String] = [:],
        journal: [JournalChange] = [],
        previous: DriftState? = nil,
        checkedAt: String
    ) throws -> (report: DriftReport, state: DriftState) {
        let index = OrgIndex(state)
        let manifest = try Manifest.parse(text, file: file)
        let desired = try ManifestExpander.expand(manifest, index: index, localFiles: localFiles)
        let bound = try Binder.bind(desired, to: index)
        return detect(bound, index: index, journal: journal, previous: previous, checkedAt: checkedAt)
    }

    /// The stable key of a check: requirement id, namespace, canonical token, subject as written, and bits — so a
    /// manifest edit that changes what is asked makes a new check rather than drift of the old one.
    public static func checkKey(_ check: BoundCheck, index: OrgIndex) -> String {
        let separator = index.namespace(check.resource.namespaceId)?.separator
        return [
            check.kind.rawValue, check.requirementId, check.resource.namespaceId,
            Tokens.canonical(check.resource.token, separator: separator), subjectKey(check.subjectRef),
            String(check.bits),
        ].joined(separator: "|")
    }

    static func subjectKey(_ subject: SubjectRef) -> String {
        switch subject {
        case .pipeline(let project, let name): "pipeline:\(project.lowercased())/\(name.lowercased())"
        case .serviceConnection(let project, let name): "connection:\(project.lowercased())/\(name.lowercased())"
        case .identity(let name): "identity:\(name.lowercased())"
        case .descriptor(let raw): "descriptor:\(raw.lowercased())"
        case .group(let name): "group:\(OrgIndex.normalizeGroupName(name))"
        }
    }
}
