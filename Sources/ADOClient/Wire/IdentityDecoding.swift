import Plan

/// An identity as `_apis/identities` returned it, with the membership lists `queryMembership` fills in.
public struct IdentityRecord: Sendable, Equatable {
    public var identity: Identity
    /// Direct or expanded members (groups only), per the query's `queryMembership`.
    public var members: [IdentityDescriptor]
    /// Groups the identity is in, per the query's `queryMembership`.
    public var memberOf: [IdentityDescriptor]

    public init(identity: Identity, members: [IdentityDescriptor] = [], memberOf: [IdentityDescriptor] = []) {
        self.identity = identity
        self.members = members
        self.memberOf = memberOf
    }
}

/// A graph subject (user, group or service principal) as the graph lists return it.
public struct GraphSubject: Sendable, Equatable {
    /// Subject descriptor (`aad.…`, `vssgp.…`, `svc.…`, `aadsp.…`).
    public var descriptor: String
    public var displayName: String
    /// `user`, `group`, `servicePrincipal`.
    public var subjectKind: String
    public var principalName: String?
    public var origin: String?
    public var originId: String?
    public var domain: String?
    public var mailAddress: String?
    /// Service principals only: the Entra application (client) id.
    public var applicationId: String?
}

enum IdentityDecoding {
    /// Members that are not part of the snapshot's `identities` (membership lists live in `memberships`).
    static let membershipKeys: Set<String> = ["members", "memberOf", "memberIds"]

    static func identity(_ wire: WireReader) throws(WireError) -> IdentityRecord {
        var properties: [String: String] = [:]
        for (key, property) in try wire.object("properties") {
            // {"$type": "System.String", "$value": "…"}; non-string values are kept in their JSON text form.
            if let value = property.value["$value"] {
                properties[key] = value.stringValue ?? JSONWriter.string(value)
            } else if let text = property.value.stringValue {
                properties[key] = text
            }
        }
        let descriptor = try wire.string("descriptor")
        let identity = Identity(
            id: try wire.string("id"),
            descriptor: IdentityDescriptor(descriptor),
            subjectDescriptor: wire.optionalString("subjectDescriptor"),
            providerDisplayName: wire.optionalString("providerDisplayName") ?? descriptor,
            customDisplayName: wire.optionalString("customDisplayName"),
            isContainer: try wire.bool("isContainer"),
            // `isActive` is emitted whenever true; omitted means false (EmitDefaultValue=false).
            isActive: try wire.bool("isActive"),
            properties: properties
        )
        return IdentityRecord(
            identity: identity,
            members: try descriptors(wire, "members"),
            memberOf: try descriptors(wire, "memberOf")
        )
    }

    private static func descriptors(_ wire: WireReader, _ key: String) throws(WireError) -> [IdentityDescriptor] {
        var result: [IdentityDescriptor] = []
        for element in try wire.array(key) {
            // Descriptors are strings on the wire; tolerate the swagger object form too.
            if let text = element.value.stringValue {
                result.append(IdentityDescriptor(text))
            } else {
                let type = try element.string("identityType")
                let identifier = try element.string("identifier")
                result.append(IdentityDescriptor(type + ";" + identifier))
            }
        }
        return result
    }

    static func membership(_ wire: WireReader) throws(WireError) -> Membership {
        Membership(
            member: IdentityDescriptor(try wire.string("member")),
            container: IdentityDescriptor(try wire.string("container"))
        )
    }

    static func graphSubject(_ wire: WireReader) throws(WireError) -> GraphSubject {
        GraphSubject(
            descriptor: try wire.string("descriptor"),
            displayName: wire.optionalString("displayName") ?? "",
            subjectKind: wire.optionalString("subjectKind") ?? "",
            principalName: wire.optionalString("principalName"),
            origin: wire.optionalString("origin"),
            originId: wire.optionalString("originId"),
            domain: wire.optionalString("domain"),
            mailAddress: wire.optionalString("mailAddress"),
            applicationId: wire.optionalString("applicationId")
        )
    }

    static func servicePrincipal(_ wire: WireReader) throws(WireError) -> ServicePrincipal {
        ServicePrincipal(
            subjectDescriptor: try wire.string("descriptor"),
            displayName: wire.optionalString("displayName") ?? "",
            applicationId: try wire.string("applicationId"),
            originId: wire.optionalString("originId")
        )
    }
}
