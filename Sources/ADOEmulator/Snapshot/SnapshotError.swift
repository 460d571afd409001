/// Why a snapshot cannot be served. One line, naming the file and the JSON path (or line:column) of the problem.
public enum SnapshotError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file could not be read.
    case unreadable(file: String, reason: String)
    /// The bytes are not JSON.
    case malformed(file: String, line: Int, column: Int, reason: String)
    /// The JSON does not describe a valid organization.
    case invalid(file: String, path: String, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let file, let reason): "\(file): cannot read snapshot: \(reason)"
        case .malformed(let file, let line, let column, let reason):
            "\(file):\(line):\(column): malformed JSON: \(reason)"
        case .invalid(let file, let path, let reason): "\(file): \(path): \(reason)"
        }
    }
}

/// A JSON path (`$.memberships[3].member`) under construction.
struct JSONPath: Sendable, CustomStringConvertible {
    private(set) var text: String

    static let root = JSONPath(text: "$")

    func member(_ key: String) -> JSONPath {
        let simple =
            !key.isEmpty && key.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
            && !(key.first?.isNumber ?? false)
        return JSONPath(text: simple ? "\(text).\(key)" : "\(text)['\(key)']")
    }

    func index(_ position: Int) -> JSONPath { JSONPath(text: "\(text)[\(position)]") }

    var description: String { text }
}

/// Typed accessors that fail with a `SnapshotError.invalid` naming the path.
struct SnapshotReader {
    let file: String

    func fail(_ path: JSONPath, _ reason: String) -> SnapshotError {
        .invalid(file: file, path: path.description, reason: reason)
    }

    func object(_ value: JSON?, _ path: JSONPath) throws(SnapshotError) -> JSONObject {
        guard let value else { throw fail(path, "missing, expected an object") }
        guard let object = value.objectValue else { throw fail(path, "expected an object, found \(value.typeName)") }
        return object
    }

    func array(_ value: JSON?, _ path: JSONPath) throws(SnapshotError) -> [JSON] {
        guard let value else { throw fail(path, "missing, expected an array") }
        guard let array = value.arrayValue else { throw fail(path, "expected an array, found \(value.typeName)") }
        return array
    }

    func string(_ value: JSON?, _ path: JSONPath) throws(SnapshotError) -> String {
        guard let value else { throw fail(path, "missing, expected a string") }
        guard let string = value.stringValue else { throw fail(path, "expected a string, found \(value.typeName)") }
        return string
    }

    func optionalString(_ value: JSON?, _ path: JSONPath) throws(SnapshotError) -> String? {
        guard let value, !value.isNull else { return nil }
        return try string(value, path)
    }

    func nonEmptyString(_ value: JSON?, _ path: JSONPath) throws(SnapshotError) -> String {
        let text = try string(value, path)
        guard !text.isEmpty else { throw fail(path, "must not be empty") }
        return text
    }

    func int(_ value: JSON?, _ path: JSONPath) throws(SnapshotError) -> Int {
        guard let value else { throw fail(path, "missing, expected an integer") }
        guard let number = value.intValue else { throw fail(path, "expected an integer, found \(value.typeName)") }
        return number
    }

    func bool(_ value: JSON?, _ path: JSONPath) throws(SnapshotError) -> Bool {
        guard let value else { throw fail(path, "missing, expected a boolean") }
        guard let flag = value.boolValue else { throw fail(path, "expected a boolean, found \(value.typeName)") }
        return flag
    }

    func optionalBool(_ value: JSON?, _ path: JSONPath, default fallback: Bool) throws(SnapshotError) -> Bool {
        guard let value, !value.isNull else { return fallback }
        return try bool(value, path)
    }

    func guid(_ value: JSON?, _ path: JSONPath) throws(SnapshotError) -> String {
        let text = try string(value, path)
        guard GUID.isValid(text) else { throw fail(path, "'\(text)' is not a GUID") }
        return text.lowercased()
    }
}

/// GUID text helpers (ADO writes them lower case with dashes; `N` format without dashes is accepted on input).
enum GUID {
    static func isValid(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.map(\.count) == [8, 4, 4, 4, 12] else { return false }
        return parts.allSatisfy { $0.allSatisfy(\.isHexDigit) }
    }

    /// Lower case with dashes, from either `D` or `N` format; `nil` if not a GUID.
    static func normalized(_ text: String) -> String? {
        let lowered = text.lowercased()
        if isValid(lowered) { return lowered }
        guard lowered.count == 32, lowered.allSatisfy(\.isHexDigit) else { return nil }
        let chars = Array(lowered)
        let groups = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(chars[$0]) }
        return groups.joined(separator: "-")
    }
}
