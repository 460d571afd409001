import Foundation
import Plan

/// Why a snapshot file cannot be used; names the JSON path.
public enum SnapshotError: Error, Sendable, Equatable, CustomStringConvertible {
    case notJSON(JSONParseError)
    case wrongFormat(found: String?)
    case invalid(WireError)

    public var description: String {
        switch self {
        case .notJSON(let error): "not JSON: \(error)"
        case .wrongFormat(let found):
            "$.format: expected \"\(Snapshot.format)\", found \(found.map { "\"\($0)\"" } ?? "nothing")"
        case .invalid(let error): error.description
        }
    }
}

/// An `adoperm-snapshot/1` document (CONTRACTS.md §2, docs/snapshot.md): ADO's own wire JSON, member by member.
///
/// Members are kept as raw JSON so that a snapshot of a real organization, the emulator's fixtures and live
/// responses are the same data; `OrgState(snapshot:)` decodes them with the same decoders the live client uses.
/// `credentials` (emulator fixtures only) is dropped on reading and can never be written.
public struct Snapshot: Sendable, Equatable {
    public static let format = "adoperm-snapshot/1"

    /// The graph member: `{ users, groups, servicePrincipals }`.
    public struct Graph: Sendable, Equatable {
        public var users: [JSONValue]
        public var groups: [JSONValue]
        public var servicePrincipals: [JSONValue]

        public init(users: [JSONValue] = [], groups: [JSONValue] = [], servicePrincipals: [JSONValue] = []) {
            self.users = users
            self.groups = groups
            self.servicePrincipals = servicePrincipals
        }
    }

    /// The pipelineSettings member: org-level and per-project `generalsettings` bodies.
    public struct PipelineSettingsMember: Sendable, Equatable {
        public var organization: JSONValue
        /// Keyed by project id.
        public var projects: [String: JSONValue]

        public init(organization: JSONValue = .object([:]), projects: [String: JSONValue] = [:]) {
            self.organization = organization
            self.projects = projects
        }
    }

    /// ISO 8601.
    public var capturedAt: String
    /// `{ name, url, collectionId, hostId, tenantId }`.
    public var organization: JSONValue
    public var securityNamespaces: [JSONValue]
    /// Identities without `members`/`memberOf` (those are in `memberships`).
    public var identities: [JSONValue]
    /// `{ member, container }` identity descriptors, direct edges only.
    public var memberships: [JSONValue]
    public var graph: Graph
    public var projects: [JSONValue]
    public var repositories: [JSONValue]
    public var wikis: [JSONValue]
    public var buildDefinitions: [JSONValue]
    public var pipelineSettings: PipelineSettingsMember
    public var serviceEndpoints: [JSONValue]
    /// Project id → root area node with its children.
    public var areas: [String: JSONValue]
    /// Namespace id → ACLs.
    public var acls: [String: [JSONValue]]
    /// `"<projectName>/<repoName>/<path>"` → text.
    public var files: [String: String]

    public init(
        capturedAt: String,
        organization: JSONValue,
        securityNamespaces: [JSONValue] = [],
        identities: [JSONValue] = [],
        memberships: [JSONValue] = [],
        graph: Graph = Graph(),
        projects: [JSONValue] = [],
        repositories: [JSONValue] = [],
        wikis: [JSONValue] = [],
        buildDefinitions: [JSONValue] = [],
        pipelineSettings: PipelineSettingsMember = PipelineSettingsMember(),
        serviceEndpoints: [JSONValue] = [],
        areas: [String: JSONValue] = [:],
        acls: [String: [JSONValue]] = [:],
        files: [String: String] = [:]
    ) {
        self.capturedAt = capturedAt
        self.organization = organization
        self.securityNamespaces = securityNamespaces
        self.identities = identities
        self.memberships = memberships
        self.graph = graph
        self.projects = projects
        self.repositories = repositories
        self.wikis = wikis
        self.buildDefinitions = buildDefinitions
        self.pipelineSettings = pipelineSettings
        self.serviceEndpoints = serviceEndpoints
        self.areas = areas
        self.acls = acls
        self.files = files
    }

    // MARK: reading

    /// Parses a snapshot file. Unknown members (and `credentials`) are ignored.
    public static func decode(_ data: Data) throws(SnapshotError) -> Snapshot {
        let json: JSONValue
        do {
            json = try JSONParser.parse(data)
        } catch {
            throw .notJSON(error)
        }
        guard json["format"]?.stringValue == format else {
            throw .wrongFormat(found: json["format"].map { $0.stringValue ?? JSONWriter.string($0) })
        }
        do {
            return try decode(json)
        } catch {
            throw .invalid(error)
        }
    }

    private static func decode(_ json: JSONValue) throws(WireError) -> Snapshot {
        let root = WireReader(json, path: "$")
        _ = try root.requireObject()
        func list(_ reader: WireReader, _ key: String) throws(WireError) -> [JSONValue] {
            try reader.array(key).map(\.value)
        }
        let graph = root["graph"]
        let settings = root["pipelineSettings"]
        var settingsProjects: [String: JSONValue] = [:]
        if let settings {
            for (id, value) in try settings.object("projects") { settingsProjects[id] = value.value }
        }
        var areas: [String: JSONValue] = [:]
        for (id, value) in try root.object("areas") { areas[id] = value.value }
        var acls: [String: [JSONValue]] = [:]
        for (namespace, value) in try root.object("acls") {
            guard case .array(let elements) = value.value else {
                throw WireError(path: value.path, message: "expected an array")
            }
            acls[namespace] = elements
        }
        var files: [String: String] = [:]
        for (key, value) in try root.object("files") {
            guard let text = value.value.stringValue else {
                throw WireError(path: value.path, message: "expected a string")
            }
            files[key] = text
        }
        guard let organization = root["organization"] else {
            throw WireError(path: "$.organization", message: "missing")
        }
        _ = try organization.requireObject()
        return Snapshot(
            capturedAt: root.optionalString("capturedAt") ?? "",
            organization: organization.value,
            securityNamespaces: try list(root, "securityNamespaces"),
            identities: try list(root, "identities"),
            memberships: try list(root, "memberships"),
            graph: Graph(
                users: try graph.map { g throws(WireError) in try list(g, "users") } ?? [],
                groups: try graph.map { g throws(WireError) in try list(g, "groups") } ?? [],
                servicePrincipals: try graph.map { g throws(WireError) in try list(g, "servicePrincipals") } ?? []
            ),
            projects: try list(root, "projects"),
            repositories: try list(root, "repositories"),
            wikis: try list(root, "wikis"),
            buildDefinitions: try list(root, "buildDefinitions"),
            pipelineSettings: PipelineSettingsMember(
                organization: settings?["organization"]?.value ?? .object([:]),
                projects: settingsProjects
            ),
            serviceEndpoints: try list(root, "serviceEndpoints"),
            areas: areas,
            acls: acls,
            files: files
        )
    }

    // MARK: writing

    /// The snapshot as JSON: every member in a canonical order (see `canonicalized()`), keys sorted, so the same
    /// organization state always gives the same bytes. Never contains `credentials`.
    public func encoded() -> Data { JSONWriter.data(canonicalized().json) }

    /// The document as one JSON value (member order as stored).
    public var json: JSONValue {
        .object([
            "format": .string(Self.format),
            "capturedAt": .string(capturedAt),
            "organization": organization,
            "securityNamespaces": .array(securityNamespaces),
            "identities": .array(identities),
            "memberships": .array(memberships),
            "graph": .object([
                "users": .array(graph.users),
                "groups": .array(graph.groups),
                "servicePrincipals": .array(graph.servicePrincipals),
            ]),
            "projects": .array(projects),
            "repositories": .array(repositories),
            "wikis": .array(wikis),
            "buildDefinitions": .array(buildDefinitions),
            "pipelineSettings": .object([
                "organization": pipelineSettings.organization,
                "projects": .object(pipelineSettings.projects),
            ]),
            "serviceEndpoints": .array(serviceEndpoints),
            "areas": .object(areas),
            "acls": .object(acls.mapValues { .array($0) }),
            "files": .object(files.mapValues { .string($0) }),
        ])
    }

    /// Arrays sorted by their natural key (namespace id, descriptor, id, token; lower-cased), ties broken by the
    /// element's canonical JSON text, so ordering differences between captures disappear.
    public func canonicalized() -> Snapshot {
        var copy = self
        copy.securityNamespaces = Self.sorted(securityNamespaces, by: ["namespaceId"])
        copy.identities = Self.sorted(identities, by: ["descriptor"])
        copy.memberships = Self.sorted(memberships, by: ["member", "container"])
        copy.graph.users = Self.sorted(graph.users, by: ["descriptor"])
        copy.graph.groups = Self.sorted(graph.groups, by: ["descriptor"])
        copy.graph.servicePrincipals = Self.sorted(graph.servicePrincipals, by: ["descriptor"])
        copy.projects = Self.sorted(projects, by: ["id"])
        copy.repositories = Self.sorted(repositories, by: ["id"])
        copy.wikis = Self.sorted(wikis, by: ["id"])
        copy.buildDefinitions = Self.sorted(buildDefinitions, by: ["id"])
        copy.serviceEndpoints = Self.sorted(serviceEndpoints, by: ["id"])
        copy.acls = acls.mapValues { Self.sorted($0, by: ["token"]) }
        return copy
    }

    /// Sorted by `keys` (strings without case, numbers numerically); values with equal keys by their JSON text.
    /// The text is rendered only for those ties — rendering every value cost a fifth of a plan's CPU at 10,000
    /// repositories.
    static func sorted(_ values: [JSONValue], by keys: [String]) -> [JSONValue] {
        var keyed = values.map { value -> (key: [String], value: JSONValue) in
            let key = keys.map { name -> String in
                switch value[name] {
                case .string(let text): text.lowercased()
                // Numeric ids sort numerically: pad to a fixed width.
                case .int(let number): String(repeating: "0", count: max(0, 20 - String(number).count)) + String(number)
                default: ""
                }
            }
            return (key, value)
        }
        keyed.sort { $0.key.lexicographicallyPrecedes($1.key) }
        var start = 0
        while start < keyed.count {
            var end = start + 1
            while end < keyed.count && keyed[end].key == keyed[start].key { end += 1 }
            if end - start > 1 {
                let tied = keyed[start..<end].map { (text: JSONWriter.string($0.value), entry: $0) }
                    .sorted { $0.text < $1.text }
                keyed.replaceSubrange(start..<end, with: tied.map(\.entry))
            }
            start = end
        }
        return keyed.map(\.value)
    }
}
