/// `_apis/identities` (the IMS area, served on the organization URL as well as what would be the vssps host).
enum IdentityRoutes {
    static func register(_ table: inout RouteTable) {
        table.add("GET", "/{org}/_apis/identities", version: "7.1-preview.1") { request, context in
            try await readIdentities(request, context: context)
        }
        table.add("GET", "/{org}/_apis/identities/{identityId}", version: "7.1-preview.1") { request, context in
            let id = context.parameter("identityId") ?? ""
            let membership = MembershipQuery(request.query["queryMembership"])
            let value = await context.store.read { model, _ -> JSON? in
                model.directory.record(id: id).map {
                    identityJSON($0, membership: membership, directory: model.directory)
                }
            }
            guard let value else {
                throw ADOError.notFound("The identity \(id) could not be found.", typeKey: "IdentityNotFoundException")
            }
            return context.json(value)
        }
    }

    enum MembershipQuery {
        case none, direct, expanded, expandedUp, expandedDown

        init(_ text: String?) {
            switch text?.lowercased() {
            case "direct": self = .direct
            case "expanded": self = .expanded
            case "expandedup": self = .expandedUp
            case "expandeddown": self = .expandedDown
            default: self = .none
            }
        }
    }

    private static func readIdentities(_ request: EmulatorRequest, context: RouteContext) async throws
        -> EmulatorResponse
    {
        _ = try context.requireCaller()
        let query = request.query
        let membership = MembershipQuery(query["queryMembership"])
        let selectors = ["descriptors", "identityIds", "subjectDescriptors", "searchFilter"].filter { query[$0] != nil }
        guard selectors.count == 1 else {
            throw ADOError.argument(
                selectors.isEmpty
                    ? "One of descriptors, identityIds, subjectDescriptors or searchFilter/filterValue is required."
                    : "Only one of descriptors, identityIds, subjectDescriptors or searchFilter may be given."
            )
        }
        if query["searchFilter"] != nil && query["filterValue"] == nil {
            throw ADOError.argument("filterValue is required with searchFilter.")
        }
        let values = await context.store.read { model, _ -> [JSON] in
            let directory = model.directory
            func render(_ record: IdentityRecord?) -> JSON {
                record.map { identityJSON($0, membership: membership, directory: directory) } ?? .null
            }
            if let descriptors = query.list("descriptors") {
                return descriptors.map { render(directory.record(descriptor: $0)) }
            }
            if let ids = query.list("identityIds") {
                return ids.map { render(directory.record(id: $0)) }
            }
            if let subjects = query.list("subjectDescriptors") {
                return subjects.map { render(directory.record(subjectDescriptor: $0)) }
            }
            let filter = query["searchFilter"] ?? "General"
            return directory.search(filter: filter, value: query["filterValue"] ?? "").map { render($0) }
        }
        return context.collection(values)
    }

    /// The stored identity plus `members`/`memberOf`/`memberIds` as `queryMembership` asks (always present, empty
    /// when not asked, as ADO's examples show).
    static func identityJSON(_ record: IdentityRecord, membership: MembershipQuery, directory: Directory) -> JSON {
        var object = record.raw
        var members: [String] = []
        var memberOf: [String] = []
        switch membership {
        case .none: break
        case .direct:
            members = directory.members[record.key] ?? []
            memberOf = directory.containers[record.key] ?? []
        case .expanded:
            members = directory.expandedMembers(of: record.key)
            memberOf = directory.expandedContainers(of: record.key)
        case .expandedUp:
            memberOf = directory.expandedContainers(of: record.key)
        case .expandedDown:
            members = directory.expandedMembers(of: record.key)
        }
        let memberRecords = record.isContainer ? members.compactMap { directory.record(key: $0) } : []
        object["members"] = .array(memberRecords.map { .string($0.descriptor) })
        object["memberOf"] = .array(memberOf.compactMap { directory.record(key: $0) }.map { .string($0.descriptor) })
        object["memberIds"] = .array(memberRecords.map { .string($0.id) })
        return .object(object)
    }
}
