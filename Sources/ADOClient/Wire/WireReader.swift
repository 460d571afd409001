import Plan

/// A wire value that is not the shape ADO sends, named by its JSON path (`identities[3].descriptor`).
public struct WireError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}

/// Reads ADO wire JSON with its quirks: members with default values are often omitted (`isContainer`, zero
/// `extendedInfo` bits), so optional readers take defaults; required ones fail with the JSON path.
struct WireReader {
    let value: JSONValue
    let path: String

    init(_ value: JSONValue, path: String) {
        self.value = value
        self.path = path
    }

    subscript(key: String) -> WireReader? {
        guard let member = value[key], member != .null else { return nil }
        return WireReader(member, path: path + "." + key)
    }

    func string(_ key: String) throws(WireError) -> String {
        guard let member = value[key], member != .null else {
            throw WireError(path: path + "." + key, message: "missing")
        }
        guard let text = member.stringValue else {
            throw WireError(path: path + "." + key, message: "expected a string")
        }
        return text
    }

    func optionalString(_ key: String) -> String? { value[key]?.stringValue }

    /// Integers; ADO omits zero members, so a missing member is `fallback`.
    func int(_ key: String, default fallback: Int = 0) throws(WireError) -> Int {
        guard let member = value[key], member != .null else { return fallback }
        if let number = member.intValue { return number }
        if let text = member.stringValue, let number = Int(text) { return number }
        throw WireError(path: path + "." + key, message: "expected an integer")
    }

    func requiredInt(_ key: String) throws(WireError) -> Int {
        guard value[key] != nil, value[key] != .null else {
            throw WireError(path: path + "." + key, message: "missing")
        }
        return try int(key)
    }

    func bool(_ key: String, default fallback: Bool = false) throws(WireError) -> Bool {
        guard let member = value[key], member != .null else { return fallback }
        if let flag = member.boolValue { return flag }
        // Some ADO properties carry booleans as strings ("True").
        if let text = member.stringValue?.lowercased(), text == "true" || text == "false" { return text == "true" }
        throw WireError(path: path + "." + key, message: "expected a boolean")
    }

    func array(_ key: String) throws(WireError) -> [WireReader] {
        guard let member = value[key], member != .null else { return [] }
        guard case .array(let elements) = member else {
            throw WireError(path: path + "." + key, message: "expected an array")
        }
        return elements.enumerated().map { WireReader($1, path: "\(path).\(key)[\($0)]") }
    }

    func object(_ key: String) throws(WireError) -> [String: WireReader] {
        guard let member = value[key], member != .null else { return [:] }
        guard case .object(let members) = member else {
            throw WireError(path: path + "." + key, message: "expected an object")
        }
        var readers: [String: WireReader] = [:]
        for (name, element) in members { readers[name] = WireReader(element, path: "\(path).\(key)[\"\(name)\"]") }
        return readers
    }

    func requireObject() throws(WireError) -> [String: JSONValue] {
        guard case .object(let members) = value else { throw WireError(path: path, message: "expected an object") }
        return members
    }

    static func elements(_ values: [JSONValue], path: String) -> [WireReader] {
        values.enumerated().map { WireReader($1, path: "\(path)[\($0)]") }
    }
}

extension JSONValue {
    /// An object without the given members.
    func removing(_ keys: Set<String>) -> JSONValue {
        guard case .object(var members) = self else { return self }
        for key in keys { members.removeValue(forKey: key) }
        return .object(members)
    }

    var arrayValue: [JSONValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    var objectValue: [String: JSONValue]? {
        if case .object(let members) = self { return members }
        return nil
    }
}
