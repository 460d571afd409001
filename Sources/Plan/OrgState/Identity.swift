/// An identity (user, group, service identity or service principal) as `_apis/identities` describes it.
public struct Identity: Sendable, Equatable {
    /// Storage key (VSID).
    public var id: String
    public var descriptor: IdentityDescriptor
    /// Graph subject descriptor (`vssgp.…`, `svc.…`, `aadsp.…`), when known.
    public var subjectDescriptor: String?
    public var providerDisplayName: String
    public var customDisplayName: String?
    public var isContainer: Bool
    public var isActive: Bool
    /// The `$value`s of the wire `properties` bag (`Account`, `Mail`, `SchemaClassName`, `Domain`, …).
    public var properties: [String: String]

    public init(
        id: String,
        descriptor: IdentityDescriptor,
        subjectDescriptor: String? = nil,
        providerDisplayName: String,
        customDisplayName: String? = nil,
        isContainer: Bool = false,
        isActive: Bool = true,
        properties: [String: String] = [:]
    ) {
        self.id = id
        self.descriptor = descriptor
        self.subjectDescriptor = subjectDescriptor
        self.providerDisplayName = providerDisplayName
        self.customDisplayName = customDisplayName
        self.isContainer = isContainer
        self.isActive = isActive
        self.properties = properties
    }

    /// What the ADO UI shows: the custom display name when set (build services), else the provider's.
    public var displayName: String { customDisplayName ?? providerDisplayName }
    /// `Account` property: UPN for users, group name for groups.
    public var account: String? { properties["Account"] }
    /// `Mail` property.
    public var mail: String? { properties["Mail"] }
}

/// A direct group-membership edge (`member` is in `container`), in identity descriptors.
public struct Membership: Sendable, Hashable {
    public var member: IdentityDescriptor
    public var container: IdentityDescriptor

    public init(member: IdentityDescriptor, container: IdentityDescriptor) {
        self.member = member
        self.container = container
    }
}

/// A graph service principal (an Entra application added to the organization).
public struct ServicePrincipal: Sendable, Equatable {
    /// Graph subject descriptor (`aadsp.…`).
    public var subjectDescriptor: String
    public var displayName: String
    /// Entra application (client) id; matched against a service connection's `serviceprincipalid`.
    public var applicationId: String
    public var originId: String?

    public init(subjectDescriptor: String, displayName: String, applicationId: String, originId: String? = nil) {
        self.subjectDescriptor = subjectDescriptor
        self.displayName = displayName
        self.applicationId = applicationId
        self.originId = originId
    }
}
