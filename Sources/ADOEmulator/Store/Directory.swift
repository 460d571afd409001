/// Identities and their direct group edges, with the transitive closure precomputed (requests ask "which groups
/// is this caller in" constantly; memberships only change at load time).
struct Directory: Sendable {
    private(set) var records: [IdentityRecord] = []
    private var byKey: [String: Int] = [:]
    private var byId: [String: Int] = [:]
    private var bySubject: [String: Int] = [:]
    /// member key → direct container keys, in snapshot order.
    private(set) var containers: [String: [String]] = [:]
    /// container key → direct member keys, in snapshot order.
    private(set) var members: [String: [String]] = [:]
    /// identity key → every group it is in, transitively (not itself).
    private var closure: [String: Set<String>] = [:]
    /// The `memberships` member in snapshot form, in order.
    private(set) var edges: [(member: String, container: String)] = []
    /// `member\0container` of every edge (so adding one is O(1), not a scan of the group).
    private var edgeKeys: Set<String> = []
    /// Lower-cased display names, accounts, mails, `domain\account` and aliases → record indexes, ascending: the
    /// candidates of `search` (so an identity search does not scan the directory).
    private var searchIndex: [String: [Int]] = [:]

    /// Adds an identity; `false` if one with the same descriptor exists.
    mutating func add(_ record: IdentityRecord) -> Bool {
        guard byKey[record.key] == nil else { return false }
        byKey[record.key] = records.count
        byId[record.id.lowercased()] = records.count
        if let subject = record.subjectDescriptor { bySubject[subject] = records.count }
        var names: Set<String> = [record.providerDisplayName.lowercased()]
        if let custom = record.customDisplayName { names.insert(custom.lowercased()) }
        for key in ["Account", "Mail", "DirectoryAlias", "Alias"] {
            if let value = record.properties[key] { names.insert(value.lowercased()) }
        }
        if let domain = record.properties["Domain"] {
            names.insert("\(domain.lowercased())\\\(record.properties["Account"]?.lowercased() ?? "")")
        }
        for name in names { searchIndex[name, default: []].append(records.count) }
        records.append(record)
        return true
    }

    /// Adds a direct membership edge (both descriptors must be known).
    mutating func addMembership(member: String, container: String) {
        let memberKey = member.lowercased()
        let containerKey = container.lowercased()
        edges.append((member, container))
        if edgeKeys.insert("\(memberKey)\u{0}\(containerKey)").inserted {
            containers[memberKey, default: []].append(containerKey)
            members[containerKey, default: []].append(memberKey)
        }
        closure = [:]
    }

    /// Recomputes the transitive closure (call after the last `addMembership`).
    mutating func finishMemberships() {
        var result: [String: Set<String>] = [:]
        for record in records {
            var seen: Set<String> = []
            var stack = containers[record.key] ?? []
            while let next = stack.popLast() {
                guard next != record.key, seen.insert(next).inserted else { continue }
                stack.append(contentsOf: containers[next] ?? [])
            }
            result[record.key] = seen
        }
        closure = result
    }

    func record(descriptor: String) -> IdentityRecord? {
        byKey[descriptor.lowercased()].map { records[$0] }
    }

    func record(key: String) -> IdentityRecord? { byKey[key].map { records[$0] } }

    func record(id: String) -> IdentityRecord? {
        guard let normalized = GUID.normalized(id) else { return byId[id.lowercased()].map { records[$0] } }
        return byId[normalized].map { records[$0] }
    }

    func record(subjectDescriptor: String) -> IdentityRecord? { bySubject[subjectDescriptor].map { records[$0] } }

    func contains(descriptor: String) -> Bool { byKey[descriptor.lowercased()] != nil }

    /// The identity and all its groups, transitively (lower-cased descriptors): whose ACEs apply to it.
    func identitySet(of key: String) -> Set<String> {
        var set = closure[key] ?? []
        set.insert(key)
        return set
    }

    /// Groups the identity is in, transitively.
    func groups(of key: String) -> Set<String> { closure[key] ?? [] }

    /// Members of a group, transitively.
    func expandedMembers(of key: String) -> [String] {
        var seen: Set<String> = []
        var order: [String] = []
        var stack = Array((members[key] ?? []).reversed())
        while let next = stack.popLast() {
            guard next != key, seen.insert(next).inserted else { continue }
            order.append(next)
            stack.append(contentsOf: (members[next] ?? []).reversed())
        }
        return order
    }

    /// Groups of an identity in a stable order (direct first, then their containers).
    func expandedContainers(of key: String) -> [String] {
        var seen: Set<String> = []
        var order: [String] = []
        var queue = containers[key] ?? []
        var index = 0
        while index < queue.count {
            let next = queue[index]
            index += 1
            guard next != key, seen.insert(next).inserted else { continue }
            order.append(next)
            queue.append(contentsOf: containers[next] ?? [])
        }
        return order
    }

    /// Every identity whose display name, account, mail or `[scope]\name` equals `value` (case-insensitive).
    func search(filter: String, value: String) -> [IdentityRecord] {
        let wanted = value.lowercased()
        return (searchIndex[wanted] ?? []).map { records[$0] }.filter { record in
            let account = record.properties["Account"]?.lowercased()
            let mail = record.properties["Mail"]?.lowercased()
            let domain = record.properties["Domain"]?.lowercased()
            let names = [record.providerDisplayName.lowercased(), record.customDisplayName?.lowercased()]
            switch filter.lowercased() {
            case "accountname":
                return account == wanted || domain.map { "\($0)\\\(account ?? "")" } == wanted
            case "displayname":
                return names.contains(wanted)
            case "mailaddress":
                return mail == wanted
            case "localgroupname":
                return record.isContainer && (account == wanted || names.contains(wanted))
            case "directoryalias":
                return record.properties["DirectoryAlias"]?.lowercased() == wanted
                    || record.properties["Alias"]?.lowercased() == wanted
            default:
                return names.contains(wanted) || account == wanted || mail == wanted
            }
        }
    }
}
