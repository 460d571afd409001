import Foundation

/// Shared helpers of the manifest parser: typed field access that records one-line diagnostics
/// (`file:line:col: error: <found>, <expected>`) and keeps going, so a run reports every error at once.
struct ManifestReader {
    var diagnostics: [Diagnostic] = []
    /// Every requirement and forbid id read, also of entries that failed otherwise (for the duplicate check).
    var ids: [(id: String, location: SourceLocation)] = []

    mutating func error(_ message: String, at location: SourceLocation?) {
        diagnostics.append(Diagnostic(.error, message, at: location))
    }

    /// The fields of a mapping, checking that no key outside `keys` appears. Nil (with a diagnostic) when `node`
    /// is not a mapping.
    mutating func fields(_ node: YAMLTree, _ what: String, keys: [String]) -> [String: YAMLTree]? {
        guard let pairs = node.pairs else {
            if node.isNull { return [:] }
            error("found \(node.found) for \(what), expected a mapping", at: node.location)
            return nil
        }
        var result: [String: YAMLTree] = [:]
        for (key, value) in pairs {
            guard let name = key.scalar else {
                error("found \(key.found) as a key in \(what), expected a plain key", at: key.location)
                continue
            }
            if keys.contains(name) {
                result[name] = value
            } else {
                let hint = Suggestion.hint(for: name, in: keys)
                let expected = keys.count == 1 ? keys[0] : "one of " + keys.joined(separator: ", ")
                error("unknown key '\(name)' in \(what), expected \(expected)\(hint)", at: key.location)
            }
        }
        return result
    }

    /// The location of a key (not its value) inside a mapping node.
    func keyLocation(_ node: YAMLTree, _ key: String) -> SourceLocation? {
        node.pairs?.first { $0.key.scalar == key }?.key.location
    }

    /// A required non-empty string field.
    mutating func string(_ fields: [String: YAMLTree], _ key: String, in what: String, at owner: YAMLTree) -> String? {
        guard let node = fields[key] else {
            error("\(what) has no '\(key)', expected '\(key):' with a name", at: owner.location)
            return nil
        }
        return string(node, key)
    }

    /// A string value (numbers are accepted as their text: ids, definition numbers).
    mutating func string(_ node: YAMLTree, _ key: String) -> String? {
        guard let text = node.scalar, !node.isNull else {
            error("found \(node.found) for '\(key)', expected a string", at: node.location)
            return nil
        }
        let trimmed = Self.trimmingBlanks(text)
        guard !trimmed.isEmpty else {
            error("found an empty value for '\(key)', expected a string", at: node.location)
            return nil
        }
        return trimmed
    }

    /// An optional string field.
    mutating func optionalString(_ fields: [String: YAMLTree], _ key: String) -> String? {
        guard let node = fields[key], !node.isNull else { return nil }
        return string(node, key)
    }

    mutating func bool(_ node: YAMLTree, _ key: String) -> Bool? {
        guard let value = node.bool else {
            error("found \(node.found) for '\(key)', expected true or false", at: node.location)
            return nil
        }
        return value
    }

    /// A list of strings, or a single string taken as a one-element list.
    mutating func strings(_ node: YAMLTree, _ key: String) -> [(String, SourceLocation)]? {
        if node.scalar != nil, !node.isNull {
            return string(node, key).map { [($0, node.location)] }
        }
        guard let items = node.items else {
            error("found \(node.found) for '\(key)', expected a list of names", at: node.location)
            return nil
        }
        var result: [(String, SourceLocation)] = []
        for item in items {
            if let text = string(item, key) { result.append((text, item.location)) }
        }
        return result
    }

    /// `text` without leading and trailing blanks (tab and Unicode space separators, as
    /// `CharacterSet.whitespaces`), without Foundation's bridging: that cost 4 % of a 10,000-requirement plan.
    static func trimmingBlanks(_ text: String) -> String {
        func blank(_ scalar: Unicode.Scalar) -> Bool {
            scalar == "\t" || scalar.properties.generalCategory == .spaceSeparator
        }
        let scalars = text.unicodeScalars
        guard let first = scalars.first, let last = scalars.last, blank(first) || blank(last) else { return text }
        var start = scalars.startIndex
        var end = scalars.endIndex
        while start < end, blank(scalars[start]) { start = scalars.index(after: start) }
        while end > start, blank(scalars[scalars.index(before: end)]) { end = scalars.index(before: end) }
        return String(scalars[start..<end])
    }
}
