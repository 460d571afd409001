import ADOClient
import Plan

/// The ADO reads and writes apply and rollback perform: the seam between the executor and the organization.
/// `ClientAPI` implements it with `OrganizationClient` (every write carries a read-back, so a write whose response
/// was lost is recognised instead of repeated or reported as failed).
public protocol OrganizationAPI: Sendable {
    /// The ACL stored for exactly `token`, nil when there is none.
    func accessControlList(namespaceId: String, token: String) async throws(ADOError) -> AccessControlList?
    /// Sets `descriptor`'s entry on `token` to exactly `state` (`merge: false`); `.absent` removes the entry.
    func setEntry(_ target: AceTarget, to state: AceState) async throws(ADOError)
    /// General pipeline settings of a project, or of the organization for nil.
    func settings(projectId: String?) async throws(ADOError) -> PipelineSettings
    func setSetting(projectId: String?, name: String, value: Bool) async throws(ADOError)
    /// The definition decoded, and its full JSON (the body an update sends back).
    func definition(projectId: String, id: Int) async throws(ADOError) -> (BuildDefinition, JSONValue)
    /// `PUT` of a full definition body (its `revision` must be the stored one).
    func updateDefinition(projectId: String, id: Int, body: JSONValue) async throws(ADOError)
}

extension OrganizationAPI {
    /// The descriptor's entry on the token (`.absent` without one).
    public func entry(_ target: AceTarget) async throws(ADOError) -> AceState {
        let acl = try await accessControlList(namespaceId: target.namespaceId, token: target.token)
        guard let entry = acl?.entries[target.descriptor] else { return .absent }
        return AceState(allow: entry.allow, deny: entry.deny)
    }
}

/// `OrganizationAPI` over the typed REST client.
public struct ClientAPI: OrganizationAPI {
    public let client: OrganizationClient

    public init(client: OrganizationClient) { self.client = client }

    public func accessControlList(namespaceId: String, token: String) async throws(ADOError) -> AccessControlList? {
        let lists = try await client.accessControlLists(namespaceId: namespaceId, token: token)
        let wanted = Self.comparable(token)
        return lists.first { Self.comparable($0.token) == wanted }
    }

    public func setEntry(_ target: AceTarget, to state: AceState) async throws(ADOError) {
        // No bits is written as the documented removal (DELETE accesscontrolentries → "Not set"), not as a
        // `merge: false` entry of 0/0: whether ADO keeps such an entry is UNCONFIRMED, and either way the effective
        // permissions and the plans' fingerprints (zero entries dropped) are the same. The emulator drops them.
        if state.isAbsent {
            _ = try await client.removeAccessControlEntries(
                namespaceId: target.namespaceId,
                token: target.token,
                descriptors: [target.descriptor],
                readBack: .entriesRemoved(
                    client,
                    namespaceId: target.namespaceId,
                    token: target.token,
                    descriptors: [target.descriptor]
                )
            )
            return
        }
        let entry = AccessControlEntry(descriptor: target.descriptor, allow: state.allow, deny: state.deny)
        _ = try await client.setAccessControlEntries(
            namespaceId: target.namespaceId,
            token: target.token,
            entries: [entry],
            merge: false,
            readBack: .aceWrite(
                client,
                namespaceId: target.namespaceId,
                token: target.token,
                entries: [entry],
                merge: false
            )
        )
    }

    public func settings(projectId: String?) async throws(ADOError) -> PipelineSettings {
        try await client.generalSettings(project: projectId)
    }

    public func setSetting(projectId: String?, name: String, value: Bool) async throws(ADOError) {
        _ = try await client.updateGeneralSettings(
            project: projectId,
            values: [name: value],
            readBack: .settings(client, project: projectId, values: [name: value])
        )
    }

    public func definition(projectId: String, id: Int) async throws(ADOError) -> (BuildDefinition, JSONValue) {
        // Two reads (the typed decoder is the client's); a revision between them means an edit raced us: read again.
        var attempts = 0
        while true {
            let body = try await client.buildDefinitionJSON(project: projectId, id: id)
            let decoded = try await client.buildDefinition(project: projectId, id: id)
            attempts += 1
            if body["revision"]?.intValue == decoded.revision || attempts >= 3 { return (decoded, body) }
        }
    }

    public func updateDefinition(projectId: String, id: Int, body: JSONValue) async throws(ADOError) {
        let client = self.client
        let sentRevision = body["revision"]?.intValue ?? 0
        let scope = body["jobAuthorizationScope"]
        _ = try await client.updateBuildDefinition(
            project: projectId,
            id: id,
            definition: body,
            readBack: ReadBack { () async throws(ADOError) -> JSONValue? in
                let live = try await client.buildDefinitionJSON(project: projectId, id: id)
                let revision = live["revision"]?.intValue ?? 0
                return revision > sentRevision && live["jobAuthorizationScope"] == scope ? live : nil
            }
        )
    }

    /// Tokens compare without case and without a trailing separator, as ADO matches them.
    static func comparable(_ token: String) -> String {
        var text = token.lowercased()
        while let last = text.last, last == "/" || last == "\\" { text.removeLast() }
        return text
    }
}
