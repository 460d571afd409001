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
    /// number (front matter starts below its `---` line).
    static func parse(_ text: String, file: String, lineOffset: Int = 0) throws(Diagnostic) -> YAMLTree? {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            var shifted = diagnostic(for: error, file: file)
            shifted.location?.line += lineOffset
            throw shifted
        } catch {
            throw Diagnostic(.error, "cannot read YAML: \(error)", at: SourceLocation(file: file, line: 1, column: 1))
        }
        guard let node else { return nil }
        return try convert(node, file: file, lineOffset: lineOffset)
    }

    private static func convert(_ node: Node, file: String, lineOffset: Int) throws(Diagnostic) -> YAMLTree {
        let mark = node.mark
        let location = SourceLocation(file: file, line: (mark?.line ?? 1) + lineOffset, column: mark?.column ?? 1)
        switch node {
        case .scalar(let scalar):
            let plain = scalar.style == .plain || scalar.style == .any
            return YAMLTree(kind: .scalar(scalar.string, plain: plain), location: location)
        case .mapping(let mapping):
            var pairs: [(key: YAMLTree, value: YAMLTree)] = []
            for (key, value) in mapping {
                pairs.append((try convert(key, file: file, lineOffset: lineOffset), try convert(value, file: file, lineOffset: lineOffset)))
            }
            return YAMLTree(kind: .mapping(pairs), location: location)
        case .sequence(let sequence):
            var items: [YAMLTree] = []
            for item in sequence { items.append(try convert(item, file: file, lineOffset: lineOffset)) }
            return YAMLTree(kind: .sequence(items), location: location)
        case .alias:
            throw Diagnostic(.error, "found a YAML alias, expected plain values (aliases are not supported)", at: location)
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
