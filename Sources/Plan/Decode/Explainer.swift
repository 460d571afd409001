/// `adoperm explain` with an organization: the single-gap plan of a decoded error. The resource comes from the
/// error when it names one (TF401019 repository, VS800075 project, TF215106 definition, TF50309 organization);
/// for TF401027, whose message names only the scope, the candidates are the tokens where the identity is DENIED
/// the bit (where the Deny lives decides the fix), else — for a project build service — its project's
/// repositories lacking it.
public enum Explainer {
    /// At most this many candidate tokens per error (an identity denied everywhere is one cause, not 10,000).
    public static let maximumCandidates = 10

    /// The requirements that reproduce `errors`, one per error that names an identity and a permission.
    ///
    /// - Parameters:
    ///   - pipeline: the pipeline that failed, when the caller knows it (`--pipeline Project/name`): the subject
    ///     becomes its job identity, so remedies 1 and 2 apply.
    ///   - remediation: the write connection remedy 1 should use (`--service-connection Project/name`).
    public static func desiredState(
        for errors: [DecodedError],
        index: OrgIndex,
        pipeline: SubjectRef? = nil,
        remediation: RemediationPolicy = RemediationPolicy()
    ) -> (DesiredState, notes: [String]) {
        var requirements: [Requirement] = []
        var notes: [String] = []
        var agents = AgentExpansion(index: index, localFiles: [:])
        var context: AgentContext?
        if case .pipeline(let projectName, let name) = pipeline, let project = index.project(named: projectName),
            let definition = Int(name).flatMap(index.definition(id:))
                ?? index.definitions(projectId: project.id, named: name).first
        {
            context = agents.pipelineContext(definition)
        }
        for (offset, error) in errors.enumerated() {
            let id = "explain-\(offset + 1)-\(error.code)"
            guard error.isPermissionError, error.bits != 0, let namespaceId = error.namespaceId else {
                notes.append("\(error.code): no permission to evaluate")
                continue
            }
            let subject: SubjectRef
            if let pipeline {
                subject = pipeline
            } else if let descriptor = error.identity?.descriptor {
                subject = .descriptor(descriptor.rawValue)
                // A job identity's gap is one pipeline's problem: only with the pipeline can remedies 1 and 2 apply.
                if descriptor.identityType == "Microsoft.TeamFoundation.ServiceIdentity", descriptor.identifier.contains(":Build:") {
                    notes.append("\(error.code): \(error.identity?.displayName ?? "the identity") is a pipeline's job "
                                 + "identity; pass --pipeline Project/name (the pipeline that failed) to rank the "
                                 + "service-connection and job-scope remedies")
                }
            } else {
                notes.append("\(error.code): the message names no identity of the organization; pass the pipeline "
                             + "that failed to get its plan")
                continue
            }
            let evaluated = subjectDescriptor(subject, error, index)
            let resources = candidates(error, namespaceId: namespaceId, subject: evaluated, index: index)
            if resources.isEmpty {
                notes.append("\(error.code): \(error.identity?.displayName ?? "the identity") holds "
                             + "\(error.permissions.joined(separator: "|")) wherever the error could apply; the state "
                             + "may have changed since the error")
                continue
            }
            if error.code == "TF401027", error.scope == "branch" {
                notes.append("TF401027 scope 'branch': the candidates are repository tokens; a Deny on a branch folder "
                             + "shows only when the branch is named in a manifest (git: { …, branch: … })")
            }
            let checks = resources.map { PermissionCheck(resource: $0, permissions: error.permissions, reason: error.code) }
            requirements.append(Requirement(id: id, description: error.message, subject: subject, allow: checks,
                                            agent: pipeline == nil ? nil : context))
        }
        let desired = DesiredState(organization: index.state.organization.url, requirements: requirements,
                                   remediation: remediation,
                                   manifestSha256: sha256Hex(errors.map(\.message).joined(separator: "\n")))
        return (desired, notes)
    }

    /// The plan of `errors` (bound and planned like a manifest).
    public static func plan(
        for errors: [DecodedError],
        index: OrgIndex,
        pipeline: SubjectRef? = nil,
        remediation: RemediationPolicy = RemediationPolicy(),
        createdAt: String
    ) throws -> (PlanDocument, notes: [String]) {
        let (desired, notes) = desiredState(for: errors, index: index, pipeline: pipeline, remediation: remediation)
        let bound = try Binder.bind(desired, to: index)
        return (Planner.makePlan(bound, index: index, createdAt: createdAt).sealed(), notes)
    }

    private static func subjectDescriptor(_ subject: SubjectRef, _ error: DecodedError, _ index: OrgIndex)
        -> IdentityDescriptor?
    {
        switch subject {
        case .descriptor(let raw): return IdentityDescriptor(raw)
        case .pipeline(let projectName, let name):
            guard let project = index.project(named: projectName),
                let definition = Int(name).flatMap(index.definition(id:)) ?? index.definitions(projectId: project.id, named: name).first
            else { return error.identity?.descriptor }
            return JobIdentity.of(definition, in: index).descriptor
        default: return error.identity?.descriptor
        }
    }

    private static func candidates(
        _ error: DecodedError,
        namespaceId: String,
        subject: IdentityDescriptor?,
        index: OrgIndex
    ) -> [ResourceRef] {
        switch namespaceId {
        case NamespaceID.collection: return [.organization]
        case NamespaceID.process: return [.process(name: "*")]
        case NamespaceID.project:
            return (error.projectId.flatMap(index.project(id:))).map { [.project(name: $0.name)] } ?? []
        case NamespaceID.build:
            guard let id = error.definitionId, let definition = index.definition(id: id),
                let project = index.project(id: definition.projectId)
            else { return [] }
            return [.build(project: project.name, definition: String(id))]
        case NamespaceID.git:
            if let name = error.repository {
                let repository = index.state.repositories.first { $0.name.lowercased() == name.lowercased() || $0.id == name.lowercased() }
                return repository.flatMap { repo in index.project(id: repo.projectId).map { [.git(project: $0.name, repository: repo.name, branch: nil)] } } ?? []
            }
            guard let subject else { return [] }
            let evaluator = Evaluator(index: index)
            let repositories = index.state.repositories.filter { !$0.isDisabled }
            func lacking(_ repositories: [Repository], denied: Bool) -> [Repository] {
                repositories.filter { repository in
                    let token = Tokens.gitRepository(projectId: repository.projectId, repositoryId: repository.id)
                    let result = evaluator.evaluate(namespaceId: NamespaceID.git, token: token, subject: subject,
                                                    bits: error.bits, explain: false)
                    return denied ? result.denied != 0 : result.missing != 0
                }
            }
            var found = lacking(repositories, denied: true)
            if found.isEmpty, let projectId = error.identity?.projectId {
                found = lacking(repositories.filter { $0.projectId == projectId }, denied: false)
            }
            return found.prefix(maximumCandidates).compactMap { repository in
                index.project(id: repository.projectId).map { .git(project: $0.name, repository: repository.name, branch: nil) }
            }
        default:
            return []
        }
    }
}
