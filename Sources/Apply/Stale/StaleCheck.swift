import Plan

/// An object as read right before the first write, to compare with the digest the plan stored.
public enum LiveObject: Sendable, Equatable {
    case acl(AccessControlList?)
    case settings(PipelineSettings)
    case definition(BuildDefinition)
    case file(path: String, text: String?)

    /// The digest `Fingerprint` computes for the same object.
    public var digest: String {
        switch self {
        case .acl(let acl): Fingerprint.acl(acl)
        case .settings(let settings): Fingerprint.settings(settings)
        case .definition(let definition): Fingerprint.definition(definition)
        case .file(_, let text): Fingerprint.file(text)
        }
    }
}

/// One object that changed between plan and apply, with what changed.
public struct StaleDifference: Sendable, Equatable, CustomStringConvertible {
    /// `ACL of Git Repositories repoV2/…`, `settings of project Payments`, …
    public var object: String
    /// One line each: `descriptor …: plan saw allow 0 deny 16404, now no entry`.
    public var details: [String]

    public var description: String { ([object] + details.map { "  " + $0 }).joined(separator: "\n") }
}

/// The stale-plan check: every object an approved change touches must still have the digest the plan stored.
/// Pure — the executor reads the live objects and passes them in.
public enum StaleCheck {
    /// The plan's fingerprint for `key`, matched exactly, else without regard to case (ADO tokens and ids are
    /// case-insensitive).
    public static func fingerprint(_ key: String, in fingerprints: [String: String]) -> String? {
        if let exact = fingerprints[key] { return exact }
        let lowered = key.lowercased()
        return fingerprints.first { $0.key.lowercased() == lowered }?.value
    }

    /// Differences between the plan and `live` (keyed by `Operation.fingerprintKey`), in step order.
    public static func differences(
        fingerprints: [String: String],
        steps: [Step],
        live: [String: LiveObject]
    ) -> [StaleDifference] {
        var seen = Set<String>()
        var result: [StaleDifference] = []
        for step in steps {
            let key = step.operation.fingerprintKey
            guard seen.insert(key).inserted, let object = live[key] else { continue }
            let related = steps.filter { $0.operation.fingerprintKey == key }
            let name = objectName(step.operation, object)
            guard let planned = fingerprint(key, in: fingerprints) else {
                result.append(
                    StaleDifference(
                        object: name,
                        details: ["the plan holds no fingerprint of it (key \(key)), so it cannot be shown unchanged"]
                    )
                )
                continue
            }
            guard planned != object.digest else { continue }
            result.append(StaleDifference(object: name, details: details(related, object)))
        }
        return result
    }

    static func objectName(_ operation: Operation, _ object: LiveObject) -> String {
        switch operation {
        case .ace(let target, _): "ACL \(target.token) (\(target.namespaceName))"
        case .setting(let target, _):
            "pipeline settings of "
                + (target.projectName.map { "project \($0)" } ?? target.projectId.map { "project \($0)" }
                    ?? "the organization")
        case .definition(let target, _): "definition \(target.name) (\(target.definitionId))"
        case .frontMatter(let reference, _, _):
            if case .file(let path, _) = object { "agent file \(path)" } else { "agent file \(reference.label)" }
        }
    }

    static func details(_ steps: [Step], _ object: LiveObject) -> [String] {
        var lines: [String] = []
        switch object {
        case .acl(let acl):
            for step in steps {
                guard case .ace(let target, _) = step.operation else { continue }
                let before =
                    step.change.before == .null ? AceState.absent : (Operation.aceState(step.change.before) ?? .absent)
                let entry = acl?.entries[target.descriptor]
                let now = entry.map { AceState(allow: $0.allow, deny: $0.deny) } ?? .absent
                if before != now {
                    lines.append("descriptor \(target.descriptor.rawValue): plan saw \(before), now \(now)")
                }
            }
            if lines.isEmpty {
                lines.append(
                    acl == nil
                        ? "the ACL no longer exists"
                        : "entries of other identities or the inheritance flag changed (now inheritPermissions "
                            + "\(acl?.inheritPermissions ?? true), \(acl?.entries.count ?? 0) entries)"
                )
            }
        case .settings(let settings):
            for step in steps {
                guard case .setting(let target, _) = step.operation else { continue }
                let before = step.change.before.boolValue.map(String.init) ?? "?"
                let now = settings.values[target.name].map(String.init) ?? "unset"
                if before != now { lines.append("\(target.name): plan saw \(before), now \(now)") }
            }
            if lines.isEmpty { lines.append("another setting of the same scope changed") }
        case .definition(let definition):
            for step in steps {
                guard case .definition(let target, _) = step.operation else { continue }
                let before = step.change.before["jobAuthorizationScope"]?.stringValue ?? "?"
                lines.append(
                    "revision: plan saw \(target.revision), now \(definition.revision); "
                        + "jobAuthorizationScope: plan saw \(before), now \(definition.jobAuthorizationScope.rawValue)"
                )
            }
        case .file(let path, let text):
            lines.append(
                text == nil
                    ? "\(path) does not exist"
                    : "\(path) differs from the text the plan read (sha256 now \(sha256(of: text ?? "").prefix(12))…)"
            )
        }
        return lines
    }
}
