import Foundation
import Plan

extension OrgState {
    /// Decodes a snapshot's wire members into the planner's model, with the decoders the live client uses. Arrays
    /// come out in the snapshot's canonical order, so equal organizations give equal states whatever the order of
    /// the file.
    /// - Throws: `SnapshotError.invalid` naming the JSON path of the first member that is not ADO's shape.
    public init(snapshot: Snapshot) throws(SnapshotError) {
        do {
            self = try Self.decode(snapshot.canonicalized())
        } catch {
            throw .invalid(error)
        }
    }

    /// Reads a snapshot file's bytes.
    public init(snapshotData data: Data) throws(SnapshotError) {
        try self.init(snapshot: try Snapshot.decode(data))
    }

    private static func decode(_ snapshot: Snapshot) throws(WireError) -> OrgState {
        let organization = try SnapshotDecoding.organization(WireReader(snapshot.organization, path: "$.organization"))
        var state = OrgState(organization: organization)
        state.namespaces = try WireReader.elements(snapshot.securityNamespaces, path: "$.securityNamespaces")
            .map { r throws(WireError) in try SecurityDecoding.namespace(r) }
        state.identities = try WireReader.elements(snapshot.identities, path: "$.identities")
            .map { r throws(WireError) in try IdentityDecoding.identity(r).identity }
        state.memberships = try WireReader.elements(snapshot.memberships, path: "$.memberships")
            .map { r throws(WireError) in try IdentityDecoding.membership(r) }
        state.servicePrincipals = try WireReader.elements(
            snapshot.graph.servicePrincipals,
            path: "$.graph.servicePrincipals"
        )
        .map { r throws(WireError) in try IdentityDecoding.servicePrincipal(r) }
        state.projects = try WireReader.elements(snapshot.projects, path: "$.projects")
            .map { r throws(WireError) in try ResourceDecoding.project(r) }
        state.repositories = try WireReader.elements(snapshot.repositories, path: "$.repositories")
            .map { r throws(WireError) in try ResourceDecoding.repository(r) }
        state.wikis = try WireReader.elements(snapshot.wikis, path: "$.wikis")
            .map { r throws(WireError) in try ResourceDecoding.wiki(r) }
        state.buildDefinitions = try WireReader.elements(snapshot.buildDefinitions, path: "$.buildDefinitions")
            .map { r throws(WireError) in try ResourceDecoding.buildDefinition(r) }
        var settings = PipelineSettingsState(
            organization: try ResourceDecoding.pipelineSettings(
                WireReader(snapshot.pipelineSettings.organization, path: "$.pipelineSettings.organization")
            )
        )
        for (id, value) in snapshot.pipelineSettings.projects.sorted(by: { $0.key < $1.key }) {
            settings.projects[id.lowercased()] = try ResourceDecoding.pipelineSettings(
                WireReader(value, path: "$.pipelineSettings.projects[\"\(id)\"]")
            )
        }
        state.pipelineSettings = settings
        state.serviceEndpoints = try WireReader.elements(snapshot.serviceEndpoints, path: "$.serviceEndpoints")
            .map { r throws(WireError) in try ResourceDecoding.serviceEndpoint(r) }
        for (projectId, root) in snapshot.areas.sorted(by: { $0.key < $1.key }) {
            state.areas += try ResourceDecoding.areas(
                WireReader(root, path: "$.areas[\"\(projectId)\"]"),
                projectId: projectId
            )
        }
        for (namespaceId, acls) in snapshot.acls.sorted(by: { $0.key < $1.key }) {
            for acl in WireReader.elements(acls, path: "$.acls[\"\(namespaceId)\"]") {
                state.acls.append(try SecurityDecoding.acl(acl, namespaceId: namespaceId))
            }
        }
        state.files = snapshot.files
        return state
    }
}

enum SnapshotDecoding {
    static func organization(_ wire: WireReader) throws(WireError) -> OrganizationInfo {
        OrganizationInfo(
            name: try wire.string("name"),
            url: try wire.string("url"),
            collectionId: (try wire.string("collectionId")).lowercased(),
            hostId: (try wire.string("hostId")).lowercased(),
            tenantId: (try wire.string("tenantId")).lowercased()
        )
    }
}
