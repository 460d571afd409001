import Plan

/// An identity's explicit allow/deny pair on one token. `{0, 0}` is "no entry": ADO (and the emulator) do not keep
/// an ACE without bits, and plans fingerprint ACLs with zero entries dropped.
public struct AceState: Sendable, Hashable, CustomStringConvertible {
    public var allow: Int
    public var deny: Int

    public init(allow: Int, deny: Int) {
        self.allow = allow
        self.deny = deny
    }

    public static let absent = AceState(allow: 0, deny: 0)

    public var isAbsent: Bool { allow == 0 && deny == 0 }

    public var description: String { isAbsent ? "no entry" : "allow \(allow) deny \(deny)" }
}

/// What an ACE change does, as bits set and cleared on each side. The plan stores the exact ACE it computed from
/// the state it saw; apply re-derives the exact ACE from the entry that is live when the change runs, so two
/// approved changes to the same entry compose instead of the second undoing the first.
public struct AceIntent: Sendable, Hashable {
    public var setAllow: Int
    public var clearAllow: Int
    public var setDeny: Int
    public var clearDeny: Int

    public init(setAllow: Int = 0, clearAllow: Int = 0, setDeny: Int = 0, clearDeny: Int = 0) {
        self.setAllow = setAllow
        self.clearAllow = clearAllow
        self.setDeny = setDeny
        self.clearDeny = clearDeny
    }

    /// The intent that turns `before` into `after`.
    public static func between(before: AceState, after: AceState) -> AceIntent {
        AceIntent(
            setAllow: after.allow & ~before.allow,
            clearAllow: before.allow & ~after.allow,
            setDeny: after.deny & ~before.deny,
            clearDeny: before.deny & ~after.deny
        )
    }

    /// The exact entry to write (`merge: false`) over `live`. A bit the intent allows is never left denied, and the
    /// other way round, so over a live entry without such a bit the result has none either.
    public func applied(to live: AceState) -> AceState {
        AceState(
            allow: ((live.allow | setAllow) & ~clearAllow) & ~setDeny,
            deny: ((live.deny | setDeny) & ~clearDeny) & ~setAllow
        )
    }
}

/// One ACE: namespace, token (as ADO stores it) and identity descriptor.
public struct AceTarget: Sendable, Hashable {
    public var namespaceId: String
    /// Display name of the namespace, for messages.
    public var namespaceName: String
    public var token: String
    public var descriptor: IdentityDescriptor

    public init(namespaceId: String, namespaceName: String, token: String, descriptor: IdentityDescriptor) {
        self.namespaceId = namespaceId.lowercased()
        self.namespaceName = namespaceName
        self.token = token
        self.descriptor = descriptor
    }
}

/// One pipeline general setting of a project, or of the organization when `projectId` is nil.
public struct SettingTarget: Sendable, Hashable {
    public var projectId: String?
    public var projectName: String?
    /// Wire name (`enforceJobAuthScope`).
    public var name: String

    public init(projectId: String?, projectName: String?, name: String) {
        self.projectId = projectId?.lowercased()
        self.projectName = projectName
        self.name = name
    }

    var label: String { "setting \(name) of " + (projectName.map { "project \($0)" } ?? "the organization") }
}

/// A build definition's `jobAuthorizationScope`.
public struct DefinitionTarget: Sendable, Hashable {
    public var projectId: String
    public var definitionId: Int
    public var name: String
    /// Revision the plan saw.
    public var revision: Int

    public init(projectId: String, definitionId: Int, name: String, revision: Int) {
        self.projectId = projectId.lowercased()
        self.definitionId = definitionId
        self.name = name
        self.revision = revision
    }
}

/// An agent markdown file as the plan names it: a repository path (resolved under the checkout directory) or a
/// local `file:` of the manifest.
public struct AgentFileReference: Sendable, Hashable {
    public var project: String?
    public var repository: String?
    /// Path inside the repository.
    public var path: String?
    /// A manifest's local `file:` path.
    public var file: String?

    public init(project: String? = nil, repository: String? = nil, path: String? = nil, file: String? = nil) {
        self.project = project
        self.repository = repository
        self.path = path
        self.file = file
    }

    /// The path relative to the checkout directory (or absolute).
    public var relativePath: String { file ?? path ?? "" }

    /// `file|…` key of the plan's fingerprint (`Payments/payments-api/agents/x.md`, or the local path).
    public var fingerprintKey: String {
        if let file { return Fingerprint.fileKey(file) }
        return Fingerprint.fileKey([project, repository, path].compactMap { $0 }.joined(separator: "/"))
    }

    public var label: String { file ?? [project, repository, path].compactMap { $0 }.joined(separator: "/") }
}

/// What one approved change writes, decoded from the plan's `Change` (CONTRACTS.md §3, shapes in `Change`).
public enum Operation: Sendable, Hashable {
    case ace(AceTarget, AceIntent)
    case setting(SettingTarget, value: Bool)
    case definition(DefinitionTarget, scope: JobAuthorizationScope)
    case frontMatter(AgentFileReference, key: String, value: String)

    /// Decodes a change; nil for `manual` changes (never applied) — throws for a shape it cannot read.
    public static func decode(_ change: Change) throws(StepError) -> Operation? {
        let target = change.target
        func string(_ key: String) throws(StepError) -> String {
            guard let value = target[key]?.stringValue, !value.isEmpty else {
                throw .unreadableChange(change.id, "its target has no '\(key)'")
            }
            return value
        }
        switch change.kind {
        case .manual:
            return nil
        case .ace:
            let descriptor = IdentityDescriptor(try string("descriptor"))
            let namespaceId = try string("namespaceId")
            let ace = AceTarget(
                namespaceId: namespaceId,
                namespaceName: target["namespace"]?.stringValue ?? namespaceId,
                token: try string("token"),
                descriptor: descriptor
            )
            guard let after = aceState(change.after) else {
                throw .unreadableChange(change.id, "its after-image is not {allow, deny}")
            }
            let before: AceState
            if change.before == .null {
                before = .absent
            } else if let state = aceState(change.before) {
                before = state
            } else {
                throw .unreadableChange(change.id, "its before-image is not {allow, deny} or null")
            }
            return .ace(ace, AceIntent.between(before: before, after: after))
        case .pipelineSetting:
            let scope = try string("scope")
            let projectId = scope == "organization" ? nil : try string("projectId")
            guard let value = change.after.boolValue else {
                throw .unreadableChange(change.id, "its after-image is not a boolean")
            }
            return .setting(
                SettingTarget(
                    projectId: projectId,
                    projectName: target["project"]?.stringValue,
                    name: try string("setting")
                ),
                value: value
            )
        case .definition:
            guard let id = target["definitionId"]?.intValue, let revision = target["revision"]?.intValue else {
                throw .unreadableChange(change.id, "its target has no definitionId/revision")
            }
            guard let text = change.after["jobAuthorizationScope"]?.stringValue,
                let scope = JobAuthorizationScope(rawValue: text)
            else {
                throw .unreadableChange(change.id, "its after-image has no known jobAuthorizationScope")
            }
            return .definition(
                DefinitionTarget(
                    projectId: try string("projectId"),
                    definitionId: id,
                    name: target["name"]?.stringValue ?? "\(id)",
                    revision: revision
                ),
                scope: scope
            )
        case .frontMatter:
            guard let value = change.after.stringValue else {
                throw .unreadableChange(change.id, "its after-image is not a string")
            }
            let reference = AgentFileReference(
                project: target["project"]?.stringValue,
                repository: target["repository"]?.stringValue,
                path: target["path"]?.stringValue,
                file: target["file"]?.stringValue
            )
            guard !reference.relativePath.isEmpty else {
                throw .unreadableChange(change.id, "its target names no file (path or file)")
            }
            return .frontMatter(reference, key: try string("key"), value: value)
        }
    }

    static func aceState(_ value: JSONValue) -> AceState? {
        guard let allow = value["allow"]?.intValue, let deny = value["deny"]?.intValue else { return nil }
        return AceState(allow: allow, deny: deny)
    }

    /// The plan's fingerprint key of the object the operation touches.
    public var fingerprintKey: String {
        switch self {
        case .ace(let target, _): target.namespaceId + "|" + target.token
        case .setting(let target, _): Fingerprint.settingsKey(projectId: target.projectId)
        case .definition(let target, _): Fingerprint.definitionKey(target.definitionId)
        case .frontMatter(let reference, _, _): reference.fingerprintKey
        }
    }
}
