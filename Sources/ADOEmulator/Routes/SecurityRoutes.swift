/// Security area reads: namespaces, ACL queries with extended info, caller permission checks.
enum SecurityRoutes {
    static func register(_ table: inout RouteTable) {
        table.add("GET", "/{org}/_apis/securitynamespaces", version: "7.1-preview.1") { _, context in
            try await namespaces(id: nil, context: context)
        }
        table.add("GET", "/{org}/_apis/securitynamespaces/{namespaceId}", version: "7.1-preview.1") { _, context in
            try await namespaces(id: context.parameter("namespaceId"), context: context)
        }
        table.add("GET", "/{org}/_apis/accesscontrollists/{namespaceId}", version: "7.1-preview.1") {
            request,
            context in
            try await queryACLs(request, context: context)
        }
        table.add("GET", "/{org}/_apis/permissions/{namespaceId}/{permissions}", version: "7.1-preview.2") {
            request,
            context in
            try await hasPermissions(request, context: context)
        }
        table.add("POST", "/{org}/_apis/security/permissionevaluationbatch", version: "7.1-preview.1") {
            request,
            context in
            try await evaluationBatch(request, context: context)
        }
        SecurityWrites.register(&table)
    }

    private static func namespaces(id: String?, context: RouteContext) async throws -> EmulatorResponse {
        let values = await context.store.read { model, _ -> [JSON] in
            let order = (model.document["securityNamespaces"]?.arrayValue ?? []).compactMap {
                $0["namespaceId"]?.stringValue?.lowercased()
            }
            if let id {
                return GUID.normalized(id).flatMap { model.namespaces[$0]?.raw }.map { [$0] } ?? []
            }
            return order.compactMap { model.namespaces[$0]?.raw }
        }
        return context.collection(values)
    }

    static func namespace(_ model: OrgModel, _ id: String?) throws(ADOError) -> Namespace {
        guard let id, let normalized = GUID.normalized(id), let namespace = model.namespaces[normalized] else {
            throw ADOError.namespaceNotFound(id ?? "")
        }
        return namespace
    }

    private static func queryACLs(_ request: EmulatorRequest, context: RouteContext) async throws -> EmulatorResponse {
        let caller = try context.requireCaller()
        let namespaceId = context.parameter("namespaceId")
        let token = request.query["token"].flatMap { $0.isEmpty ? nil : $0 }
        let descriptors = request.query.list("descriptors")
        let extended = request.query.bool("includeExtendedInfo") ?? false
        let recurse = request.query.bool("recurse") ?? false
        let values = try await context.store.read { model, _ throws -> [JSON] in
            let namespace = try namespace(model, namespaceId)
            let table = model.acls[namespace.id] ?? ACLTable()
            let evaluator = Evaluator(namespace: namespace, acls: table.entries)
            var selected: [StoredACL] = []
            if let token {
                let key = Tokens.key(token, in: namespace)
                if let acl = evaluator.acls[key] {
                    selected.append(acl)
                } else if descriptors != nil {
                    // Descriptor-filtered queries answer for the token even when nothing is stored there.
                    selected.append(StoredACL(token: token, inheritPermissions: true, aces: [:]))
                }
                if recurse { selected += table.descendants(of: key, in: namespace) }
            } else {
                selected = table.ordered
            }
            let admin = isCollectionAdministrator(caller, model: model)
            let readable = selected.filter {
                admin || canRead(namespace: namespace, token: $0.token, caller: caller, evaluator: evaluator)
            }
            return readable.map { render($0, descriptors: descriptors, extended: extended, evaluator: evaluator) }
        }
        return context.collection(values)
    }

    /// ACLs the caller may not read are left out (the namespace's read — or write — permission on the token).
    /// Project Collection Administrators read every ACL (reference/ado-rest.md §13.2 rule 4; so a non-inheriting
    /// ACL can never lock the organization's administrators out of its security).
    static func canRead(namespace: Namespace, token: String, caller: Caller, evaluator: Evaluator) -> Bool {
        guard namespace.readPermission != 0 else { return true }
        let decision = evaluator.effective(token: token, identitySet: caller.identitySet)
        return decision.allow & namespace.readPermission == namespace.readPermission
            || (namespace.writePermission != 0
                && decision.allow & namespace.writePermission == namespace.writePermission)
    }

    static func render(_ acl: StoredACL, descriptors: [String]?, extended: Bool, evaluator: Evaluator) -> JSON {
        var entries: [StoredACE] = []
        if let descriptors {
            var seen: Set<String> = []
            for descriptor in descriptors where seen.insert(descriptor.lowercased()).inserted {
                entries.append(
                    acl.aces[descriptor.lowercased()] ?? StoredACE(descriptor: descriptor, allow: 0, deny: 0)
                )
            }
        } else {
            entries = acl.aces.sorted { $0.key < $1.key }.map(\.value)
        }
        var aces = JSONObject()
        for ace in entries {
            var object = JSONObject([
                ("descriptor", .string(ace.descriptor)), ("allow", .int(ace.allow)), ("deny", .int(ace.deny)),
            ])
            if extended {
                object["extendedInfo"] =
                    evaluator.extendedInfo(token: acl.token, descriptorKey: ace.descriptor.lowercased()).json
            }
            aces[ace.descriptor] = .object(object)
        }
        var result = JSONObject([
            ("inheritPermissions", .bool(acl.inheritPermissions)), ("token", .string(acl.token)),
            ("acesDictionary", .object(aces)),
        ])
        if extended { result["includeExtendedInfo"] = true }
        return .object(result)
    }

    /// Members of Project Collection Administrators pass `alwaysAllowAdministrators` checks.
    static func isCollectionAdministrator(_ caller: Caller, model: OrgModel) -> Bool {
        model.administratorsKey.map(caller.identitySet.contains) ?? false
    }

    private static func hasPermissions(_ request: EmulatorRequest, context: RouteContext) async throws
        -> EmulatorResponse
    {
        let caller = try context.requireCaller()
        let namespaceId = context.parameter("namespaceId")
        guard let bits = context.parameter("permissions").flatMap({ Int($0) }) else {
            throw ADOError.argument("The permissions parameter must be an integer bit mask.")
        }
        let delimiter = request.query["delimiter"].flatMap { $0.isEmpty ? nil : $0 } ?? ","
        let tokens = request.query.list("tokens", separator: delimiter) ?? request.query["token"].map { [$0] } ?? []
        let alwaysAllowAdministrators = request.query.bool("alwaysAllowAdministrators") ?? false
        let values = try await context.store.read { model, _ throws -> [JSON] in
            let namespace = try namespace(model, namespaceId)
            let evaluator = Evaluator(namespace: namespace, acls: model.acls[namespace.id]?.entries ?? [:])
            let admin = alwaysAllowAdministrators && isCollectionAdministrator(caller, model: model)
            return tokens.map { .bool(admin || evaluator.allows(bits, token: $0, identitySet: caller.identitySet)) }
        }
        return context.collection(values)
    }

    private static func evaluationBatch(_ request: EmulatorRequest, context: RouteContext) async throws
        -> EmulatorResponse
    {
        let caller = try context.requireCaller()
        guard let body = try request.jsonBody()?.objectValue, let evaluations = body["evaluations"]?.arrayValue else {
            throw ADOError.argument("The request body must contain 'evaluations'.")
        }
        let alwaysAllowAdministrators = body["alwaysAllowAdministrators"]?.boolValue ?? false
        let result = try await context.store.read { model, _ throws -> JSON in
            let admin = alwaysAllowAdministrators && isCollectionAdministrator(caller, model: model)
            var answered: [JSON] = []
            for evaluation in evaluations {
                guard var object = evaluation.objectValue, let bits = object["permissions"]?.intValue,
                    let token = object["token"]?.stringValue
                else { throw ADOError.argument("Each evaluation needs securityNamespaceId, token and permissions.") }
                let namespace = try namespace(model, object["securityNamespaceId"]?.stringValue)
                let evaluator = Evaluator(namespace: namespace, acls: model.acls[namespace.id]?.entries ?? [:])
                object["value"] = .bool(admin || evaluator.allows(bits, token: token, identitySet: caller.identitySet))
                answered.append(.object(object))
            }
            return ["alwaysAllowAdministrators": .bool(alwaysAllowAdministrators), "evaluations": .array(answered)]
        }
        return context.json(result)
    }
}
