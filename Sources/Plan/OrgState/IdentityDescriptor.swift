/// An ADO identity descriptor, `Type;Identifier` (e.g. `Microsoft.TeamFoundation.Identity;S-1-9-…`).
///
/// ACLs key their entries by identity descriptors, never by graph subject descriptors. ADO compares them without
/// regard to case, so equality and hashing use a lower-cased key while `rawValue` keeps the spelling ADO returned.
public struct IdentityDescriptor: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    /// The descriptor as ADO spelled it.
    public let rawValue: String
    /// Lower-cased form used for equality, hashing and ordering.
    public let key: String

    /// Creates a descriptor from its wire form.
    public init(_ rawValue: String) {
        self.rawValue = rawValue
        self.key = rawValue.lowercased()
    }

    /// The part before the first `;` (`Microsoft.TeamFoundation.ServiceIdentity`, …).
    public var identityType: String {
        guard let semicolon = rawValue.firstIndex(of: ";") else { return rawValue }
        return String(rawValue[..<semicolon])
    }

    /// The part after the first `;`.
    public var identifier: String {
        guard let semicolon = rawValue.firstIndex(of: ";") else { return "" }
        return String(rawValue[rawValue.index(after: semicolon)...])
    }

    public var description: String { rawValue }

    public static func == (lhs: IdentityDescriptor, rhs: IdentityDescriptor) -> Bool { lhs.key == rhs.key }
    public func hash(into hasher: inout Hasher) { hasher.combine(key) }
    public static func < (lhs: IdentityDescriptor, rhs: IdentityDescriptor) -> Bool { lhs.key < rhs.key }

    public init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
