/// A bound subject turned into the identity descriptor the evaluator checks, under the current settings.
public struct ResolvedSubject: Sendable, Equatable {
    public enum Kind: String, Sendable, Hashable, Codable {
        case pipeline
        case serviceConnection = "service-connection"
        case identity
        case group
    }

    public var kind: Kind
    /// Nil when a service connection's principal is not an organization user (nothing can be granted to it).
    public var descriptor: IdentityDescriptor?
    public var displayName: String
    /// `pipeline Payments/payments-pr-reviewer`, `service connection Payments/ado-aw-write`, `backup@contoso.com`.
    public var label: String
    /// For pipelines: the job identity and why.
    public var job: JobIdentity?
    public var definition: BuildDefinition?
    public var endpoint: ServiceEndpoint?
}

/// Resolves bound subjects (pipeline → job identity, service connection → its service principal, names →
/// identities).
public enum SubjectResolver {
    public static func resolve(_ subject: BoundSubject, in index: OrgIndex) -> ResolvedSubject {
        switch subject {
        case .identity(let descriptor):
            let identity = index.identity(descriptor)
            return ResolvedSubject(
                kind: identity?.isContainer == true ? .group : .identity, descriptor: descriptor,
                displayName: identity?.displayName ?? descriptor.rawValue,
                label: identity.map { $0.account.flatMap { $0.contains("@") ? $0 : nil } ?? $0.displayName }
                    ?? descriptor.rawValue)
        case .pipeline(let definitionId, let projectId):
            let definition = index.definition(id: definitionId)
            let job = definition.map { JobIdentity.of($0, in: index) }
                ?? JobIdentity.projectScoped(projectId: projectId, in: index, reason: .unrestricted)
            let projectName = index.project(id: projectId)?.name ?? projectId
            return ResolvedSubject(
                kind: .pipeline, descriptor: job.descriptor, displayName: job.displayName,
                label: "pipeline \(projectName)/\(definition?.name ?? String(definitionId))", job: job,
                definition: definition)
        case .serviceConnection(let endpointId, let descriptor):
            let endpoint = index.state.serviceEndpoints.first { $0.id == endpointId }
            let projectName = endpoint?.projectReferences.first.flatMap { index.project(id: $0.projectId)?.name }
            let name = descriptor.map(index.displayName) ?? endpoint?.name ?? endpointId
            return ResolvedSubject(
                kind: .serviceConnection, descriptor: descriptor, displayName: name,
                label: "service connection \(projectName.map { $0 + "/" } ?? "")\(endpoint?.name ?? endpointId)",
                endpoint: endpoint)
        }
    }
}
