import Crypto
import Foundation

extension Manifest {
    static let topLevelKeys = ["version", "organization", "requirements", "forbid", "settings", "remediation"]
    static let requirementKeys = ["id", "description", "subject", "allow", "profile", "scope", "from-agent"]
    static let forbidKeys = ["id", "description", "subject", "permissions"] + ResourceReading.resourceKeys
    static let remediationKeys = ["serviceConnection", "exclude"]
    /// Remedy kinds `remediation.exclude` accepts.
    public static let remedyKinds = [
        "service-connection", "job-scope", "lift-deny", "child-allow", "grant", "revoke", "deny", "setting",
    ]
    /// Manifest spelling → wire name of the pipeline general setting (wire names are accepted as well).
    public static let settingNames: [(manifest: String, wire: String)] = [
        ("limitJobAuthScope", "enforceJobAuthScope"),
        ("limitJobAuthScopeForReleases", "enforceJobAuthScopeForReleases"),
        ("limitToReferencedRepos", "enforceReferencedRepoScopedToken"),
    ]

    /// Parses a manifest. Collects every error it can find (one line each, `file:line:col: error: …`) before
    /// throwing them together as a `DiagnosticError`.
    ///
    /// - Parameters:
    ///   - text: the manifest's contents.
    ///   - file: the name diagnostics use (as the user typed it, e.g. `adoperm.yaml`).
    public static func parse(_ text: String, file: String) throws -> Manifest {
        let start = SourceLocation(file: file, line: 1, column: 1)
        let tree: YAMLTree?
        switch Result(catching: { () throws(Diagnostic) -> YAMLTree? in try YAMLTree.parse(text, file: file) }) {
        case .success(let value): tree = value
        case .failure(let diagnostic): throw DiagnosticError([diagnostic])
        }
        guard let tree, !tree.isNull else {
            throw DiagnosticError([
                Diagnostic(.error, "the manifest is empty, expected `version: 1` and a `requirements:` list", at: start)
            ])
        }
        var reader = ManifestReader()
        var manifest = Manifest(file: file, manifestSha256: sha256Hex(Data(text.utf8)))
        guard let fields = reader.fields(tree, "the manifest", keys: topLevelKeys) else {
            throw DiagnosticError(reader.diagnostics)
        }
        let misspelledTopLevel = !reader.diagnostics.isEmpty
        if let node = fields["version"] {
            if node.int != 1 {
                reader.error("found version \(node.found), expected 1 (the only manifest version)", at: node.location)
            }
        } else {
            reader.error("the manifest has no 'version', expected `version: 1`", at: start)
        }
        if let node = fields["organization"] { manifest.organization = reader.string(node, "organization") }
        if let node = fields["requirements"] {
            manifest.entries = parseRequirements(node, &reader)
        } else if fields["forbid"] == nil && fields["settings"] == nil && !misspelledTopLevel {
            reader.error("the manifest has no 'requirements', expected a list of requirements", at: start)
        }
        if let node = fields["forbid"] { manifest.forbids = parseForbids(node, &reader) }
        if let node = fields["settings"] { manifest.settings = parseSettings(node, &reader) }
        if let node = fields["remediation"] { manifest.remediation = parseRemediation(node, &reader) }
        checkDuplicateIds(&reader)
        if !reader.diagnostics.isEmpty { throw DiagnosticError(sorted(reader.diagnostics)) }
        return manifest
    }

    private static func parseRequirements(_ node: YAMLTree, _ reader: inout ManifestReader) -> [RequirementEntry] {
        guard let items = node.items else {
            if !node.isNull { reader.error("found \(node.found) for 'requirements', expected a list", at: node.location) }
            return []
        }
        return items.compactMap { parseRequirement($0, &reader) }
    }

    private static func parseRequirement(_ node: YAMLTree, _ reader: inout ManifestReader) -> RequirementEntry? {
        guard let fields = reader.fields(node, "a requirement", keys: requirementKeys) else { return nil }
        let id = reader.string(fields, "id", in: "the requirement", at: node)
        if let id { reader.ids.append((id, node.location)) }
        let description = reader.optionalString(fields, "description")
        let allow = fields["allow"].map { ResourceReading.parseAllowList($0, &reader) } ?? []
        let subject = fields["subject"].flatMap { SubjectReading.parse($0, &reader) }
        let subjectLocation = fields["subject"]?.location
        var body: RequirementEntry.Body?
        var profileLocation: SourceLocation?
        if let agentNode = fields["from-agent"] {
            for other in ["subject", "profile", "allow", "scope"] where fields[other] != nil {
                reader.error(
                    "found '\(other)' next to 'from-agent', expected 'from-agent' alone (it derives subject and "
                        + "permissions from the agent)",
                    at: reader.keyLocation(node, other))
            }
            body = AgentReading.parseSource(agentNode, &reader).map { .fromAgent($0) }
        } else if let profileNode = fields["profile"] {
            profileLocation = profileNode.location
            let name = reader.string(profileNode, "profile")
            let scope = fields["scope"].map { ScopeReading.parse($0, &reader) } ?? ProfileScope(location: node.location)
            if fields["subject"] == nil {
                reader.error("the requirement has no 'subject', expected who the profile applies to", at: node.location)
            }
            if let name, let subject { body = .profile(name: name, subject: subject, scope: scope, allow: allow) }
        } else {
            if fields["scope"] != nil {
                reader.error("found 'scope' without 'profile', expected 'scope' only with a profile",
                             at: reader.keyLocation(node, "scope"))
            }
            if fields["subject"] == nil {
                reader.error("the requirement has no 'subject', expected one of subject, profile or from-agent",
                             at: node.location)
            }
            if fields["allow"] == nil && fields["subject"] != nil {
                reader.error("the requirement has no 'allow', expected a list of permissions (or a profile)",
                             at: node.location)
            }
            if let subject, fields["allow"] != nil { body = .explicit(subject: subject, allow: allow) }
        }
        guard let id, let body else { return nil }
        return RequirementEntry(
            id: id,
            description: description,
            body: body,
            location: node.location,
            subjectLocation: subjectLocation,
            profileLocation: profileLocation
        )
    }

    private static func parseForbids(_ node: YAMLTree, _ reader: inout ManifestReader) -> [ForbidRule] {
        guard let items = node.items else {
            if !node.isNull { reader.error("found \(node.found) for 'forbid', expected a list", at: node.location) }
            return []
        }
        var rules: [ForbidRule] = []
        for item in items {
            guard let fields = reader.fields(item, "a forbid rule", keys: forbidKeys) else { continue }
            let id = reader.string(fields, "id", in: "the forbid rule", at: item)
            if let id { reader.ids.append((id, item.location)) }
            let subject: SubjectRef?
            if let subjectNode = fields["subject"] {
                subject = SubjectReading.parse(subjectNode, &reader)
            } else {
                reader.error("the forbid rule has no 'subject', expected who must not hold the permissions",
                             at: item.location)
                subject = nil
            }
            let check = ResourceReading.parseEntry(item, fields, "the forbid rule", &reader)
            if let id, let subject, let check {
                rules.append(
                    ForbidRule(id: id, subject: subject, check: check, location: item.location,
                               subjectLocation: fields["subject"]?.location))
            }
        }
        return rules
    }

    private static func parseSettings(_ node: YAMLTree, _ reader: inout ManifestReader) -> [SettingRequirement] {
        guard let items = node.items else {
            if !node.isNull { reader.error("found \(node.found) for 'settings', expected a list", at: node.location) }
            return []
        }
        let keys = ["project"] + settingNames.map(\.manifest) + settingNames.map(\.wire)
        var result: [SettingRequirement] = []
        for item in items {
            let before = reader.diagnostics.count
            guard let fields = reader.fields(item, "a settings entry", keys: keys) else { continue }
            let misspelled = reader.diagnostics.count > before
            let project = reader.string(fields, "project", in: "the settings entry", at: item)
            var values: [String: Bool] = [:]
            for (manifestName, wire) in settingNames {
                for key in [manifestName, wire] {
                    guard let valueNode = fields[key], let value = reader.bool(valueNode, key) else { continue }
                    if values[wire] != nil {
                        reader.error("found both \(manifestName) and \(wire), expected one of them", at: valueNode.location)
                    }
                    values[wire] = value
                }
            }
            if values.isEmpty && !misspelled {
                let names = settingNames.map(\.manifest).joined(separator: ", ")
                reader.error("the settings entry sets nothing, expected one of \(names)", at: item.location)
            }
            if let project {
                result.append(SettingRequirement(project: project, values: values, location: item.location,
                                                 projectLocation: fields["project"]?.location))
            }
        }
        return result
    }

    private static func parseRemediation(_ node: YAMLTree, _ reader: inout ManifestReader) -> RemediationPolicy {
        var policy = RemediationPolicy()
        guard let fields = reader.fields(node, "remediation", keys: remediationKeys) else { return policy }
        if let connection = fields["serviceConnection"],
            let inner = reader.fields(connection, "remediation.serviceConnection", keys: ["project", "name"])
        {
            policy.serviceConnectionProject = reader.string(inner, "project", in: "serviceConnection", at: connection)
            policy.serviceConnectionName = reader.string(inner, "name", in: "serviceConnection", at: connection)
            policy.serviceConnectionLocation = connection.location
        }
        if let exclude = fields["exclude"], let kinds = reader.strings(exclude, "exclude") {
            for (kind, location) in kinds {
                if remedyKinds.contains(kind) {
                    policy.exclude.insert(kind)
                } else {
                    reader.error(
                        "unknown remedy kind '\(kind)' in remediation.exclude, expected one of "
                            + remedyKinds.joined(separator: ", ") + Suggestion.hint(for: kind, in: remedyKinds),
                        at: location)
                }
            }
        }
        return policy
    }

    private static func checkDuplicateIds(_ reader: inout ManifestReader) {
        var seen: [String: SourceLocation] = [:]
        for (id, location) in reader.ids {
            if let first = seen[id] {
                reader.error("duplicate requirement id '\(id)' (first at line \(first.line)), expected ids to be unique",
                             at: location)
            } else {
                seen[id] = location
            }
        }
    }
}

/// Diagnostics in file order (stable for equal positions), as a compiler prints them.
func sorted(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
    diagnostics.enumerated().sorted { lhs, rhs in
        switch (lhs.element.location, rhs.element.location) {
        case let (l?, r?) where l != r: return l < r
        case (nil, _?): return false
        case (_?, nil): return true
        default: return lhs.offset < rhs.offset
        }
    }.map(\.element)
}

/// Lower-case hex SHA-256. (Hex by table: `String(format:)` per byte was 3 % of a plan's CPU, every change id
/// and fingerprint being one of these.)
func sha256Hex(_ data: Data) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    out.reserveCapacity(64)
    for byte in SHA256.hash(data: data) {
        out.append(digits[Int(byte >> 4)])
        out.append(digits[Int(byte & 0x0F)])
    }
    return String(decoding: out, as: UTF8.self)
}

func sha256Hex(_ text: String) -> String { sha256Hex(Data(text.utf8)) }
