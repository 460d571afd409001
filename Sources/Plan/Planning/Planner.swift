/// Turns a bound desired state into a plan: every check evaluated and explained, every gap with its remedies in
/// the mandated order (1 service connection, 2 job-scope toggle, 3 lift the deny — its narrower child Allow
/// first), every touched object fingerprinted.
public struct Planner {
    let index: OrgIndex
    let evaluator: Evaluator
    let policy: RemediationPolicy
    /// The manifest's `remediation.serviceConnection`, resolved.
    let writeConnectionId: String?
    /// Job identity of every definition, computed once.
    let jobIdentities: [Int: JobIdentity]
    /// Distinct job identities → number of definitions running as each.
    let jobIdentityCounts: [IdentityDescriptor: Int]
    /// Every allow check of each pipeline subject: the toggle changes the identity of all of them at once.
    let pipelineChecks: [Int: [BoundCheck]]
    var coverageCache: [IdentityDescriptor: Coverage] = [:]
    var toggleCache: [Int: ToggleAnalysis] = [:]
    var connectionUsersCache: [String: Int] = [:]
    /// `file|…` → digest of agent files a front-matter change edits (their text is known only at expansion).
    var fileFingerprints: [String: String] = [:]

    /// Identities and pipelines one descriptor's ACE reaches.
    struct Coverage {
        var identities: Set<IdentityDescriptor>
        var pipelines: Int
    }

    init(index: OrgIndex, policy: RemediationPolicy, writeConnectionId: String?, checks: [BoundCheck] = []) {
        self.index = index
        var byPipeline: [Int: [BoundCheck]] = [:]
        for check in checks where check.kind == .allow {
            if case .pipeline(let id, _) = check.subject { byPipeline[id, default: []].append(check) }
        }
        pipelineChecks = byPipeline
        self.evaluator = Evaluator(index: index)
        self.policy = policy
        self.writeConnectionId = writeConnectionId
        var identities: [Int: JobIdentity] = [:]
        var counts: [IdentityDescriptor: Int] = [:]
        for definition in index.state.buildDefinitions {
            let job = JobIdentity.of(definition, in: index)
            identities[definition.id] = job
            counts[job.descriptor, default: 0] += 1
        }
        jobIdentities = identities
        jobIdentityCounts = counts
    }

    /// Plans `bound` against `index`.
    ///
    /// - Parameters:
    ///   - createdAt: ISO 8601 timestamp written into the plan (the CLI passes `SOURCE_DATE_EPOCH` when set, so
    ///     runs are reproducible); the planner never reads a clock.
    ///   - organization: the organization URL to record; defaults to the state's.
    public static func makePlan(
        _ bound: BoundDesiredState,
        index: OrgIndex,
        createdAt: String,
        organization: String? = nil
    ) -> PlanDocument {
        var planner = Planner(index: index, policy: bound.desired.remediation, writeConnectionId: bound.writeConnectionId,
                              checks: bound.checks)
        var findings: [Finding] = []
        for check in bound.checks { findings.append(planner.finding(for: check)) }
        for setting in bound.settings { findings += planner.settingFindings(setting) }
        for position in findings.indices { planner.finish(&findings[position]) }
        var recommendedChanges: Set<String> = []
        var fingerprints: [String: String] = [:]
        for finding in findings {
            for remedy in finding.remedies {
                if remedy.recommended { recommendedChanges.formUnion(remedy.changes.map(\.id)) }
                for change in remedy.changes { planner.fingerprint(change, into: &fingerprints) }
            }
        }
        let summary = PlanSummary(
            requirements: findings.count,
            satisfied: findings.count { $0.status == .satisfied },
            gaps: findings.count { $0.status == .gap },
            excess: findings.count { $0.status == .excess },
            unresolvable: findings.count { $0.status == .unresolvable },
            changes: recommendedChanges.count)
        let warnings = bound.warnings.map(\.description)
        return PlanDocument(
            createdAt: createdAt, organization: organization ?? bound.desired.organization ?? index.state.organization.url,
            manifestSha256: bound.desired.manifestSha256, fingerprints: fingerprints, summary: summary,
            findings: findings, warnings: warnings.isEmpty ? nil : warnings)
    }

    /// Drops excluded remedy kinds and marks the first viable remedy as recommended.
    func finish(_ finding: inout Finding) {
        var excluded = policy.exclude
        if excluded.contains(Remedy.Kind.liftDeny.rawValue) { excluded.insert(Remedy.Kind.childAllow.rawValue) }
        finding.remedies.removeAll { excluded.contains($0.kind.rawValue) }
        if let first = finding.remedies.firstIndex(where: { $0.status == .viable }) {
            finding.remedies[first].recommended = true
        }
    }

    // MARK: Checks

    mutating func finding(for check: BoundCheck) -> Finding {
        let subject = SubjectResolver.resolve(check.subject, in: index)
        var finding = Finding(requirement: check.requirementId, status: .satisfied)
        finding.location = check.location?.description
        finding.origin = check.reason
        finding.subject = info(subject)
        let namespace = index.namespace(check.resource.namespaceId)
        finding.namespace = NamespaceInfo(id: check.resource.namespaceId, name: namespace?.title ?? check.resource.namespaceId)
        finding.token = check.resource.token
        finding.resource = check.resource.label
        finding.requested = check.permissionNames
        finding.requestedBits = check.bits
        guard let namespace else { return finding }
        guard let descriptor = subject.descriptor else {
            finding.status = .unresolvable
            let endpoint = subject.endpoint
            let application = endpoint?.servicePrincipalId ?? "unknown"
            finding.message = "the service principal of \(subject.label) (application id \(application)) is not a user "
                + "of the organization, so nothing can be granted to it"
            finding.remedies = [Remedy(
                rank: 1, kind: .grant, status: .manual,
                reason: "Add the service principal to the organization first; then plan again to get its grants.",
                changes: [addServicePrincipalStep(endpoint)])]
            return finding
        }
        // Masks first; causes and grants only for the checks that report them (most requirements hold).
        let masks = evaluator.evaluate(
            namespaceId: namespace.id, token: check.resource.token, subject: descriptor, bits: check.bits,
            explain: false)
        switch check.kind {
        case .allow where masks.isSatisfied: return finding
        case .forbid where masks.allowed == 0: return finding
        default: break
        }
        let evaluation = evaluator.evaluate(
            namespaceId: namespace.id, token: check.resource.token, subject: descriptor, bits: check.bits)
        switch check.kind {
        case .allow:
            guard !evaluation.isSatisfied else { return finding }
            finding.status = .gap
            finding.missing = names(evaluation.missing, namespace)
            finding.missingBits = evaluation.missing
            let causes = evaluation.causes.map { cause($0, namespace) }
            finding.cause = causes.first
            finding.causes = causes.count > 1 ? causes : nil
            let gap = Gap(check: check, subject: subject, descriptor: descriptor, namespace: namespace,
                          evaluation: evaluation)
            finding.remedies = [serviceConnectionRemedy(gap), jobScopeRemedy(gap)] + denyRemedies(gap)
        case .forbid:
            let excess = evaluation.allowed
            guard excess != 0 else { return finding }
            finding.status = .excess
            finding.excess = names(excess, namespace)
            finding.excessBits = excess
            finding.grants = evaluation.grants.map { grant($0, namespace) }
            let gap = Gap(check: check, subject: subject, descriptor: descriptor, namespace: namespace,
                          evaluation: evaluation)
            finding.remedies = excessRemedies(gap)
        }
        return finding
    }

    /// A gap (or excess) under remedy: the check, its resolved subject and the evaluation.
    struct Gap {
        let check: BoundCheck
        let subject: ResolvedSubject
        let descriptor: IdentityDescriptor
        let namespace: SecurityNamespace
        let evaluation: Evaluation

        var token: String { check.resource.token }
        var missing: Int { evaluation.missing }
    }

    /// `Payments/payments-api/agents/x.md` for a repository file, the local path for a local one.
    static func fileName(of target: JSONValue) -> String {
        if let file = target["file"]?.stringValue { return file }
        return [target["project"]?.stringValue, target["repository"]?.stringValue, target["path"]?.stringValue]
            .compactMap { $0 }.joined(separator: "/")
    }

    func info(_ subject: ResolvedSubject) -> SubjectInfo {
        SubjectInfo(
            descriptor: subject.descriptor?.rawValue, displayName: subject.displayName, kind: subject.kind.rawValue,
            label: subject.label, jobScope: subject.job?.scope.rawValue, jobScopeReason: subject.job?.reason.rawValue)
    }

    func fingerprint(_ change: Change, into fingerprints: inout [String: String]) {
        switch change.kind {
        case .ace:
            guard let namespaceId = change.target["namespaceId"]?.stringValue,
                let token = change.target["token"]?.stringValue
            else { return }
            fingerprints["\(namespaceId)|\(token)"] = Fingerprint.acl(index.acl(namespaceId: namespaceId, token: token))
        case .pipelineSetting:
            let projectId = change.target["projectId"]?.stringValue
            let settings = projectId.map { index.state.pipelineSettings.projects[$0] ?? PipelineSettings() }
                ?? index.state.pipelineSettings.organization
            fingerprints[Fingerprint.settingsKey(projectId: projectId)] = Fingerprint.settings(settings)
        case .definition:
            guard let id = change.target["definitionId"]?.intValue, let definition = index.definition(id: id) else { return }
            fingerprints[Fingerprint.definitionKey(id)] = Fingerprint.definition(definition)
        case .frontMatter:
            let key = Fingerprint.fileKey(Self.fileName(of: change.target))
            if let digest = fileFingerprints[key] { fingerprints[key] = digest }
        case .manual:
            return
        }
    }
}
