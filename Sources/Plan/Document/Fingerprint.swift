/// Digests of what a plan saw, so `apply` can refuse a stale plan: it reads the live object again, computes the
/// same digest with these functions and compares it with `PlanDocument.fingerprints`.
public enum Fingerprint {
    /// `<namespaceId>|<canonical token>`.
    public static func aclKey(namespaceId: String, token: String, separator: Character?) -> String {
        namespaceId.lowercased() + "|" + Tokens.canonical(token, separator: separator)
    }

    /// SHA-256 of an ACL's content: inherit flag and every ACE (descriptors lower-cased, sorted; zero ACEs
    /// dropped, as ADO does not keep them). An absent ACL has the digest of `absent`.
    public static func acl(_ acl: AccessControlList?) -> String {
        guard let acl else { return sha256Hex("absent") }
        let entries = acl.entries.values.filter { $0.allow != 0 || $0.deny != 0 }
            .sorted { $0.descriptor.key < $1.descriptor.key }
            .map { "\($0.descriptor.key):\($0.allow):\($0.deny)" }
        return sha256Hex("inherit=\(acl.inheritPermissions)\n" + entries.joined(separator: "\n"))
    }

    /// `settings|<projectId>` or `settings|organization`.
    public static func settingsKey(projectId: String?) -> String { "settings|" + (projectId?.lowercased() ?? "organization") }

    /// SHA-256 of pipeline general settings (every boolean, by wire name, sorted).
    public static func settings(_ settings: PipelineSettings) -> String {
        sha256Hex(settings.values.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "\n"))
    }

    /// `definition|<id>`.
    public static func definitionKey(_ id: Int) -> String { "definition|\(id)" }

    /// SHA-256 of the definition properties a plan relies on: revision, job authorization scope, folder, process.
    public static func definition(_ definition: BuildDefinition) -> String {
        sha256Hex([
            "id=\(definition.id)", "revision=\(definition.revision)",
            "jobAuthorizationScope=\(definition.jobAuthorizationScope.rawValue)", "path=\(definition.path)",
            "process=\(definition.processType.rawValue)", "yaml=\(definition.yamlFilename ?? "")",
        ].joined(separator: "\n"))
    }

    /// `file|<project>/<repository>/<path>` or `file|<local path>`.
    public static func fileKey(_ path: String) -> String { "file|" + path }

    /// SHA-256 of a file's text.
    public static func file(_ text: String?) -> String { sha256Hex(text ?? "absent") }
}
