import Plan

/// The object a step reads and writes, resolved for this run (an agent file has its absolute local path). Its
/// `journalTarget` is what the journal records, and all that rollback needs to find the object again.
public enum Resource: Sendable, Hashable {
    case ace(AceTarget)
    case setting(SettingTarget)
    case definition(DefinitionTarget)
    case file(path: String, reference: AgentFileReference)

    public var kind: Change.Kind {
        switch self {
        case .ace: .ace
        case .setting: .pipelineSetting
        case .definition: .definition
        case .file: .frontMatter
        }
    }

    /// One line for people: `ACE of X on repoV2/… (Git Repositories)`.
    public var label: String {
        switch self {
        case .ace(let target):
            "ACE of \(target.descriptor.rawValue) on \(target.token) (\(target.namespaceName))"
        case .setting(let target): target.label
        case .definition(let target): "definition \(target.name) (\(target.definitionId)) jobAuthorizationScope"
        case .file(let path, _): "front matter of \(path)"
        }
    }

    public var journalTarget: JSONValue {
        var members: [String: JSONValue] = ["kind": .string(kind.rawValue)]
        switch self {
        case .ace(let target):
            members["namespaceId"] = .string(target.namespaceId)
            members["namespace"] = .string(target.namespaceName)
            members["token"] = .string(target.token)
            members["descriptor"] = .string(target.descriptor.rawValue)
        case .setting(let target):
            members["scope"] = .string(target.projectId == nil ? "organization" : "project")
            members["setting"] = .string(target.name)
            if let projectId = target.projectId { members["projectId"] = .string(projectId) }
            if let project = target.projectName { members["project"] = .string(project) }
        case .definition(let target):
            members["projectId"] = .string(target.projectId)
            members["definitionId"] = .int(target.definitionId)
            members["name"] = .string(target.name)
            members["revision"] = .int(target.revision)
        case .file(let path, let reference):
            members["localPath"] = .string(path)
            if let project = reference.project { members["project"] = .string(project) }
            if let repository = reference.repository { members["repository"] = .string(repository) }
            if let repoPath = reference.path { members["path"] = .string(repoPath) }
            if let file = reference.file { members["file"] = .string(file) }
        }
        return .object(members)
    }

    /// Reads a journal's `target` back; nil when it is not one this version writes.
    public static func decode(journalTarget target: JSONValue) -> Resource? {
        guard let kind = target["kind"]?.stringValue.flatMap(Change.Kind.init(rawValue:)) else { return nil }
        switch kind {
        case .ace:
            guard let namespaceId = target["namespaceId"]?.stringValue, let token = target["token"]?.stringValue,
                let descriptor = target["descriptor"]?.stringValue
            else { return nil }
            return .ace(
                AceTarget(
                    namespaceId: namespaceId,
                    namespaceName: target["namespace"]?.stringValue ?? namespaceId,
                    token: token,
                    descriptor: IdentityDescriptor(descriptor)
                )
            )
        case .pipelineSetting:
            guard let name = target["setting"]?.stringValue else { return nil }
            let projectId = target["projectId"]?.stringValue
            if target["scope"]?.stringValue != "organization" && projectId == nil { return nil }
            return .setting(
                SettingTarget(projectId: projectId, projectName: target["project"]?.stringValue, name: name)
            )
        case .definition:
            guard let projectId = target["projectId"]?.stringValue, let id = target["definitionId"]?.intValue else {
                return nil
            }
            return .definition(
                DefinitionTarget(
                    projectId: projectId,
                    definitionId: id,
                    name: target["name"]?.stringValue ?? "\(id)",
                    revision: target["revision"]?.intValue ?? 0
                )
            )
        case .frontMatter:
            guard let path = target["localPath"]?.stringValue, path.hasPrefix("/") else { return nil }
            return .file(
                path: path,
                reference: AgentFileReference(
                    project: target["project"]?.stringValue,
                    repository: target["repository"]?.stringValue,
                    path: target["path"]?.stringValue,
                    file: target["file"]?.stringValue
                )
            )
        case .manual:
            return nil
        }
    }
}

/// The state of a resource at one moment: a before-image (as read before the write), an intended after-image, or
/// what a read-back found. Journaled in full; compared by the part the change is about.
public enum Image: Sendable, Hashable {
    /// The descriptor's entry (`.absent` when it has none).
    case ace(AceState)
    /// The setting's value; `all` is every setting of the scope (before-images).
    case setting(Bool, all: [String: Bool]?)
    /// `scope` is a `JobAuthorizationScope` raw value; `body` the full definition JSON (before-images).
    case definition(scope: String, revision: Int?, body: JSONValue?)
    /// The file's full text, nil when there is no file.
    case file(text: String?)

    /// Whether two images describe the same state of what the change is about: the entry's bits, the setting's
    /// value, the definition's scope, the file's text. (Revisions, other settings and bodies are context.)
    public func sameState(as other: Image) -> Bool {
        switch (self, other) {
        case (.ace(let a), .ace(let b)): a == b
        case (.setting(let a, _), .setting(let b, _)): a == b
        case (.definition(let a, _, _), .definition(let b, _, _)): a == b
        case (.file(let a), .file(let b)): a == b
        default: false
        }
    }

    /// Short form for messages.
    public var summary: String {
        switch self {
        case .ace(let state): state.description
        case .setting(let value, _): String(value)
        case .definition(let scope, let revision, _):
            "jobAuthorizationScope \(scope)" + (revision.map { " (revision \($0))" } ?? "")
        case .file(let text): text.map { "\($0.utf8.count) bytes, sha256 \(sha256(of: $0).prefix(12))…" } ?? "no file"
        }
    }

    public var json: JSONValue {
        switch self {
        case .ace(let state):
            return .object(["allow": .int(state.allow), "deny": .int(state.deny), "present": .bool(!state.isAbsent)])
        case .setting(let value, let all):
            var members: [String: JSONValue] = ["value": .bool(value)]
            if let all { members["settings"] = .object(all.mapValues(JSONValue.bool)) }
            return .object(members)
        case .definition(let scope, let revision, let body):
            var members: [String: JSONValue] = ["jobAuthorizationScope": .string(scope)]
            if let revision { members["revision"] = .int(revision) }
            if let body { members["definition"] = body }
            return .object(members)
        case .file(let text):
            guard let text else { return .object(["text": .null]) }
            return .object(["text": .string(text), "sha256": .string(sha256(of: text))])
        }
    }

    /// Reads an image of `kind` back from a journal.
    public static func decode(_ json: JSONValue?, kind: Change.Kind) -> Image? {
        guard let json else { return nil }
        switch kind {
        case .ace:
            guard let allow = json["allow"]?.intValue, let deny = json["deny"]?.intValue else { return nil }
            return .ace(AceState(allow: allow, deny: deny))
        case .pipelineSetting:
            guard let value = json["value"]?.boolValue else { return nil }
            var all: [String: Bool]?
            if case .object(let members) = json["settings"] ?? .null { all = members.compactMapValues(\.boolValue) }
            return .setting(value, all: all)
        case .definition:
            guard let scope = json["jobAuthorizationScope"]?.stringValue else { return nil }
            return .definition(scope: scope, revision: json["revision"]?.intValue, body: json["definition"])
        case .frontMatter:
            guard case .object(let members) = json, let text = members["text"] else { return nil }
            if text == .null { return .file(text: nil) }
            guard let string = text.stringValue else { return nil }
            return .file(text: string)
        case .manual:
            return nil
        }
    }
}
