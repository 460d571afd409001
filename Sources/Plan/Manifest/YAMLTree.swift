import Yams

/// A YAML node detached from Yams, with the position it was read from. Yams' own `Node` is a class-backed,
/// non-`Sendable` tree; this is the small value the manifest, front-matter and lock readers walk.
struct YAMLTree: Sendable {
    enum Kind: Sendable {
        /// A scalar; `plain` is false when it was quoted or a block scalar (so `"true"` stays a string).
        case scalar(String, plain: Bool)
        case mapping([(key: YAMLTree, value: YAMLTree)])
        case sequence([YAMLTree])
    }

    var kind: Kind
    var location: SourceLocation

    /// Parses `text` (one YAML document). Returns nil for an empty document. `lineOffset` is added to every line
    /// number (front matter starts below its `---` line). Refuses input over `YAMLLimits` before building anything
    /// big: too many bytes, nesting too deep, or any alias (so an anchor bomb never expands).
    static func parse(_ text: String, file: String, lineOffset: Int = 0) throws(Diagnostic) -> YAMLTree? {
        try YAMLLimits.check(text, file: file, lineOffset: lineOffset)
        let node: Node?
        do {
            // No tag resolution: the readers look at scalar text and style only, and Yams' default resolver runs
            // its regular expressions on every plain scalar (and on every mapping key, for the duplicate check) —
            // a seventh of a plan's CPU with 1,600 pipeline files. Keys compare by text, as `subscript` does.
            node = try Yams.compose(yaml: text, .basic)
        } catch let error as YamlError {
            var shifted = diagnostic(for: error, file: file)
            shifted.location?.line += lineOffset
            throw shifted
        } catch {
            throw Diagnostic(.error, "cannot read YAML: \(error)", at: SourceLocation(file: file, line: 1, column: 1))
        }
        guard let node else { return nil }
        var walk = Walk(text: text, file: file, lineOffset: lineOffset)
        return try convert(node, depth: 1, &walk)
    }

    /// What `convert` carries through the tree: where the previous node started (to recognise alias copies).
    private struct Walk {
        let text: String
        let file: String
        let lineOffset: Int
        var last = (line: 0, column: 0)

        func location(_ mark: Mark?) -> SourceLocation {
            SourceLocation(file: file, line: (mark?.line ?? 1) + lineOffset, column: mark?.column ?? 1)
        }
    }

    private static func convert(_ node: Node, depth: Int, _ walk: inout Walk) throws(Diagnostic) -> YAMLTree {
        let mark = node.mark
        let location = walk.location(mark)
        guard depth <= YAMLLimits.maxDepth else {
            throw Diagnostic(
                .error,
                "found YAML nested more than \(YAMLLimits.maxDepth) levels deep, expected a flatter document",
                at: location
            )
        }
        // Yams resolves an alias to the anchored node itself, so the tree never holds `.alias`: a copy shows as a
        // node that starts before the one visited just before it (document order is otherwise never decreasing).
        if let mark {
            if (mark.line, mark.column) < walk.last {
                throw Diagnostic(
                    .error,
                    "found a YAML alias of the node at line \(mark.line + walk.lineOffset), expected plain values "
                        + "(anchors and aliases are not supported)",
                    at: YAMLLimits.aliasLocation(after: walk.last, in: walk.text, file: walk.file, lineOffset: walk.lineOffset)
                        ?? location
                )
            }
            walk.last = (mark.line, mark.column)
        }
        switch node {
        case .scalar(let scalar):
            let plain = scalar.style == .plain || scalar.style == .any
            return YAMLTree(kind: .scalar(scalar.string, plain: plain), location: location)
        case .mapping(let mapping):
            var pairs: [(key: YAMLTree, value: YAMLTree)] = []
            for (key, value) in mapping {
                let convertedKey = try convert(key, depth: depth + 1, &walk)
                pairs.append((convertedKey, try convert(value, depth: depth + 1, &walk)))
            }
            return YAMLTree(kind: .mapping(pairs), location: location)
        case .sequence(let sequence):
            var items: [YAMLTree] = []
            for item in sequence { items.append(try convert(item, depth: depth + 1, &walk)) }
            return YAMLTree(kind: .sequence(items), location: location)
        case .alias:
            throw Diagnostic(
                .error,
                "found a YAML alias, expected plain values (anchors and aliases are not supported)",
                at: location
            )
        }
    }

    private static func diagnostic(for error: YamlError, file: String) -> Diagnostic {
        func at(_ mark: Mark) -> SourceLocation { SourceLocation(file: file, line: mark.line, column: mark.column) }
        switch error {
        case .scanner(let context, let problem, let mark, _),
            .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let detail = context.map { "\($0.text) " } ?? ""
            return Diagnostic(.error, "invalid YAML: \(detail)\(problem)", at: at(mark))
        case .duplicatedKeysInMapping(let duplicates, let context):
            // Yams orders the duplicated keys (and picks the one it points at) by an order that ties for keys that
            // are not scalars ("<uncovertable>") or share their text, so then which one comes first depends on
            // hash order: sort the names here, and point at the file rather than at a key that varies run to run.
            let names = duplicates.sorted()
            let keys = names.map { $0 == "<uncovertable>" ? "a non-scalar key" : "'\($0)'" }.joined(separator: ", ")
            let ambiguous = names.contains("<uncovertable>") || Set(names).count < names.count
            let location = ambiguous ? SourceLocation(file: file, line: 1, column: 1) : at(context.mark)
            return Diagnostic(.error, "duplicate key \(keys) in a mapping, expected each key once", at: location)
        case .reader(let problem, _, _, _):
            return Diagnostic(.error, "cannot read YAML: \(problem)", at: SourceLocation(file: file, line: 1, column: 1))
        default:
            return Diagnostic(.error, "invalid YAML: \(error)", at: SourceLocation(file: file, line: 1, column: 1))
        }
    }

    // MARK: - Accessors

    /// The scalar text, if this is a scalar.
    var scalar: String? {
        if case .scalar(let text, _) = kind { return text }
        return nil
    }

    /// True for `~`, `null` and empty plain scalars.
    var isNull: Bool {
        if case .scalar(let text, let plain) = kind, plain {
            return text.isEmpty || text == "~" || text.lowercased() == "null"
        }
        return false
    }

    /// A plain `true`/`false` (case-insensitive). YAML 1.1's `yes`/`no`/`on`/`off` are not booleans here.
    var bool: Bool? {
        guard case .scalar(let text, let plain) = kind, plain else { return nil }
        switch text.lowercased() {
        case "true": return true
        case "false": return false
        default: return nil
        }
    }

    /// A plain integer.
    var int: Int? {
        guard case .scalar(let text, let plain) = kind, plain else { return nil }
        return Int(text)
    }

    var pairs: [(key: YAMLTree, value: YAMLTree)]? {
        if case .mapping(let pairs) = kind { return pairs }
        return nil
    }

    var items: [YAMLTree]? {
        if case .sequence(let items) = kind { return items }
        return nil
    }

    /// The value of the first `key` of a mapping.
    subscript(key: String) -> YAMLTree? {
        pairs?.first { $0.key.scalar == key }?.value
    }

    /// Short description for "found …" messages.
    var found: String {
        switch kind {
        case .scalar(let text, _):
            if isNull { return "an empty value" }
            return "'\(text.count > 40 ? String(text.prefix(40)) + "…" : text)'"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        }
    }
}
