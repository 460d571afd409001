/// Security writes. Each requires the caller to hold the namespace's write permission (its "manage" bit, e.g.
/// Git ManagePermissions 8192) on every token it touches; a refused write changes nothing.
enum SecurityWrites {
    static func register(_ table: inout RouteTable) {
        table.add("POST", "/{org}/_apis/accesscontrolentries/{namespaceId}", version: "7.1-preview.1") {
            request,
            context in
            try await setEntries(request, context: context)
        }
        table.add("DELETE", "/{org}/_apis/accesscontrolentries/{namespaceId}", version: "7.1-preview.1") {
            request,
            context in
            try await removeEntries(request, context: context)
        }
        table.add("POST", "/{org}/_apis/accesscontrollists/{namespaceId}", version: "7.1-preview.1") {
            request,
            context in
            try await setLists(request, context: context)
        }
        table.add("DELETE", "/{org}/_apis/accesscontrollists/{namespaceId}", version: "7.1-preview.1") {
            request,
            context in
            try await removeLists(request, context: context)
        }
        table.add("DELETE", "/{org}/_apis/permissions/{namespaceId}/{permissions}", version: "7.1-preview.2") {
            request,
            context in
            try await removePermission(request, context: context)
        }
    }

    /// Throws ADO's access-denied error unless the caller holds the namespace's write permission on `token`.
    /// Members of Project Collection Administrators always may (as ADO's administrators keep security management;
    /// the bypass applies to ACL management only, never to the resource checks pipelines hit).
    static func requireManage(_ namespace: Namespace, token: String, caller: Caller, model: OrgModel) throws(ADOError) {
        if SecurityRoutes.isCollectionAdministrator(caller, model: model) { return }
        let evaluator = Evaluator(namespace: namespace, acls: model.acls[namespace.id]?.entries ?? [:])
        guard
            namespace.writePermission == 0
                || !evaluator.allows(namespace.writePermission, token: token, identitySet: caller.identitySet)
        else { return }
        throw ADOError.accessDenied(
            identity: caller.record.displayName,
            token: token,
            permissions: namespace.displayNames(of: namespace.writePermission)
        )
    }

    static func validDescriptor(_ descriptor: String) throws(ADOError) -> String {
        guard descriptor.contains(";"), !descriptor.hasPrefix(";") else {
            throw ADOError.argument("'\(descriptor)' is not an identity descriptor (Type;Identifier).")
        }
        return descriptor
    }

    private static func setEntries(_ request: EmulatorRequest, context: RouteContext) async throws -> EmulatorResponse {
        let caller = try context.requireCaller()
        let namespaceId = context.parameter("namespaceId")
        guard let body = try request.jsonBody()?.objectValue else {
            throw ADOError.argument("The request body is required.")
        }
        guard let token = body["token"]?.stringValue, !token.isEmpty else {
            throw ADOError.argument("The token is required.")
        }
        let merge = body["merge"]?.boolValue ?? false
        var incoming: [(descriptor: String, allow: Int, deny: Int)] = []
        for entry in body["accessControlEntries"]?.arrayValue ?? [] {
            guard let descriptor = entry["descriptor"]?.stringValue else {
                throw ADOError.argument("Each entry needs a descriptor.")
            }
            incoming.append(
                (try validDescriptor(descriptor), entry["allow"]?.intValue ?? 0, entry["deny"]?.intValue ?? 0)
            )
        }
        let snapshot = incoming
        let values = try await context.store.write { model, _ throws -> [JSON] in
            let namespace = try SecurityRoutes.namespace(model, namespaceId)
            try requireManage(namespace, token: token, caller: caller, model: model)
            let key = Tokens.key(token, in: namespace)
            var acl = model.acls[namespace.id]?[key] ?? StoredACL(token: token, inheritPermissions: true, aces: [:])
            var results: [JSON] = []
            for entry in snapshot {
                let aceKey = entry.descriptor.lowercased()
                let stored = acl.aces[aceKey]
                let merged = ACEMerge.apply(
                    stored: stored,
                    incomingAllow: entry.allow,
                    incomingDeny: entry.deny,
                    merge: merge
                )
                let descriptor = stored?.descriptor ?? entry.descriptor
                acl.aces[aceKey] =
                    merged.allow | merged.deny == 0
                    ? nil : StoredACE(descriptor: descriptor, allow: merged.allow, deny: merged.deny)
                results.append([
                    "descriptor": .string(descriptor), "allow": .int(merged.allow), "deny": .int(merged.deny),
                ])
            }
            model.acls[namespace.id, default: ACLTable()][key] = acl.isRedundant ? nil : acl
            return results
        }
        return context.collection(values)
    }

    private static func removeEntries(_ request: EmulatorRequest, context: RouteContext) async throws
        -> EmulatorResponse
    {
        let caller = try context.requireCaller()
        let namespaceId = context.parameter("namespaceId")
        guard let token = request.query["token"], !token.isEmpty else {
            throw ADOError.argument("The token is required.")
        }
        let descriptors = request.query.list("descriptors") ?? []
        let removed = try await context.store.write { model, _ throws -> Bool in
            let namespace = try SecurityRoutes.namespace(model, namespaceId)
            try requireManage(namespace, token: token, caller: caller, model: model)
            let key = Tokens.key(token, in: namespace)
            guard var acl = model.acls[namespace.id]?[key] else { return true }
            for descriptor in descriptors { acl.aces[descriptor.lowercased()] = nil }
            model.acls[namespace.id]?[key] = acl.isRedundant ? nil : acl
            return true
        }
        return context.json(.bool(removed))
    }

    private static func setLists(_ request: EmulatorRequest, context: RouteContext) async throws -> EmulatorResponse {
        let caller = try context.requireCaller()
        let namespaceId = context.parameter("namespaceId")
        let body = try request.jsonBody()
        guard let lists = body?["value"]?.arrayValue ?? body?.arrayValue else {
            throw ADOError.argument("The request body must be {\"value\": [AccessControlList]}.")
        }
        var parsed: [StoredACL] = []
        for list in lists {
            guard let token = list["token"]?.stringValue, !token.isEmpty else {
                throw ADOError.argument("Each ACL needs a token.")
            }
            var acl = StoredACL(
                token: token,
                inheritPermissions: list["inheritPermissions"]?.boolValue ?? true,
                aces: [:]
            )
            for (key, entry) in list["acesDictionary"]?.objectValue ?? JSONObject() {
                let descriptor = try validDescriptor(entry["descriptor"]?.stringValue ?? key)
                let allowIn = entry["allow"]?.intValue ?? 0
                let deny = entry["deny"]?.intValue ?? 0
                let allow = allowIn & ~deny
                if allow | deny != 0 {
                    acl.aces[descriptor.lowercased()] = StoredACE(descriptor: descriptor, allow: allow, deny: deny)
                }
            }
            parsed.append(acl)
        }
        let incoming = parsed
        try await context.store.write { model, _ throws in
            let namespace = try SecurityRoutes.namespace(model, namespaceId)
            for acl in incoming { try requireManage(namespace, token: acl.token, caller: caller, model: model) }
            for acl in incoming {
                let key = Tokens.key(acl.token, in: namespace)
                var stored = acl
                if let existing = model.acls[namespace.id]?[key] { stored.token = existing.token }
                model.acls[namespace.id, default: ACLTable()][key] = stored.isRedundant ? nil : stored
            }
        }
        return EmulatorResponse(status: 204)
    }

    private static func removeLists(_ request: EmulatorRequest, context: RouteContext) async throws -> EmulatorResponse
    {
        let caller = try context.requireCaller()
        let namespaceId = context.parameter("namespaceId")
        guard let tokens = request.query.list("tokens") ?? request.query["token"].map({ [$0] }), !tokens.isEmpty else {
            throw ADOError.argument("The tokens parameter is required.")
        }
        let recurse = request.query.bool("recurse") ?? false
        try await context.store.write { model, _ throws in
            let namespace = try SecurityRoutes.namespace(model, namespaceId)
            for token in tokens { try requireManage(namespace, token: token, caller: caller, model: model) }
            for token in tokens {
                let key = Tokens.key(token, in: namespace)
                model.acls[namespace.id]?[key] = nil
                if recurse, let table = model.acls[namespace.id] {
                    for descendant in table.descendantKeys(of: key, in: namespace) {
                        model.acls[namespace.id]?[descendant] = nil
                    }
                }
            }
        }
        return context.json(true)
    }

    private static func removePermission(_ request: EmulatorRequest, context: RouteContext) async throws
        -> EmulatorResponse
    {
        let caller = try context.requireCaller()
        let namespaceId = context.parameter("namespaceId")
        guard let bits = context.parameter("permissions").flatMap({ Int($0) }) else {
            throw ADOError.argument("The permissions parameter must be an integer bit mask.")
        }
        guard let token = request.query["token"], !token.isEmpty else {
            throw ADOError.argument("The token is required.")
        }
        guard let descriptor = request.query["descriptor"], !descriptor.isEmpty else {
            throw ADOError.argument("The descriptor is required.")
        }
        let result = try await context.store.write { model, _ throws -> JSON in
            let namespace = try SecurityRoutes.namespace(model, namespaceId)
            try requireManage(namespace, token: token, caller: caller, model: model)
            let key = Tokens.key(token, in: namespace)
            guard var acl = model.acls[namespace.id]?[key], var ace = acl.aces[descriptor.lowercased()] else {
                return ["descriptor": .string(descriptor), "allow": 0, "deny": 0]
            }
            ace.allow &= ~bits
            ace.deny &= ~bits
            acl.aces[descriptor.lowercased()] = ace.allow | ace.deny == 0 ? nil : ace
            model.acls[namespace.id]?[key] = acl.isRedundant ? nil : acl
            return ["descriptor": .string(ace.descriptor), "allow": .int(ace.allow), "deny": .int(ace.deny)]
        }
        return context.json(result)
    }
}
