import Foundation
import Yams

/// Why a front-matter edit cannot be made safely.
public enum FrontMatterError: Error, Sendable, Equatable, CustomStringConvertible {
    case noFrontMatter(String)
    case unsupported(file: String, line: Int, reason: String)
    case badKey(String)
    case verificationFailed(String)

    public var description: String {
        switch self {
        case .noFrontMatter(let file): "\(file): no front matter (YAML between two `---` lines at the top)"
        case .unsupported(let file, let line, let reason):
            "\(file):\(line): cannot edit the front matter automatically: \(reason); make the change by hand"
        case .badKey(let key): "front-matter key '\(key)' is not `name` or `parent.name`"
        case .verificationFailed(let file):
            "\(file): the edited front matter would not read back as intended; nothing was changed"
        }
    }
}

/// Sets one key of an agent's YAML front matter by editing lines, so everything else in the file (comments, key
/// order, quoting, the markdown body) stays byte for byte. The result is parsed again and must equal the old front
/// matter with only that key changed, else the edit is refused.
public enum FrontMatterEditor {
    /// `text` with `key` (`permissions.write`) set to the string `value`.
    public static func setting(_ key: String, to value: String, in text: String, file: String) throws(FrontMatterError)
        -> String
    {
        let path = key.split(separator: ".").map(String.init)
        guard (1...2).contains(path.count), path.allSatisfy(isPlainKey) else { throw .badKey(key) }
        var lines = splitLines(text)
        let newline = lines.first?.hasSuffix("\r\n") == true ? "\r\n" : "\n"
        guard let first = lines.first, content(first).trimmingBOM.trimmingCharacters(in: .whitespaces) == "---",
            let end = lines.indices.dropFirst().first(where: {
                content(lines[$0]).trimmingCharacters(in: .whitespaces) == "---"
            })
        else { throw .noFrontMatter(file) }
        let unit = indentUnit(lines[1..<end])
        let scalar = yamlScalar(value)

        let topIndex = try uniqueKeyLine(path[0], indent: 0, in: lines, 1..<end, file: file)
        if path.count == 1 {
            let line = "\(path[0]): \(scalar)\(newline)"
            if let topIndex {
                let nested = nestedRange(after: topIndex, deeperThan: 0, lines: lines, end: end)
                try requireScalarOrBlock(lines[topIndex], nested: nested, lines: lines, file: file, line: topIndex)
                lines.replaceSubrange(topIndex..<nested.upperBound, with: [line])
            } else {
                lines.insert(line, at: end)
            }
        } else if let parent = topIndex {
            let rest = valueText(lines[parent])
            guard rest.isEmpty else {
                throw .unsupported(file: file, line: parent + 1, reason: "`\(path[0])` is written inline (`\(rest)`)")
            }
            let children = nestedRange(after: parent, deeperThan: 0, lines: lines, end: end)
            let meaningful = children.filter { !isBlankOrComment(lines[$0]) }
            let childIndent = meaningful.first.map { indentation(lines[$0]) } ?? unit
            if let firstChild = meaningful.first, content(lines[firstChild]).drop(while: { $0 == " " }).hasPrefix("-") {
                throw .unsupported(file: file, line: firstChild + 1, reason: "`\(path[0])` is a list, not a mapping")
            }
            let line = String(repeating: " ", count: childIndent) + "\(path[1]): \(scalar)\(newline)"
            if let child = try uniqueKeyLine(path[1], indent: childIndent, in: lines, children, file: file) {
                let nested = nestedRange(after: child, deeperThan: childIndent, lines: lines, end: children.upperBound)
                try requireScalarOrBlock(lines[child], nested: nested, lines: lines, file: file, line: child)
                lines.replaceSubrange(child..<nested.upperBound, with: [line])
            } else {
                lines.insert(line, at: (meaningful.last ?? parent) + 1)
            }
        } else {
            lines.insert(
                contentsOf: [
                    "\(path[0]):\(newline)", String(repeating: " ", count: unit) + "\(path[1]): \(scalar)\(newline)",
                ],
                at: end
            )
        }
        let edited = lines.joined()
        try verify(old: text, new: edited, path: path, value: value, file: file)
        return edited
    }

    // MARK: lines

    static func splitLines(_ text: String) -> [String] {
        var lines: [String] = []
        var current = ""
        for character in text {
            current.append(character)
            if character == "\n" || character == "\r\n" {
                lines.append(current)
                current = ""
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }

    /// A line without its terminator.
    static func content(_ line: String) -> String {
        var text = line
        while let last = text.last, last == "\n" || last == "\r" || last == "\r\n" { text.removeLast() }
        return text
    }

    static func indentation(_ line: String) -> Int { content(line).prefix(while: { $0 == " " }).count }

    static func isBlankOrComment(_ line: String) -> Bool {
        let trimmed = content(line).trimmingCharacters(in: .whitespaces)
        return trimmed.isEmpty || trimmed.hasPrefix("#")
    }

    /// The key of a `key: …` line at its indentation, if it is one.
    static func key(of line: String) -> String? {
        let body = content(line).drop(while: { $0 == " " })
        guard let colon = body.firstIndex(of: ":") else { return nil }
        let after = body.index(after: colon)
        guard after == body.endIndex || body[after] == " " || body[after] == "\t" else { return nil }
        var key = String(body[..<colon]).trimmingCharacters(in: .whitespaces)
        if key.count >= 2, let q = key.first, q == "\"" || q == "'", key.last == q {
            key = String(key.dropFirst().dropLast())
        }
        return key
    }

    /// What follows `key:` on the line, without a trailing comment.
    static func valueText(_ line: String) -> String {
        let body = content(line)
        guard let colon = body.firstIndex(of: ":") else { return "" }
        var rest = String(body[body.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
        if rest.hasPrefix("#") { rest = "" }
        if let hash = rest.range(of: " #"), !rest.hasPrefix("\""), !rest.hasPrefix("'") {
            rest = String(rest[..<hash.lowerBound]).trimmingCharacters(in: .whitespaces)
        }
        return rest
    }

    static func uniqueKeyLine(_ name: String, indent: Int, in lines: [String], _ range: Range<Int>, file: String)
        throws(FrontMatterError) -> Int?
    {
        let matches = range.filter {
            !isBlankOrComment(lines[$0]) && indentation(lines[$0]) == indent && key(of: lines[$0]) == name
        }
        if matches.count > 1 {
            throw .unsupported(file: file, line: matches[1] + 1, reason: "`\(name)` appears more than once")
        }
        return matches.first
    }

    /// The lines below `index` indented deeper than `indent` (blank and comment lines inside included, trailing
    /// ones excluded so they stay where they are).
    static func nestedRange(after index: Int, deeperThan indent: Int, lines: [String], end: Int) -> Range<Int> {
        var last = index
        var position = index + 1
        while position < end {
            if isBlankOrComment(lines[position]) {
                position += 1
                continue
            }
            guard indentation(lines[position]) > indent else { break }
            last = position
            position += 1
        }
        return (index + 1)..<(last + 1)
    }

    /// A value we replace must be a one-line scalar, a flow value, a block scalar or a nested mapping; a plain
    /// scalar continued on the next lines is refused (its extent is ambiguous to a line editor).
    static func requireScalarOrBlock(_ line: String, nested: Range<Int>, lines: [String], file: String, line index: Int)
        throws(FrontMatterError)
    {
        let rest = valueText(line)
        guard !rest.isEmpty, !nested.isEmpty else { return }
        if rest.hasPrefix("|") || rest.hasPrefix(">") { return }
        throw .unsupported(file: file, line: index + 1, reason: "its value continues on the following lines")
    }

    static func indentUnit(_ lines: ArraySlice<String>) -> Int {
        lines.filter { !isBlankOrComment($0) }.map(indentation).filter { $0 > 0 }.min() ?? 2
    }

    static func isPlainKey(_ key: String) -> Bool {
        !key.isEmpty
            && key.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_" }
    }

    /// `ado-aw-write` stays plain; anything YAML could read as another type, or with special characters, is quoted.
    static func yamlScalar(_ value: String) -> String {
        let reserved: Set<String> = ["", "~", "null", "true", "false", "yes", "no", "on", "off", "y", "n"]
        let safe = value.unicodeScalars.allSatisfy {
            CharacterSet.alphanumerics.contains($0) && $0.isASCII || "-_./".unicodeScalars.contains($0)
        }
        if safe, let first = value.unicodeScalars.first, CharacterSet.letters.contains(first),
            !reserved.contains(value.lowercased())
        {
            return value
        }
        var quoted = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            case "\n": quoted += "\\n"
            case "\t": quoted += "\\t"
            default: quoted.unicodeScalars.append(scalar)
            }
        }
        return quoted + "\""
    }

    // MARK: verification

    /// The YAML of a front matter as plain values, for comparing two versions.
    indirect enum Value: Equatable {
        case scalar(String)
        case mapping([String: Value])
        case sequence([Value])

        init(_ node: Node) {
            switch node {
            case .scalar(let scalar): self = .scalar(scalar.string)
            case .mapping(let mapping):
                var members: [String: Value] = [:]
                for (key, value) in mapping { members[key.string ?? "\(key)"] = Value(value) }
                self = .mapping(members)
            case .sequence(let sequence): self = .sequence(sequence.map(Value.init))
            case .alias: self = .scalar("*alias")
            }
        }
    }

    static func frontMatterValue(_ text: String) -> Value? {
        let lines = splitLines(text)
        guard
            let end = lines.indices.dropFirst().first(where: {
                content(lines[$0]).trimmingCharacters(in: .whitespaces) == "---"
            })
        else { return nil }
        let yaml = lines[1..<end].map { content($0) + "\n" }.joined()
        do {
            guard let node = try Yams.compose(yaml: yaml) else { return .mapping([:]) }
            return Value(node)
        } catch {
            return nil
        }
    }

    static func verify(old: String, new: String, path: [String], value: String, file: String) throws(FrontMatterError) {
        guard case .mapping(var expected)? = frontMatterValue(old), let actual = frontMatterValue(new) else {
            throw .verificationFailed(file)
        }
        if path.count == 1 {
            expected[path[0]] = .scalar(value)
        } else {
            var parent: [String: Value] = [:]
            if case .mapping(let members)? = expected[path[0]] { parent = members }
            parent[path[1]] = .scalar(value)
            expected[path[0]] = .mapping(parent)
        }
        guard actual == .mapping(expected), old.hasSuffix(bodyAfterFrontMatter(new)) else {
            throw .verificationFailed(file)
        }
    }

    /// The text after the closing `---` line.
    static func bodyAfterFrontMatter(_ text: String) -> String {
        let lines = splitLines(text)
        guard
            let end = lines.indices.dropFirst().first(where: {
                content(lines[$0]).trimmingCharacters(in: .whitespaces) == "---"
            })
        else { return text }
        return lines[(end + 1)...].joined()
    }
}

extension String {
    fileprivate var trimmingBOM: String { hasPrefix("\u{FEFF}") ? String(dropFirst()) : self }
}
