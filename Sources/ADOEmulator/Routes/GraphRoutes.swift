import Foundation

/// Graph users, groups, service principals (opaque continuation paging with a small server page size, so
/// clients' loops are exercised), memberships, descriptors and storage keys.
enum GraphRoutes {
    static func register(_ table: inout RouteTable) {
        for (kind, member) in [("users", "users"), ("groups", "groups"), ("serviceprincipals", "servicePrincipals")] {
            table.add("GET", "/{org}/_apis/graph/\(kind)", version: "7.1-preview.1") { request, context in
                try await list(member, request: request, context: context)
            }
            table.add("GET", "/{org}/_apis/graph/\(kind)/{descriptor}", version: "7.1-preview.1") { _, context in
                _ = try context.requireCaller()
                let descriptor = context.parameter("descriptor") ?? ""
                let subject = await context.store.read { model, _ in GraphRoutes.subject(model, descriptor, in: member)
                }
                guard let subject else {
                    throw ADOError.notFound(
                        "VS860018: The requested subject \(descriptor) was not found.",
                        typeKey: "GraphSubjectNotFoundException"
                    )
                }
                return context.json(subject)
            }
        }
        table.add("HEAD", "/{org}/_apis/graph/memberships/{subject}/{container}", version: "7.1-preview.1") {
            _,
            context in
            try await membership(context: context)
        }
        table.add("GET", "/{org}/_apis/graph/memberships/{subject}/{container}", version: "7.1-preview.1") {
            _,
            context in
            try await membership(context: context)
        }
        table.add("GET", "/{org}/_apis/graph/memberships/{subject}", version: "7.1-preview.1") { request, context in
            try await memberships(request, context: context)
        }
        table.add("GET", "/{org}/_apis/graph/descriptors/{storageKey}", version: "7.1-preview.1") { _, context in
            _ = try context.requireCaller()
            let key = context.parameter("storageKey") ?? ""
            let descriptor = await context.store.read { model, _ -> String? in
                if let record = model.directory.record(id: key) { return record.subjectDescriptor }
                if let project = GUID.normalized(key).flatMap({ model.projectById[$0] }).map({ model.projects[$0] }) {
                    return scopeDescriptor(projectId: project.id)
                }
                return nil
            }
            guard let descriptor else {
                throw ADOError.notFound(
                    "VS860018: The requested subject \(key) was not found.",
                    typeKey: "GraphSubjectNotFoundException"
                )
            }
            return context.json(["value": .string(descriptor), "_links": [:]])
        }
        table.add("GET", "/{org}/_apis/graph/storagekeys/{subject}", version: "7.1-preview.1") { _, context in
            _ = try context.requireCaller()
            let subject = context.parameter("subject") ?? ""
            let id = await context.store.read { model, _ in model.directory.record(subjectDescriptor: subject)?.id }
            guard let id else {
                throw ADOError.notFound(
                    "VS860018: The requested subject \(subject) was not found.",
                    typeKey: "GraphSubjectNotFoundException"
                )
            }
            return context.json(["value": .string(id), "_links": [:]])
        }
        table.add("POST", "/{org}/_apis/graph/subjectlookup", version: "7.1-preview.1") { request, context in
            _ = try context.requireCaller()
            let keys = (try request.jsonBody()?["lookupKeys"]?.arrayValue ?? []).compactMap {
                $0["descriptor"]?.stringValue
            }
            let found = await context.store.read { model, _ -> JSONObject in
                var result = JSONObject()
                for key in keys { if let found = GraphRoutes.subject(model, key, in: nil) { result[key] = found } }
                return result
            }
            return context.json(["count": .int(found.count), "value": .object(found)])
        }
    }

    static func subjects(_ model: OrgModel, _ member: String) -> [JSON] {
        model.document["graph"]?[member]?.arrayValue ?? []
    }

    /// The graph subject with this descriptor (exact match), from one `graph` member or any.
    static func subject(_ model: OrgModel, _ descriptor: String, in member: String?) -> JSON? {
        guard let found = model.graphSubjects[descriptor], member == nil || found.member == member else { return nil }
        let list = subjects(model, found.member)
        return found.index < list.count ? list[found.index] : nil
    }

    /// `scp.` descriptor of a project. ADO's payload is a scope GUID that is not the project id; the emulator
    /// derives a stable stand-in from the id (clients must not decode it).
    static func scopeDescriptor(projectId: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        var second: UInt64 = 0x8422_2325_cbf2_9ce4
        for byte in ("scope:" + projectId).utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
            second = (second ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        let hex = String(format: "%016llx%016llx", hash, second)
        let chars = Array(hex)
        let guid = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(chars[$0]) }.joined(separator: "-")
        return "scp." + Base64URL.encode(guid)
    }

    private static func list(_ member: String, request: EmulatorRequest, context: RouteContext) async throws
        -> EmulatorResponse
    {
        _ = try context.requireCaller()
        let subjectTypes = request.query.list("subjectTypes")?.map { $0.lowercased() }
        let scope = request.query["scopeDescriptor"]
        let offset = try PageToken.decode(request.query["continuationToken"], kind: "graph-\(member)")
        let pageSize = context.services.graphPageSize
        let page = await context.store.read { model, _ -> (values: [JSON], more: Bool) in
            var all = subjects(model, member)
            if let subjectTypes {
                all = all.filter { subject in
                    let prefix =
                        subject["descriptor"]?.stringValue?.split(separator: ".").first.map { $0.lowercased() } ?? ""
                    return subjectTypes.contains(prefix)
                }
            }
            if let scope, let project = model.projects.first(where: { scopeDescriptor(projectId: $0.id) == scope }) {
                let domain = "vstfs:///classification/teamproject/\(project.id)"
                all = all.filter { $0["domain"]?.stringValue?.lowercased() == domain }
            }
            let slice = Array(all.dropFirst(offset).prefix(pageSize))
            return (slice, offset + pageSize < all.count)
        }
        let token = page.more ? PageToken.encode(offset + pageSize, kind: "graph-\(member)") : nil
        var response = context.collection(page.values)
        if let token { response.setHeader("X-MS-ContinuationToken", token) }
        return response
    }

    private static func membership(context: RouteContext) async throws -> EmulatorResponse {
        _ = try context.requireCaller()
        let subject = context.parameter("subject") ?? ""
        let container = context.parameter("container") ?? ""
        let exists = await context.store.read { model, _ -> Bool in
            guard let member = model.directory.record(subjectDescriptor: subject),
                let group = model.directory.record(subjectDescriptor: container)
            else { return false }
            return (model.directory.containers[member.key] ?? []).contains(group.key)
        }
        guard exists else {
            throw ADOError.notFound(
                "VS860018: The requested membership does not exist.",
                typeKey: "GraphMembershipNotFoundException"
            )
        }
        return context.json(membershipJSON(member: subject, container: container, context: context))
    }

    static func membershipJSON(member: String, container: String, context: RouteContext) -> JSON {
        let base = "\(context.organizationURL)/_apis/Graph"
        return [
            "_links": [
                "self": ["href": .string("\(base)/Memberships/\(member)/\(container)")],
                "member": ["href": .string("\(base)/Subjects/\(member)")],
                "container": ["href": .string("\(base)/Subjects/\(container)")],
            ],
            "containerDescriptor": .string(container), "memberDescriptor": .string(member),
        ]
    }

    private static func memberships(_ request: EmulatorRequest, context: RouteContext) async throws -> EmulatorResponse
    {
        _ = try context.requireCaller()
        let subject = context.parameter("subject") ?? ""
        let down = request.query["direction"]?.lowercased() == "down"
        let pairs = await context.store.read { model, _ -> [(String, String)]? in
            guard let record = model.directory.record(subjectDescriptor: subject) else { return nil }
            let related = (down ? model.directory.members[record.key] : model.directory.containers[record.key]) ?? []
            return related.compactMap { model.directory.record(key: $0)?.subjectDescriptor }.map { other in
                down ? (other, subject) : (subject, other)
            }
        }
        guard let pairs else {
            throw ADOError.notFound(
                "VS860018: The requested subject \(subject) was not found.",
                typeKey: "GraphSubjectNotFoundException"
            )
        }
        return context.collection(pairs.map { membershipJSON(member: $0.0, container: $0.1, context: context) })
    }
}

enum Base64URL {
    static func encode(_ text: String) -> String {
        Data(text.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ text: String) -> String? {
        var base = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base.count % 4 != 0 { base += "=" }
        return Data(base64Encoded: base).flatMap { String(data: $0, encoding: .utf8) }
    }
}

/// Opaque continuation tokens: base64url of `{kind}:{offset}`. A token of another list or a garbled one is a
/// 400, as a real service rejects tokens it did not issue.
enum PageToken {
    static func encode(_ offset: Int, kind: String) -> String { Base64URL.encode("\(kind):\(offset)") }

    static func decode(_ token: String?, kind: String) throws(ADOError) -> Int {
        guard let token, !token.isEmpty else { return 0 }
        guard let text = Base64URL.decode(token), text.hasPrefix(kind + ":"),
            let offset = Int(text.dropFirst(kind.count + 1)),
            offset >= 0
        else { throw ADOError.argument("The continuation token '\(token)' is not valid.") }
        return offset
    }
}
