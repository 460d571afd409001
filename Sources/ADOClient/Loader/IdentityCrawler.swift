import Plan

/// Loads identities by descriptor, level by level, with `queryMembership=Direct`, until every group an identity
/// is in (transitively) is loaded; and, for the groups that hold ACEs, every member (transitively).
///
/// Direct queries, not `ExpandedUp`, because the planner explains a denial by its group path
/// (`[Payments]\Project Valid Users` → …), which flattened closures lose. Each level costs one batched request per
/// ~40 identities; real group nesting is a handful of levels deep.
struct IdentityCrawler: Sendable {
    let client: OrganizationClient

    struct Loaded: Sendable {
        var raw: JSONValue
        var record: IdentityRecord
    }

    /// - Parameters:
    ///   - descriptors: identity descriptors to start from.
    ///   - subjectDescriptors: graph subject descriptors to start from.
    ///   - preloaded: identities already fetched (e.g. by a name search).
    ///   - expandDown: groups (lower-cased descriptors) whose members are loaded transitively.
    ///   - expandAllGroups: load the members of every group met.
    func crawl(
        descriptors: [IdentityDescriptor],
        subjectDescriptors: [String],
        preloaded: [JSONValue],
        expandDown: Set<String>,
        expandAllGroups: Bool
    ) async throws(ADOError) -> [String: Loaded] {
        var loaded: [String: Loaded] = [:]
        var requested = Set<String>()
        var downward = expandDown
        var frontier: [String] = []

        func accept(_ values: [JSONValue]) throws(ADOError) {
            for value in values {
                let record = try OrganizationClient.decode("GET _apis/identities") { () throws(WireError) in
                    try IdentityDecoding.identity(WireReader(value, path: "$"))
                }
                let key = record.identity.descriptor.key
                requested.insert(key)
                if loaded[key] == nil { loaded[key] = Loaded(raw: value, record: record) }
            }
        }
        func want(_ descriptor: IdentityDescriptor) {
            if !requested.contains(descriptor.key) {
                requested.insert(descriptor.key)
                frontier.append(descriptor.rawValue)
            }
        }
        /// Queues the next level: containers of everything loaded, members of groups expanded downward.
        func queueNeighbours() {
            var changed = true
            while changed {
                changed = false
                for (key, entry) in loaded {
                    for container in entry.record.memberOf { want(container) }
                    guard entry.record.identity.isContainer, expandAllGroups || downward.contains(key) else { continue }
                    for member in entry.record.members {
                        want(member)
                        if downward.insert(member.key).inserted, loaded[member.key] != nil { changed = true }
                    }
                }
            }
        }

        try accept(preloaded)
        if !subjectDescriptors.isEmpty {
            try accept(
                try await client.rawIdentities(
                    keys: subjectDescriptors,
                    selector: "subjectDescriptors",
                    queryMembership: .direct
                )
            )
        }
        for descriptor in descriptors { want(descriptor) }
        queueNeighbours()
        while !frontier.isEmpty {
            let batches = OrganizationClient.batches(frontier)
            frontier.removeAll()
            let client = self.client
            let results = try await concurrently(batches) { batch throws(ADOError) in
                try await client.rawIdentities(keys: batch, selector: "descriptors", queryMembership: .direct)
            }
            for values in results { try accept(values) }
            queueNeighbours()
        }
        return loaded
    }

    /// Direct edges between loaded identities (from both `memberOf` and `members`), as snapshot `memberships`.
    static func memberships(_ loaded: [String: Loaded]) -> [JSONValue] {
        var edges = Set<[String]>()
        var result: [JSONValue] = []
        func add(member: IdentityDescriptor, container: IdentityDescriptor) {
            guard let member = loaded[member.key]?.record.identity.descriptor,
                let container = loaded[container.key]?.record.identity.descriptor,
                edges.insert([member.key, container.key]).inserted
            else { return }
            result.append(.object(["member": .string(member.rawValue), "container": .string(container.rawValue)]))
        }
        for entry in loaded.values {
            for container in entry.record.memberOf {
                add(member: entry.record.identity.descriptor, container: container)
            }
            for member in entry.record.members { add(member: member, container: entry.record.identity.descriptor) }
        }
        return result
    }
}
