/// Security tokens (reference/ado-rest.md §6, §7, §12) and the token hierarchy the evaluator walks.
///
/// Tokens are compared in a canonical form: lower case, one trailing separator dropped (ADO treats tokens
/// case-insensitively; whether it canonicalizes a trailing `/` is UNCONFIRMED, so `x` and `x/` are one token here,
/// as in the emulator).
public enum Tokens {
    // MARK: Builders

    /// `repoV2`: every repository of every project.
    public static let gitRoot = "repoV2"

    /// `repoV2/{projectId}`: every repository of a project.
    public static func gitProject(_ projectId: String) -> String { "repoV2/\(projectId.lowercased())" }

    /// `repoV2/{projectId}/{repositoryId}`.
    public static func gitRepository(projectId: String, repositoryId: String) -> String {
        "repoV2/\(projectId.lowercased())/\(repositoryId.lowercased())"
    }

    /// `repoV2/{projectId}/{repositoryId}/refs/heads/{seg-hex}/…/` for a branch or branch folder (`agent`,
    /// `release/1.0`); a leading `refs/heads/` is accepted. Written with the trailing `/` of Microsoft's token
    /// documentation (UNCONFIRMED whether the service needs it; lookups ignore it).
    public static func gitBranch(projectId: String, repositoryId: String, branch: String) -> String {
        var name = branch
        if name.hasPrefix("refs/heads/") { name.removeFirst("refs/heads/".count) }
        return gitRepository(projectId: projectId, repositoryId: repositoryId) + "/refs/heads/"
            + encodeBranch(name) + "/"
    }

    /// Each `/`-separated segment as UTF-16LE bytes in lower-case hex (`main` → `6d00610069006e00`).
    public static func encodeBranch(_ name: String) -> String {
        name.split(separator: "/", omittingEmptySubsequences: true).map { segment in
            segment.utf16.map { unit in hex(UInt8(unit & 0xFF)) + hex(UInt8(unit >> 8)) }.joined()
        }.joined(separator: "/")
    }

    /// Inverse of `encodeBranch`, nil when a segment is not UTF-16LE hex.
    public static func decodeBranch(_ encoded: String) -> String? {
        var segments: [String] = []
        for segment in encoded.split(separator: "/") {
            let chars = Array(segment)
            guard chars.count % 4 == 0 else { return nil }
            var units: [UInt16] = []
            var index = 0
            while index < chars.count {
                guard let low = UInt16(String(chars[index..<index + 2]), radix: 16),
                    let high = UInt16(String(chars[index + 2..<index + 4]), radix: 16)
                else { return nil }
                units.append(low | high << 8)
                index += 4
            }
            segments.append(String(decoding: units, as: UTF16.self))
        }
        return segments.joined(separator: "/")
    }

    /// Build: `{projectId}` (all pipelines), `{projectId}/{folder/path}` or `{projectId}[/{folder…}]/{definitionId}`.
    public static func build(projectId: String, folderPath: String = "\\", definitionId: Int? = nil) -> String {
        var parts = [projectId.lowercased()]
        parts += folderPath.split(separator: "\\").map(String.init).filter { !$0.isEmpty }
        if let definitionId { parts.append(String(definitionId)) }
        return parts.joined(separator: "/")
    }

    /// CSS (area) token: the `:`-joined `vstfs:///Classification/Node/{guid}` chain from the root area node.
    public static func css(chain identifiers: [String]) -> String {
        identifiers.map { "vstfs:///Classification/Node/\($0.lowercased())" }.joined(separator: ":")
    }

    /// Project namespace token of a project.
    public static func project(_ projectId: String) -> String {
        "$PROJECT:vstfs:///Classification/TeamProject/\(projectId.lowercased())"
    }

    /// Collection namespace token, as terraform writes it (`NAMESPACE` without `:` is the same token here).
    public static let collection = "NAMESPACE:"

    /// Process namespace root (all processes).
    public static let processRoot = "$PROCESS"

    /// `$PROCESS:{typeId}:` (system) or `$PROCESS:{parentTypeId}:{typeId}:` (inherited).
    public static func process(typeId: String, parentTypeId: String?) -> String {
        let zero = "00000000-0000-0000-0000-000000000000"
        if let parentTypeId, parentTypeId.lowercased() != zero {
            return "$PROCESS:\(parentTypeId.lowercased()):\(typeId.lowercased()):"
        }
        return "$PROCESS:\(typeId.lowercased()):"
    }

    // MARK: Hierarchy

    /// The canonical comparison key: lower case, without one trailing separator.
    public static func canonical(_ token: String, separator: Character?) -> String {
        var key = token.lowercased()
        if let separator, key.count > 1, key.last == separator { key.removeLast() }
        return key
    }

    /// The canonical keys from `token` up to its root, most specific first (`[token, parent, …, root]`).
    /// Flat namespaces have only the token itself.
    public static func chain(_ token: String, in namespace: SecurityNamespace) -> [String] {
        var keys = [canonical(token, separator: namespace.separator)]
        guard namespace.isHierarchical else { return keys }
        while let parent = parentKey(of: keys[keys.count - 1], in: namespace) { keys.append(parent) }
        return keys
    }

    /// The parent of a canonical key, nil at the root.
    public static func parentKey(of key: String, in namespace: SecurityNamespace) -> String? {
        guard namespace.isHierarchical, !key.isEmpty else { return nil }
        if namespace.elementLength > 0 {
            return key.count > namespace.elementLength ? String(key.dropLast(namespace.elementLength)) : nil
        }
        guard let separator = namespace.separator else { return nil }
        let elements = elements(of: key, separator: separator)
        guard elements.count > 1 else { return nil }
        return elements.dropLast().joined(separator: String(separator))
    }

    /// Splits on the separator, keeping `vstfs:///…` URIs whole when the separator is `:` (Project, CSS and
    /// Iteration tokens embed them).
    static func elements(of key: String, separator: Character) -> [String] {
        let raw = key.split(separator: separator, omittingEmptySubsequences: false).map(String.init)
        guard separator == ":" else { return raw }
        var merged: [String] = []
        var index = 0
        while index < raw.count {
            if raw[index] == "vstfs", index + 1 < raw.count, raw[index + 1].hasPrefix("///") {
                merged.append(raw[index] + ":" + raw[index + 1])
                index += 2
            } else {
                merged.append(raw[index])
                index += 1
            }
        }
        return merged
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }
}
