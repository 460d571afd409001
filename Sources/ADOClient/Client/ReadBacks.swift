import Plan

/// Ready-made read-backs for the writes `Apply` performs: each reads the current state and says whether the write
/// it guards is already in effect (then returns what the write would have returned).
extension ReadBack where T == [AccessControlEntry] {
    /// For `setAccessControlEntries`: with `merge: false` the stored entries must equal `entries`; with
    /// `merge: true` they must contain every allow and deny bit sent (and not the opposite side of it).
    public static func aceWrite(
        _ client: OrganizationClient,
        namespaceId: String,
        token: String,
        entries: [AccessControlEntry],
        merge: Bool
    ) -> ReadBack {
        ReadBack { () async throws(ADOError) -> [AccessControlEntry]? in
            let stored = try await client.accessControlLists(namespaceId: namespaceId, token: token).first?.entries ?? [:]
            var result: [AccessControlEntry] = []
            for entry in entries {
                let current = stored[entry.descriptor] ?? AccessControlEntry(descriptor: entry.descriptor, allow: 0, deny: 0)
                let applied =
                    merge
                    ? current.allow & entry.allow == entry.allow && current.deny & entry.deny == entry.deny
                        && current.deny & entry.allow == 0 && current.allow & entry.deny == 0
                    : current.allow == entry.allow && current.deny == entry.deny
                guard applied else { return nil }
                result.append(current)
            }
            return result
        }
    }
}

extension ReadBack where T == AccessControlEntry {
    /// For `removePermission`: neither allow nor deny holds any of `bits` any more.
    public static func permissionRemoval(
        _ client: OrganizationClient,
        namespaceId: String,
        bits: Int,
        descriptor: IdentityDescriptor,
        token: String
    ) -> ReadBack {
        ReadBack { () async throws(ADOError) -> AccessControlEntry? in
            let stored = try await client.accessControlLists(namespaceId: namespaceId, token: token).first?.entries
            let current = stored?[descriptor] ?? AccessControlEntry(descriptor: descriptor, allow: 0, deny: 0)
            return (current.allow | current.deny) & bits == 0 ? current : nil
        }
    }
}

extension ReadBack where T == Bool {
    /// For `removeAccessControlEntries`: none of the descriptors has an entry on the token any more.
    public static func entriesRemoved(
        _ client: OrganizationClient,
        namespaceId: String,
        token: String,
        descriptors: [IdentityDescriptor]
    ) -> ReadBack {
        ReadBack { () async throws(ADOError) -> Bool? in
            let stored = try await client.accessControlLists(namespaceId: namespaceId, token: token).first?.entries ?? [:]
            return descriptors.allSatisfy { stored[$0] == nil } ? true : nil
        }
    }
}

extension ReadBack where T == PipelineSettings {
    /// For `updateGeneralSettings`: every value sent is what the service now reports.
    public static func settings(_ client: OrganizationClient, project: String?, values: [String: Bool]) -> ReadBack {
        ReadBack { () async throws(ADOError) -> PipelineSettings? in
            let current = try await client.generalSettings(project: project)
            return values.allSatisfy { current.values[$0.key] == $0.value } ? current : nil
        }
    }
}
