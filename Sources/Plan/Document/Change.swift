import Foundation

/// One concrete write a remedy proposes. `id` is `c-` + the first 12 hex digits of the SHA-256 of the canonical
/// JSON of `{kind, target, before, after}`, so the same change has the same id in every plan.
///
/// Shapes by kind:
/// - `ace`: target `{namespaceId, namespace, token, descriptor}`; before `{allow, deny}` of the stored ACE or
///   null; after `{allow, deny}` — the exact ACE to write with `merge: false` (`{0, 0}` = remove the ACE).
/// - `pipeline-setting`: target `{scope: "project"|"organization", projectId?, project?, setting}`; before/after
///   booleans.
/// - `definition`: target `{definitionId, projectId, name, revision}`; before/after `{jobAuthorizationScope}`.
/// - `front-matter`: target `{project?, repository?, path?, file?, key: "permissions.write"}`; before the old
///   value (string or null), after the new one.
/// - `manual`: target `{action}`; before null; after `{steps: [...]}`.
public struct Change: Codable, Sendable, Hashable {
    public enum Kind: String, Codable, Sendable {
        case ace
        case pipelineSetting = "pipeline-setting"
        case definition
        case frontMatter = "front-matter"
        case manual
    }

    public var id: String
    public var kind: Kind
    public var target: JSONValue
    public var before: JSONValue
    public var after: JSONValue
    public var summary: String

    public init(kind: Kind, target: JSONValue, before: JSONValue, after: JSONValue, summary: String) {
        self.kind = kind
        self.target = target
        self.before = before
        self.after = after
        self.summary = summary
        self.id = Self.id(kind: kind, target: target, before: before, after: after)
    }

    /// The content-derived id of a change.
    public static func id(kind: Kind, target: JSONValue, before: JSONValue, after: JSONValue) -> String {
        let content = JSONValue.object([
            "kind": .string(kind.rawValue), "target": target, "before": before, "after": after,
        ])
        return "c-" + String(sha256Hex(CanonicalJSON.encode(content)).prefix(12))
    }

    /// Whether `id` matches the content (a tampered change does not).
    public var hasValidId: Bool { id == Self.id(kind: kind, target: target, before: before, after: after) }

    // MARK: Builders

    /// Sets `descriptor`'s ACE on `token` to exactly `after` (`before` is the stored ACE, if any).
    static func ace(
        namespace: SecurityNamespace,
        token: String,
        descriptor: IdentityDescriptor,
        before: AccessControlEntry?,
        allow: Int,
        deny: Int,
        summary: String
    ) -> Change {
        Change(
            kind: .ace,
            target: .object([
                "namespaceId": .string(namespace.id), "namespace": .string(namespace.title), "token": .string(token),
                "descriptor": .string(descriptor.rawValue),
            ]),
            before: before.map { .object(["allow": .int($0.allow), "deny": .int($0.deny)]) } ?? .null,
            after: .object(["allow": .int(allow), "deny": .int(deny)]),
            summary: summary)
    }

    static func projectSetting(projectId: String, project: String, setting: String, before: Bool, after: Bool) -> Change {
        Change(
            kind: .pipelineSetting,
            target: .object([
                "scope": .string("project"), "projectId": .string(projectId), "project": .string(project),
                "setting": .string(setting),
            ]),
            before: .bool(before), after: .bool(after),
            summary: "setting \(setting) of project \(project): \(before) → \(after)")
    }

    static func organizationSetting(setting: String, before: Bool, after: Bool) -> Change {
        Change(
            kind: .pipelineSetting,
            target: .object(["scope": .string("organization"), "setting": .string(setting)]),
            before: .bool(before), after: .bool(after),
            summary: "setting \(setting) of the organization: \(before) → \(after)")
    }

    static func definitionScope(_ definition: BuildDefinition, after: JobAuthorizationScope) -> Change {
        Change(
            kind: .definition,
            target: .object([
                "definitionId": .int(definition.id), "projectId": .string(definition.projectId),
                "name": .string(definition.name), "revision": .int(definition.revision),
            ]),
            before: .object(["jobAuthorizationScope": .string(definition.jobAuthorizationScope.rawValue)]),
            after: .object(["jobAuthorizationScope": .string(after.rawValue)]),
            summary: "definition \(definition.name) (\(definition.id)) jobAuthorizationScope: "
                + "\(definition.jobAuthorizationScope.rawValue) → \(after.rawValue)")
    }

    static func frontMatter(_ agent: AgentContext, key: String, before: String?, after: String) -> Change {
        var target: [String: JSONValue] = ["key": .string(key)]
        if agent.isLocalFile {
            target["file"] = .string(agent.path)
        } else {
            target["project"] = .string(agent.project)
            target["repository"] = agent.repository.map(JSONValue.string) ?? .null
            target["path"] = .string(agent.path)
        }
        return Change(
            kind: .frontMatter, target: .object(target), before: before.map(JSONValue.string) ?? .null,
            after: .string(after), summary: "front matter \(agent.path): \(key): \(before ?? "(none)") → \(after)")
    }

    static func manual(_ action: String, _ steps: [String]) -> Change {
        Change(
            kind: .manual, target: .object(["action": .string(action)]), before: .null,
            after: .object(["steps": .array(steps.map(JSONValue.string))]), summary: steps.joined(separator: "; "))
    }
}
