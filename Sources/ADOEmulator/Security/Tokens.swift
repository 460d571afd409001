/// Security-token rules the emulator applies per namespace (reference/ado-rest.md §13.1). The server's own
/// algorithm is not public; these rules follow the documented token formats and are UNCONFIRMED as ADO's code:
///
/// - Tokens compare without case, and a trailing separator is ignored (`repoV2/p/r/refs/heads/6d00…/` and
///   `…/6d00…` are one token; `NAMESPACE:` and `NAMESPACE` are one token). The store keys ACLs by this
///   canonical form and answers with the spelling the ACL was first stored with.
/// - Parent: drop the last element. Elements are split on the namespace's separator, except that a
///   `vstfs:///…` URI is one element even though it contains `:` (Project and CSS/Iteration tokens), so the
///   parent of `$PROJECT:vstfs:///Classification/TeamProject/{id}` is `$PROJECT` and the parent of a CSS child
///   node is its parent node's token. Fixed-length namespaces split every `elementLength` characters. Flat
///   namespaces (structureValue 0) have no parents.
enum Tokens {
    /// The canonical (comparison) form of a token in a namespace.
    static func key(_ token: String, in namespace: Namespace) -> String {
        var lowered = token.lowercased()
        if let separator = namespace.separator, namespace.isHierarchical {
            while lowered.count > 1, lowered.last == separator { lowered.removeLast() }
        }
        return lowered
    }

    /// The elements of a token (canonical form).
    static func elements(_ key: String, in namespace: Namespace) -> [String] {
        guard namespace.isHierarchical else { return [key] }
        if namespace.elementLength > 0 {
            var parts: [String] = []
            var rest = Substring(key)
            while !rest.isEmpty {
                parts.append(String(rest.prefix(namespace.elementLength)))
                rest = rest.dropFirst(namespace.elementLength)
            }
            return parts
        }
        guard let separator = namespace.separator else { return [key] }
        let raw = key.split(separator: separator, omittingEmptySubsequences: false).map(String.init)
        var parts: [String] = []
        var index = 0
        while index < raw.count {
            // `vstfs:///x` splits on ':' into "vstfs" and "///x": keep the URI whole.
            if separator == ":" && raw[index] == "vstfs" && index + 1 < raw.count && raw[index + 1].hasPrefix("//") {
                parts.append("vstfs:" + raw[index + 1])
                index += 2
            } else {
                parts.append(raw[index])
                index += 1
            }
        }
        return parts
    }

    /// The canonical keys from `key` itself up to the namespace root, most specific first.
    static func chain(_ key: String, in namespace: Namespace) -> [String] {
        let parts = elements(key, in: namespace)
        guard parts.count > 1, let separator = namespace.separator ?? (namespace.elementLength > 0 ? "\u{0}" : nil)
        else { return [key] }
        let joiner = namespace.elementLength > 0 ? "" : String(separator)
        var result: [String] = []
        var count = parts.count
        while count > 0 {
            let candidate = parts[0..<count].joined(separator: joiner)
            if !candidate.isEmpty { result.append(candidate) }
            count -= 1
        }
        return result
    }

    /// Whether `key` lies strictly below `ancestor` (both canonical).
    static func isDescendant(_ key: String, of ancestor: String, in namespace: Namespace) -> Bool {
        guard key.count > ancestor.count, key.hasPrefix(ancestor) else { return false }
        return chain(key, in: namespace).dropFirst().contains(ancestor)
    }
}

/// Git ref tokens: each path segment of the ref name below `refs/heads/` (or `refs/tags/`) as UTF-16LE bytes in
/// lower-case hex, e.g. `main` → `6d00610069006e00` (reference/ado-rest.md §6).
enum GitTokens {
    static func encodeSegment(_ segment: String) -> String {
        var hex = ""
        for unit in segment.utf16 {
            hex += byteHex(UInt8(unit & 0xFF)) + byteHex(UInt8(unit >> 8))
        }
        return hex
    }

    private static func byteHex(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }

    /// The token of a ref (`refs/heads/release/1.0`) in a repository; other refs fall back to the repo token.
    static func refToken(repositoryToken: String, refName: String) -> String {
        for prefix in ["refs/heads/", "refs/tags/"] where refName.hasPrefix(prefix) {
            let name = refName.dropFirst(prefix.count)
            let encoded = name.split(separator: "/").map { encodeSegment(String($0)) }.joined(separator: "/")
            return "\(repositoryToken)/\(prefix)\(encoded)"
        }
        return repositoryToken
    }
}
