import Foundation

/// Reads and validates an `adoperm-snapshot/1` document (CONTRACTS.md §2, docs/snapshot.md) into an `OrgModel`.
/// Every problem is reported as one `SnapshotError` naming the file and the JSON path; nothing is served from a
/// snapshot that fails.
enum SnapshotLoader {
    static let format = "adoperm-snapshot/1"

    static func load(contentsOf url: URL, displayName: String? = nil) throws(SnapshotError) -> OrgModel {
        let name = displayName ?? url.lastPathComponent
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            let reason = FileManager.default.fileExists(atPath: url.path) ? "permission denied" : "no such file"
            throw .unreadable(file: name, reason: reason)
        }
        return try load(data, file: name)
    }

    static func load(_ data: Data, file: String) throws(SnapshotError) -> OrgModel {
        let root: JSON
        switch Result(catching: { () throws(JSONParseError) -> JSON in try JSONParser.parse(Array(data)) }) {
        case .success(let value): root = value
        case .failure(let error):
            throw .malformed(file: file, line: error.line, column: error.column, reason: error.reason)
        }
        return try build(root, reader: SnapshotReader(file: file))
    }

    private static func build(_ root: JSON, reader r: SnapshotReader) throws(SnapshotError) -> OrgModel {
        let path = JSONPath.root
        let document = try r.object(root, path)
        let format = try r.string(document["format"], path.member("format"))
        guard format == Self.format else {
            throw r.fail(path.member("format"), "unsupported format '\(format)', expected '\(Self.format)'")
        }
        let orgPath = path.member("organization")
        let org = try r.object(document["organization"], orgPath)
        let organization = Organization(
            name: try r.nonEmptyString(org["name"], orgPath.member("name")),
            url: try r.nonEmptyString(org["url"], orgPath.member("url")),
            collectionId: try r.guid(org["collectionId"], orgPath.member("collectionId")),
            hostId: try r.guid(org["hostId"], orgPath.member("hostId")),
            tenantId: try r.guid(org["tenantId"], orgPath.member("tenantId"))
        )
        guard !organization.name.contains("/") else { throw r.fail(orgPath.member("name"), "must not contain '/'") }
        var model = OrgModel(document: document, organization: organization)
        try loadNamespaces(document, into: &model, reader: r)
        try loadIdentities(document, into: &model, reader: r)
        try loadResources(document, into: &model, reader: r)
        try SnapshotLoader.loadACLs(document, into: &model, reader: r)
        try loadSettings(document, into: &model, reader: r)
        try loadFilesAndCredentials(document, into: &model, reader: r)
        return model
    }

    private static func loadNamespaces(_ document: JSONObject, into model: inout OrgModel, reader r: SnapshotReader)
        throws(SnapshotError)
    {
        let path = JSONPath.root.member("securityNamespaces")
        for (index, value) in try r.array(document["securityNamespaces"], path).enumerated() {
            let at = path.index(index)
            let ns = try r.object(value, at)
            let id = try r.guid(ns["namespaceId"], at.member("namespaceId"))
            let separatorText = try r.string(ns["separatorValue"], at.member("separatorValue"))
            guard separatorText.count == 1, let separatorChar = separatorText.first else {
                throw r.fail(at.member("separatorValue"), "expected a single character")
            }
            let structure = try r.int(ns["structureValue"], at.member("structureValue"))
            var actions: [Namespace.Action] = []
            for (actionIndex, actionValue) in try r.array(ns["actions"], at.member("actions")).enumerated() {
                let actionPath = at.member("actions").index(actionIndex)
                let action = try r.object(actionValue, actionPath)
                actions.append(
                    Namespace.Action(
                        bit: try r.int(action["bit"], actionPath.member("bit")),
                        name: try r.string(action["name"], actionPath.member("name")),
                        displayName: try r.optionalString(action["displayName"], actionPath.member("displayName"))
                    )
                )
            }
            let namespace = Namespace(
                id: id,
                name: try r.string(ns["name"], at.member("name")),
                displayName: try r.optionalString(ns["displayName"], at.member("displayName")),
                separator: separatorChar == "\u{0}" ? nil : separatorChar,
                elementLength: try r.int(ns["elementLength"], at.member("elementLength")),
                isHierarchical: structure == 1,
                readPermission: try r.int(ns["readPermission"], at.member("readPermission")),
                writePermission: try r.int(ns["writePermission"], at.member("writePermission")),
                actions: actions,
                raw: value
            )
            guard model.namespaces.updateValue(namespace, forKey: id) == nil else {
                throw r.fail(at.member("namespaceId"), "duplicate security namespace id '\(id)'")
            }
        }
    }

    private static func loadIdentities(_ document: JSONObject, into model: inout OrgModel, reader r: SnapshotReader)
        throws(SnapshotError)
    {
        let path = JSONPath.root.member("identities")
        for (index, value) in try r.array(document["identities"], path).enumerated() {
            let at = path.index(index)
            let identity = try r.object(value, at)
            let descriptor = try r.string(identity["descriptor"], at.member("descriptor"))
            guard descriptor.contains(";") else {
                throw r.fail(at.member("descriptor"), "'\(descriptor)' is not an identity descriptor (Type;Identifier)")
            }
            var properties: [String: String] = [:]
            if let bag = identity["properties"], !bag.isNull {
                for (key, entry) in try r.object(bag, at.member("properties")) {
                    let entryPath = at.member("properties").member(key)
                    let typed = try r.object(entry, entryPath)
                    switch typed["$value"] {
                    case .string(let text): properties[key] = text
                    case .int(let number): properties[key] = String(number)
                    case .bool(let flag): properties[key] = flag ? "True" : "False"
                    case .none: throw r.fail(entryPath, "missing '$value'")
                    default: properties[key] = ""
                    }
                }
            }
            let record = IdentityRecord(
                descriptor: descriptor,
                key: descriptor.lowercased(),
                id: try r.guid(identity["id"], at.member("id")),
                subjectDescriptor: try r.optionalString(identity["subjectDescriptor"], at.member("subjectDescriptor")),
                providerDisplayName: try r.string(identity["providerDisplayName"], at.member("providerDisplayName")),
                customDisplayName: try r.optionalString(identity["customDisplayName"], at.member("customDisplayName")),
                isContainer: try r.optionalBool(identity["isContainer"], at.member("isContainer"), default: false),
                properties: properties,
                raw: identity
            )
            guard model.directory.add(record) else {
                throw r.fail(at.member("descriptor"), "duplicate identity descriptor '\(descriptor)'")
            }
        }
        let membershipsPath = JSONPath.root.member("memberships")
        for (index, value) in try r.array(document["memberships"], membershipsPath).enumerated() {
            let at = membershipsPath.index(index)
            let edge = try r.object(value, at)
            let member = try r.string(edge["member"], at.member("member"))
            let container = try r.string(edge["container"], at.member("container"))
            guard model.directory.contains(descriptor: member) else {
                throw r.fail(at.member("member"), "unknown identity descriptor '\(member)'")
            }
            guard let group = model.directory.record(descriptor: container) else {
                throw r.fail(at.member("container"), "unknown identity descriptor '\(container)'")
            }
            guard group.isContainer else {
                throw r.fail(at.member("container"), "'\(container)' is not a group (isContainer is not true)")
            }
            model.directory.addMembership(member: member, container: container)
        }
        model.directory.finishMemberships()
        let administrators = "[\(model.organization.name)]\\project collection administrators".lowercased()
        model.administratorsKey =
            model.directory.records.first {
                $0.isContainer && $0.providerDisplayName.lowercased() == administrators
            }?.key
        let graphPath = JSONPath.root.member("graph")
        let graph = try r.object(document["graph"], graphPath)
        for member in ["users", "groups", "servicePrincipals"] {
            guard let list = graph[member] else { continue }
            for (index, subject) in try r.array(list, graphPath.member(member)).enumerated() {
                let at = graphPath.member(member).index(index)
                let descriptor = try r.string(try r.object(subject, at)["descriptor"], at.member("descriptor"))
                if model.graphSubjects[descriptor] == nil { model.graphSubjects[descriptor] = (member, index) }
            }
        }
    }
}
