/// An explicit allow/deny pair for one identity on one token.
public struct AccessControlEntry: Sendable, Hashable {
    public var descriptor: IdentityDescriptor
    public var allow: Int
    public var deny: Int

    public init(descriptor: IdentityDescriptor, allow: Int, deny: Int) {
        self.descriptor = descriptor
        self.allow = allow
        self.deny = deny
    }
}

/// The ACL stored for one (namespace, token).
public struct AccessControlList: Sendable, Equatable {
    public var namespaceId: String
    /// The token as ADO stored it.
    public var token: String
    public var inheritPermissions: Bool
    /// Entries keyed by descriptor.
    public var entries: [IdentityDescriptor: AccessControlEntry]

    public init(
        namespaceId: String,
        token: String,
        inheritPermissions: Bool = true,
        entries: [IdentityDescriptor: AccessControlEntry] = [:]
    ) {
        self.namespaceId = namespaceId.lowercased()
        self.token = token
        self.inheritPermissions = inheritPermissions
        self.entries = entries
    }
}
