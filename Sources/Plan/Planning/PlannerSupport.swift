/// Shared pieces of the remedies: bit names, causes, ACE changes and blast radius.
extension Planner {
    /// Action names of `bits`, in bit order (unknown bits as `bit N`).
    func names(_ bits: Int, _ namespace: SecurityNamespace) -> [String] {
        Self.names(bits, namespace)
    }

    static func names(_ bits: Int, _ namespace: SecurityNamespace) -> [String] {
        var result: [String] = []
        var known = 0
        for action in namespace.actions.sorted(by: { $0.bit < $1.bit }) where bits & action.bit != 0 {
            result.append(action.name)
            known |= action.bit
        }
        var rest = bits & ~known
        while rest != 0 {
            let bit = rest & -rest
            result.append("bit \(bit)")
            rest &= ~bit
        }
        return result
    }

    func joined(_ bits: Int, _ namespace: SecurityNamespace) -> String {
        names(bits, namespace).joined(separator: "|")
    }

    func cause(_ cause: DenyCause, _ namespace: SecurityNamespace) -> Cause {
        Cause(
            kind: cause.kind.rawValue, token: cause.token, descriptor: cause.descriptor?.rawValue,
            displayName: cause.descriptor.map(index.displayName),
            via: cause.via.isEmpty ? nil : cause.via.map(index.displayName), bits: cause.bits,
            permissions: names(cause.bits, namespace), inheritanceBlockedAt: cause.inheritanceBlockedAt)
    }

    func grant(_ grant: GrantSource, _ namespace: SecurityNamespace) -> Cause {
        let kind = !grant.via.isEmpty ? "group-allow" : grant.inherited ? "inherited-allow" : "explicit-allow"
        return Cause(
            kind: kind, token: grant.token, descriptor: grant.descriptor.rawValue,
            displayName: index.displayName(grant.descriptor),
            via: grant.via.isEmpty ? nil : grant.via.map(index.displayName), bits: grant.bits,
            permissions: names(grant.bits, namespace), inheritanceBlockedAt: nil)
    }

    /// How the explanation names a cause: `an explicit Deny for X on this token`, `a Deny for [P]\Group
    /// (via A → B) on all repositories of P`.
    func describe(_ cause: DenyCause, _ namespace: SecurityNamespace) -> String {
        let who = cause.descriptor.map(index.displayName) ?? "?"
        let place = cause.token.map { index.label(namespaceId: namespace.id, token: $0) } ?? "?"
        switch cause.kind {
        case .explicitDeny: return "an explicit Deny for \(who) on this token"
        case .inheritedDeny: return "a Deny for \(who) inherited from \(place)"
        case .groupDeny:
            let path = cause.via.map(index.displayName).joined(separator: " → ")
            return "a Deny for \(who) (via \(path)) on \(cause.inherited ? place : "this token")"
        case .notSet:
            return cause.inheritanceBlockedAt.map { "not set (inheritance is off at \($0))" } ?? "not set"
        }
    }

    // MARK: ACE changes

    /// The ACE as the evaluator currently sees it (the live state plus what `evaluator` has applied).
    func entry(_ evaluator: Evaluator, _ namespace: SecurityNamespace, _ token: String, _ descriptor: IdentityDescriptor)
        -> AccessControlEntry?
    {
        evaluator.acl(namespace.id, Tokens.canonical(token, separator: namespace.separator))?.entries[descriptor]
    }

    /// The token as ADO stores it when an ACL exists (so the write hits the same ACL), else as built.
    func storedToken(_ namespace: SecurityNamespace, _ token: String) -> String {
        index.acl(namespaceId: namespace.id, token: token)?.token ?? token
    }

    /// Edits accumulated on (token, descriptor) pairs; the change keeps the LIVE before-image and the final after.
    struct AceEdits {
        private(set) var order: [String] = []
        private(set) var edits: [String: AceEdit] = [:]

        mutating func set(_ edit: AceEdit, namespace: SecurityNamespace) {
            let key = Tokens.canonical(edit.token, separator: namespace.separator) + "|" + edit.descriptor.key
            if edits[key] == nil { order.append(key) }
            edits[key] = edit
        }

        var all: [AceEdit] { order.compactMap { edits[$0] } }
    }

    /// The edit giving `descriptor` an explicit Allow of `bits` on `token` (and clearing its own Deny of them).
    func allowEdit(_ evaluator: Evaluator, _ namespace: SecurityNamespace, _ token: String,
                   _ descriptor: IdentityDescriptor, _ bits: Int) -> AceEdit {
        let current = entry(evaluator, namespace, token, descriptor)
        return AceEdit(namespaceId: namespace.id, token: storedToken(namespace, token), descriptor: descriptor,
                       allow: (current?.allow ?? 0) | bits, deny: (current?.deny ?? 0) & ~bits)
    }

    /// The edit clearing exactly `bits` from `descriptor`'s Deny on `token`.
    func clearDenyEdit(_ evaluator: Evaluator, _ namespace: SecurityNamespace, _ token: String,
                       _ descriptor: IdentityDescriptor, _ bits: Int) -> AceEdit {
        let current = entry(evaluator, namespace, token, descriptor)
        return AceEdit(namespaceId: namespace.id, token: storedToken(namespace, token), descriptor: descriptor,
                       allow: current?.allow ?? 0, deny: (current?.deny ?? 0) & ~bits)
    }

    /// The change writing `edit`, with the live ACE as before-image.
    func change(for edit: AceEdit, _ namespace: SecurityNamespace) -> Change {
        let before = index.acl(namespaceId: namespace.id, token: edit.token)?.entries[edit.descriptor]
        let who = index.displayName(edit.descriptor)
        let place = index.label(namespaceId: namespace.id, token: edit.token)
        var parts: [String] = []
        let added = edit.allow & ~(before?.allow ?? 0)
        let removedAllow = (before?.allow ?? 0) & ~edit.allow
        let addedDeny = edit.deny & ~(before?.deny ?? 0)
        let cleared = (before?.deny ?? 0) & ~edit.deny
        if added != 0 { parts.append("allow \(joined(added, namespace))") }
        if cleared != 0 { parts.append("clear deny \(joined(cleared, namespace))") }
        if addedDeny != 0 { parts.append("deny \(joined(addedDeny, namespace))") }
        if removedAllow != 0 { parts.append("remove allow \(joined(removedAllow, namespace))") }
        return Change.ace(
            namespace: namespace, token: edit.token, descriptor: edit.descriptor, before: before, allow: edit.allow,
            deny: edit.deny, summary: parts.joined(separator: ", ") + " for \(who) on \(place)")
    }

    // MARK: Blast radius

    /// Identities (non-group) and pipelines an ACE for `descriptor` reaches.
    mutating func coverage(of descriptor: IdentityDescriptor) -> Coverage {
        if let known = coverageCache[descriptor] { return known }
        let members = index.members(of: descriptor).filter { index.identity($0)?.isContainer != true }
        var pipelines = 0
        for (job, count) in jobIdentityCounts where job == descriptor || index.groups(of: job).contains(descriptor) {
            pipelines += count
        }
        let coverage = Coverage(identities: members, pipelines: pipelines)
        coverageCache[descriptor] = coverage
        return coverage
    }

    static let scopeOrder = ["organization", "process", "project", "build-folder", "repository", "definition", "area",
                             "branch", "token"]

    /// The radius of a set of ACE edits: the broadest token scope, the union of identities and pipelines reached.
    mutating func blastRadius(_ edits: [AceEdit]) -> BlastRadius {
        var identities: Set<IdentityDescriptor> = []
        var counted: Set<IdentityDescriptor> = []
        var scope = "token"
        for edit in edits {
            let word = index.scopeWord(namespaceId: edit.namespaceId, token: edit.token)
            if (Self.scopeOrder.firstIndex(of: word) ?? 99) < (Self.scopeOrder.firstIndex(of: scope) ?? 99) {
                scope = word
            }
            guard counted.insert(edit.descriptor).inserted else { continue }
            identities.formUnion(coverage(of: edit.descriptor).identities)
        }
        var pipelines = 0
        // `identitySet(of:)` without building it: a set copy per job identity per remedy was 6 % of a plan's CPU.
        for (job, count) in jobIdentityCounts
        where counted.contains(job) || !index.groups(of: job).isDisjoint(with: counted) {
            pipelines += count
        }
        return BlastRadius(scope: scope, identities: max(identities.count, edits.isEmpty ? 0 : 1), pipelines: pipelines)
    }

    /// Pipelines whose YAML mints a token from the connection `name` (an `AzureCLI` step naming it).
    mutating func connectionUsers(_ name: String) -> Int {
        if let known = connectionUsersCache[name] { return known }
        var count = 0
        for definition in index.state.buildDefinitions {
            guard let project = index.project(id: definition.projectId),
                let repository = definition.repositoryId.flatMap(index.repository(id:)),
                let path = definition.yamlFilename,
                let text = index.file(project: project, repository: repository, path: path)
            else { continue }
            if text.contains("azureSubscription: '\(name)'") || text.contains("azureSubscription: \(name)\n")
                || text.contains("azureSubscription: \"\(name)\"")
            {
                count += 1
            }
        }
        connectionUsersCache[name] = count
        return count
    }

    func addServicePrincipalStep(_ endpoint: ServiceEndpoint?) -> Change {
        let application = endpoint?.servicePrincipalId ?? "the connection's application id"
        return Change.manual("add-service-principal", [
            "add the service principal of service connection \(endpoint?.name ?? "?") (application id \(application)) "
                + "to the organization as a user with access level Basic (Organization settings → Users)"
        ])
    }
}
