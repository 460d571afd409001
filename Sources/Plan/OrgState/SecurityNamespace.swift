/// A security namespace as `_apis/securitynamespaces` describes it. Always looked up by id: names repeat and
/// display names are often null in real organizations.
public struct SecurityNamespace: Sendable, Equatable {
    /// One named bit of the namespace.
    public struct Action: Sendable, Equatable {
        public var bit: Int
        public var name: String
        public var displayName: String

        public init(bit: Int, name: String, displayName: String) {
            self.bit = bit
            self.name = name
            self.displayName = displayName
        }
    }

    /// Lower-case namespace GUID.
    public var id: String
    public var name: String
    public var displayName: String?
    /// Token separator; `nil` for flat namespaces (wire `"\u0000"`).
    public var separator: Character?
    /// Fixed element length for length-split namespaces, else -1.
    public var elementLength: Int
    /// `structureValue == 1`.
    public var isHierarchical: Bool
    public var readPermission: Int
    public var writePermission: Int
    public var systemBitMask: Int
    public var actions: [Action]

    public init(
        id: String,
        name: String,
        displayName: String? = nil,
        separator: Character?,
        elementLength: Int = -1,
        isHierarchical: Bool,
        readPermission: Int = 0,
        writePermission: Int = 0,
        systemBitMask: Int = 0,
        actions: [Action]
    ) {
        self.id = id.lowercased()
        self.name = name
        self.displayName = displayName
        self.separator = separator
        self.elementLength = elementLength
        self.isHierarchical = isHierarchical
        self.readPermission = readPermission
        self.writePermission = writePermission
        self.systemBitMask = systemBitMask
        self.actions = actions
    }

    /// The action with this name, compared without case (ADO's own lookups are case-insensitive).
    public func action(named name: String) -> Action? {
        let lowered = name.lowercased()
        return actions.first { $0.name.lowercased() == lowered }
    }

    /// Human name for messages: display name, else name.
    public var title: String { displayName ?? name }
}
