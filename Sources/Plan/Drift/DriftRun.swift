/// One drift comparison in progress (see `DriftDetector`): the plan of the current state, and what the steps have
/// found so far.
struct DriftRun {
    let bound: BoundDesiredState
    let index: OrgIndex
    let evaluator: Evaluator
    let plan: PlanDocument
    /// The previous state, when it belongs to this organization.
    let previous: DriftState?
    let checkedAt: String
    /// `DriftDetector.checkKey` of each bound check, in order.
    let checkKeys: [String]

    var items: [DriftItem] = []
    var notes: [DriftNote] = []
    /// Allow checks satisfied now, or made satisfied by a journal change.
    var satisfied: Set<String> = []
    /// Requirement ids with an allow check that is pending.
    var pendingMessages: [String: String] = [:]
    var journal: [JournalFinding] = []
    /// Check offset → journal changes that had made that (now failing) check hold.
    var madeHold: [Int: [DriftJournalRef]] = [:]
    /// Identity each pipeline is expected to run as when a declared setting or a journal change says so.
    var expectedIdentities: [Int: ExpectedIdentity] = [:]
    /// Definition id → identity to remember for the next run.
    var identityRecords: [String: PipelineIdentity] = [:]

    /// An identity a pipeline should run as, and what says so.
    struct ExpectedIdentity {
        var identity: JobIdentity
        var owner: CheckRef
        var remedy: DriftRemedy?
        var journal: [DriftJournalRef]?
        var because: String
    }

    init(bound: BoundDesiredState, index: OrgIndex, previous: DriftState?, checkedAt: String) {
        self.bound = bound
        self.index = index
        self.evaluator = Evaluator(index: index)
        self.checkedAt = checkedAt
        self.plan = Planner.makePlan(bound, index: index, createdAt: checkedAt)
        self.checkKeys = bound.checks.map { DriftDetector.checkKey($0, index: index) }
        let collectionId = index.state.organization.collectionId.lowercased()
        if let previous, previous.collectionId.lowercased() != collectionId {
            self.previous = nil
            notes.append(
                DriftNote(
                    .state,
                    id: nil,
                    "the drift state belongs to another organization "
                        + "(\(previous.organization)); starting a new baseline"
                )
            )
        } else {
            self.previous = previous
        }
        for warning in bound.warnings { notes.append(DriftNote(.warning, id: nil, warning.description)) }
    }

    // MARK: Helpers

    var settingFindings: ArraySlice<Finding> { plan.findings[bound.checks.count...] }

    /// A state to evaluate a question in: the live one, or the live one with a change applied.
    struct Scenario {
        let index: OrgIndex
        let evaluator: Evaluator
    }

    var live: Scenario { Scenario(index: index, evaluator: evaluator) }

    /// Whether `check` holds in `scenario` (allow: every bit allowed; forbid: none allowed); nil when its subject
    /// or namespace cannot be resolved.
    func holds(_ check: BoundCheck, in scenario: Scenario) -> Bool? {
        let subject = SubjectResolver.resolve(check.subject, in: scenario.index)
        guard let descriptor = subject.descriptor, index.namespace(check.resource.namespaceId) != nil else {
            return nil
        }
        let evaluation = scenario.evaluator.evaluate(
            namespaceId: check.resource.namespaceId,
            token: check.resource.token,
            subject: descriptor,
            bits: check.bits,
            explain: false
        )
        return check.kind == .allow ? evaluation.isSatisfied : evaluation.allowed == 0
    }

    /// The live state with pipeline settings changed (`projectId` nil = the organization's).
    func scenario(settings: [(projectId: String?, name: String, value: Bool)]) -> Scenario {
        var state = index.state
        for setting in settings {
            if let projectId = setting.projectId?.lowercased() {
                state.pipelineSettings.projects[projectId, default: PipelineSettings()].values[setting.name] =
                    setting.value
            } else {
                state.pipelineSettings.organization.values[setting.name] = setting.value
            }
        }
        let changed = OrgIndex(state)
        return Scenario(index: changed, evaluator: Evaluator(index: changed))
    }

    /// The live state with one definition's job authorization scope changed.
    func scenario(definitionId: Int, scope: JobAuthorizationScope) -> Scenario {
        var state = index.state
        for position in state.buildDefinitions.indices where state.buildDefinitions[position].id == definitionId {
            state.buildDefinitions[position].jobAuthorizationScope = scope
        }
        let changed = OrgIndex(state)
        return Scenario(index: changed, evaluator: Evaluator(index: changed))
    }

    /// The live state with pipeline-setting and definition changes of a remedy applied.
    func scenario(applying changes: [Change]) -> Scenario? {
        var settings: [(projectId: String?, name: String, value: Bool)] = []
        for change in changes where change.kind == .pipelineSetting {
            guard let name = change.target["setting"]?.stringValue, let value = change.after.boolValue else { continue }
            settings.append((change.target["projectId"]?.stringValue, name, value))
        }
        return settings.isEmpty ? nil : scenario(settings: settings)
    }

    /// `GenericRead|PullRequestContribute`.
    func names(_ bits: Int, _ namespaceId: String) -> String {
        guard let namespace = index.namespace(namespaceId) else { return "bits \(bits)" }
        return Planner.names(bits, namespace).joined(separator: "|")
    }

    /// `allow GenericRead (2), deny PullRequestContribute|… (16404)`, or `no entry`.
    func aceText(allow: Int, deny: Int, _ namespaceId: String) -> String {
        if allow == 0 && deny == 0 { return "no entry" }
        var parts: [String] = []
        if allow != 0 { parts.append("allow \(names(allow, namespaceId)) (\(allow))") }
        if deny != 0 { parts.append("deny \(names(deny, namespaceId)) (\(deny))") }
        return parts.joined(separator: ", ")
    }

    /// The ACE of `descriptor` on `token` as a drift item shows it (live bits, or nil when there is no entry).
    func ace(namespaceId: String, token: String, descriptor: String) -> DriftACE {
        let namespace = index.namespace(namespaceId)
        let entry = index.acl(namespaceId: namespaceId, token: token)?.entries[IdentityDescriptor(descriptor)]
        return DriftACE(
            namespaceId: namespaceId.lowercased(),
            namespace: namespace?.title ?? namespaceId,
            token: token,
            resource: namespace == nil ? nil : index.label(namespaceId: namespaceId, token: token),
            descriptor: descriptor,
            displayName: index.displayName(IdentityDescriptor(descriptor)),
            allow: entry?.allow,
            deny: entry?.deny
        )
    }

    /// The first requirement whose subject is this pipeline.
    func requirement(ofPipeline definitionId: Int) -> String? {
        bound.checks.first { check in
            if check.kind == .allow, case .pipeline(let id, _) = check.subject { return id == definitionId }
            return false
        }?.requirementId
    }
}
