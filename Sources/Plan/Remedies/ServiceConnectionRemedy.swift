/// Remedy 1: move the pipeline's writes to a service connection whose service principal holds the bits
/// (DESIGN.md; reference/ado-aw.md §3). The job identity keeps its Deny; checkout still runs as the job identity.
extension Planner {
    mutating func serviceConnectionRemedy(_ gap: Gap) -> Remedy {
        func remedy(_ status: Remedy.Status, _ reason: String, _ radius: BlastRadius? = nil, _ changes: [Change] = [])
            -> Remedy
        {
            Remedy(rank: 1, kind: .serviceConnection, status: status, reason: reason, blastRadius: radius, changes: changes)
        }
        let perms = joined(gap.missing, gap.namespace)
        switch gap.subject.kind {
        case .serviceConnection:
            return remedy(.notApplicable, "The subject already is the service principal of \(gap.subject.label).")
        case .identity, .group:
            return remedy(.notApplicable, "The subject is \(gap.subject.label), not a pipeline: only a pipeline's "
                          + "writes can move to a service connection.")
        case .pipeline:
            break
        }
        if gap.check.jobIdentityOnly {
            return remedy(.notApplicable, "Checkout and prepare-pr-base run with System.AccessToken even when "
                          + "permissions.write is set, so the job identity itself needs \(perms).")
        }
        let agent = gap.check.agent
        if agent?.crossBuildUpload == true {
            return remedy(.blocked, "upload-pipeline-artifact publishes into other builds; under a service-connection "
                          + "token it fails with ContainerWriteAccessDeniedException (ado-aw#471), because the file "
                          + "container is keyed to the job's own build identity.")
        }
        let projectId = gap.subject.definition?.projectId ?? gap.check.resource.projectId ?? ""
        let projectName = index.project(id: projectId)?.name ?? projectId
        let endpoint = connection(for: agent, projectId: projectId)
        guard let endpoint else {
            let markdown = agent?.isAgent == true ? agent?.path : nil
            var steps = [
                "create an Azure Resource Manager service connection (workload identity federation) in project "
                    + "\(projectName)",
                "add its service principal to the organization as a user with access level Basic (Organization "
                    + "settings → Users)",
                "grant the service principal \(perms) on \(gap.check.resource.label)",
            ]
            if let markdown {
                steps.append("set `permissions.write: <connection name>` in \(markdown)")
                steps.append("recompile the lock with `ado-aw compile \(markdown)` and commit it")
            }
            steps.append("or name the connection under `remediation.serviceConnection` and plan again")
            return remedy(.manual, "No write service connection is named (remediation.serviceConnection or "
                          + "permissions.write), so its grant cannot be computed yet.",
                          BlastRadius(scope: index.scopeWord(namespaceId: gap.namespace.id, token: gap.token),
                                      identities: 1, pipelines: 1),
                          [Change.manual("create-service-connection", steps)])
        }
        var changes: [Change] = []
        var status = Remedy.Status.viable
        var notes: [String] = []
        if !endpoint.projectReferences.contains(where: { $0.projectId == projectId }) {
            changes.append(Change.manual("share-service-connection", [
                "share service connection \(endpoint.name) into project \(projectName) (Project settings → Service "
                    + "connections → Security → Project permissions)"
            ]))
            status = .needsCompanion
            notes.append("it must first be shared into \(projectName)")
        }
        guard let principal = index.servicePrincipalIdentity(of: endpoint) else {
            return remedy(.manual, "The service principal of \(endpoint.name) is not a user of the organization yet; "
                          + "add it, then plan again to get its grant.", nil, changes + [addServicePrincipalStep(endpoint)])
        }
        // The principal must hold every requested bit on the token (reads included), and no Deny may reach it.
        let evaluation = evaluator.evaluate(
            namespaceId: gap.namespace.id, token: gap.token, subject: principal, bits: gap.check.bits)
        if let deny = evaluation.causes.first(where: { $0.kind != .notSet }) {
            let what = joined(deny.bits, gap.namespace)
            let reason = deny.kind == .groupDeny
                ? "\(describe(deny, gap.namespace).capitalizedFirst) denies \(what) and reaches the service principal "
                    + "of \(endpoint.name) too: the connection would fail the same way."
                : "The service principal of \(endpoint.name) is itself denied \(what) "
                    + "(\(describe(deny, gap.namespace))): lifting that is remedy 3's kind of change."
            return remedy(.blocked, reason)
        }
        var edits: [AceEdit] = []
        if evaluation.missing != 0 {
            let edit = allowEdit(evaluator, gap.namespace, gap.token, principal, evaluation.missing)
            guard evaluator.applying([edit]).evaluate(
                namespaceId: gap.namespace.id, token: gap.token, subject: principal, bits: gap.check.bits, explain: false
            ).isSatisfied else {
                return remedy(.blocked, "An Allow on the token does not give the service principal \(perms).")
            }
            edits.append(edit)
            changes.insert(change(for: edit, gap.namespace), at: 0)
        }
        var radius = blastRadius(edits)
        if edits.isEmpty { radius = BlastRadius(scope: index.scopeWord(namespaceId: gap.namespace.id, token: gap.token),
                                                identities: 1, pipelines: 0) }
        radius.pipelines = max(connectionUsers(endpoint.name), 0) + (agent?.writeConnection == endpoint.name ? 0 : 1)
        guard let agent, agent.isAgent else {
            changes.append(Change.manual("use-service-connection", [
                "make the pipeline mint a token from \(endpoint.name) (AzureCLI@2: `az account get-access-token "
                    + "--resource 499b84ac-1321-427f-aa17-267ca6975798`) and use it for the calls that need \(perms)"
            ]))
            return remedy(.manual, "Grant the service principal of \(endpoint.name) and have the pipeline write with "
                          + "its token; the pipeline is not an ado-aw agent, so that is a YAML change adoperm cannot "
                          + "make.", radius, changes)
        }
        if agent.declaredWriteConnection != endpoint.name {
            changes.append(Change.frontMatter(agent, key: "permissions.write", before: agent.declaredWriteConnection,
                                              after: endpoint.name))
            if let digest = agent.sourceSha256 {
                let file = agent.isLocalFile ? agent.path : "\(agent.project)/\(agent.repository ?? "")/\(agent.path)"
                fileFingerprints[Fingerprint.fileKey(file)] = digest
            }
        }
        if agent.writeConnection != endpoint.name {
            changes.append(Change.manual("recompile-lock", [
                "recompile the lock with `ado-aw compile \(agent.path)` and commit \(agent.lockPath) (the first run "
                    + "asks to authorize \(endpoint.name) for the pipeline unless it already is)"
            ]))
        }
        let grantText = edits.isEmpty
            ? "its service principal already holds \(joined(gap.check.bits, gap.namespace))"
            : "its service principal gets \(joined(evaluation.missing, gap.namespace)) on \(gap.check.resource.label)"
        let reason = "Write through service connection \(endpoint.name): \(grantText) and \(agent.path) names it under "
            + "permissions.write; the job identity keeps its current permissions"
            + (notes.isEmpty ? "." : ", but \(notes.joined(separator: "; ")).")
        return remedy(status, reason, radius, changes)
    }

    /// The connection remedy 1 uses: the manifest's `remediation.serviceConnection`, else the agent's declared
    /// `permissions.write`.
    func connection(for agent: AgentContext?, projectId: String) -> ServiceEndpoint? {
        if let id = writeConnectionId { return index.state.serviceEndpoints.first { $0.id == id } }
        guard let name = agent?.declaredWriteConnection else { return nil }
        return index.endpoint(projectId: projectId, named: name)
    }
}

extension String {
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
