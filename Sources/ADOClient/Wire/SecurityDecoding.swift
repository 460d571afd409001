import Plan

/// Wire → model decoders for the security area, shared by the live client and snapshot reading.
enum SecurityDecoding {
    /// A `SecurityNamespaceDescription`. `separatorValue` `"\u0000"` marks a flat namespace.
    static func namespace(_ wire: WireReader) throws(WireError) -> SecurityNamespace {
        let separator = wire.optionalString("separatorValue").flatMap { text -> Character? in
            guard let first = text.first, first != "\u{0}" else { return nil }
            return first
        }
        var actions: [SecurityNamespace.Action] = []
        for action in try wire.array("actions") {
            let name = try action.string("name")
            actions.append(
                SecurityNamespace.Action(
                    bit: try action.requiredInt("bit"),
                    name: name,
                    displayName: action.optionalString("displayName") ?? name
                )
            )
        }
        return SecurityNamespace(
            id: try wire.string("namespaceId"),
            name: try wire.string("name"),
            displayName: wire.optionalString("displayName"),
            separator: separator,
            elementLength: try wire.int("elementLength", default: -1),
            isHierarchical: try wire.int("structureValue") == 1,
            readPermission: try wire.int("readPermission"),
            writePermission: try wire.int("writePermission"),
            systemBitMask: try wire.int("systemBitMask"),
            actions: actions.sorted { $0.bit < $1.bit }
        )
    }

    /// An `AccessControlList` of `namespaceId`. Entries are keyed by their `descriptor` (the dictionary key when
    /// an entry omits it); `extendedInfo` is ignored (the planner computes effective bits itself).
    static func acl(_ wire: WireReader, namespaceId: String) throws(WireError) -> AccessControlList {
        var entries: [IdentityDescriptor: AccessControlEntry] = [:]
        for (key, ace) in try wire.object("acesDictionary") {
            let entry = try self.ace(ace, fallbackDescriptor: key)
            entries[entry.descriptor] = entry
        }
        return AccessControlList(
            namespaceId: namespaceId,
            token: try wire.string("token"),
            // Inheritance is ADO's default; a missing member means the service left the default alone.
            inheritPermissions: try wire.bool("inheritPermissions", default: true),
            entries: entries
        )
    }

    static func ace(_ wire: WireReader, fallbackDescriptor: String? = nil) throws(WireError) -> AccessControlEntry {
        let descriptor: String
        if let own = wire.optionalString("descriptor") {
            descriptor = own
        } else if let fallbackDescriptor {
            descriptor = fallbackDescriptor
        } else {
            descriptor = try wire.string("descriptor")
        }
        return AccessControlEntry(
            descriptor: IdentityDescriptor(descriptor),
            allow: try wire.int("allow"),
            deny: try wire.int("deny")
        )
    }

    /// Wire form of an ACE for writes: `{descriptor, allow, deny}`.
    static func wire(_ entry: AccessControlEntry) -> JSONValue {
        .object([
            "descriptor": .string(entry.descriptor.rawValue),
            "allow": .int(entry.allow),
            "deny": .int(entry.deny),
        ])
    }

    /// Wire form of an ACL for `POST accesscontrollists`.
    static func wire(_ acl: AccessControlList) -> JSONValue {
        var aces: [String: JSONValue] = [:]
        for entry in acl.entries.values { aces[entry.descriptor.rawValue] = wire(entry) }
        return .object([
            "token": .string(acl.token),
            "inheritPermissions": .bool(acl.inheritPermissions),
            "acesDictionary": .object(aces),
        ])
    }
}
