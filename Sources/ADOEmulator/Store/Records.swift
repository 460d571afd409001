import Foundation

/// The organization block of a snapshot.
struct Organization: Sendable {
    var name: String
    var url: String
    var collectionId: String
    var hostId: String
    var tenantId: String
}

/// A security namespace definition, indexed by its lower-case id.
struct Namespace: Sendable {
    struct Action: Sendable {
        var bit: Int
        var name: String
        var displayName: String?
    }

    var id: String
    var name: String
    var displayName: String?
    /// Token separator; `nil` for flat namespaces (`"\u0000"` on the wire).
    var separator: Character?
    var elementLength: Int
    var isHierarchical: Bool
    var readPermission: Int
    var writePermission: Int
    var actions: [Action]
    var raw: JSON

    /// Action display names for the bits of `mask`, in bit order (what ADO's access-denied texts name).
    func displayNames(of mask: Int) -> [String] {
        actions.filter { $0.bit & mask != 0 }.map { $0.displayName ?? $0.name }
    }

    func actionName(of bit: Int) -> String {
        actions.first { $0.bit == bit }?.name ?? String(bit)
    }
}

/// One stored access control entry. `descriptor` keeps the spelling it was written with.
struct StoredACE: Sendable, Equatable {
    var descriptor: String
    var allow: Int
    var deny: Int
}

/// One stored ACL. ACEs are keyed by the lower-cased descriptor (ADO compares descriptors without case).
struct StoredACL: Sendable, Equatable {
    var token: String
    var inheritPermissions: Bool
    var aces: [String: StoredACE]

    /// The store never keeps an inheriting ACL without entries: it behaves exactly like no ACL at all
    /// (reference/ado-rest.md §13.1), and dropping it keeps `set` followed by `remove` byte-stable in the dump.
    var isRedundant: Bool { inheritPermissions && aces.isEmpty }
}

/// An identity as `_apis/identities` returns it, plus the fields the emulator reasons with.
struct IdentityRecord: Sendable {
    var descriptor: String
    var key: String
    var id: String
    var subjectDescriptor: String?
    var providerDisplayName: String
    var customDisplayName: String?
    var isContainer: Bool
    /// `$value`s of the properties bag, as text.
    var properties: [String: String]
    var raw: JSONObject

    var displayName: String { customDisplayName ?? providerDisplayName }

    /// How ADO names the identity inside TF401027 texts: `Build\{scope}` for build services, otherwise
    /// `{domain}\{account}` (the descriptor's identifier for users and service principals).
    var errorName: String {
        let identifier = descriptor.split(separator: ";", maxSplits: 1).dropFirst().first.map(String.init) ?? descriptor
        if let range = identifier.range(of: ":Build:") {
            return "Build\\" + identifier[range.upperBound...]
        }
        return identifier
    }
}

struct ProjectRecord: Sendable {
    var id: String
    var name: String
    var isPublic: Bool
    var raw: JSONObject

    /// Security token of the project in the Project namespace.
    var securityToken: String { "$PROJECT:vstfs:///Classification/TeamProject/\(id)" }
}

struct RepositoryRecord: Sendable {
    var id: String
    var name: String
    var projectId: String
    var isDisabled: Bool
    var defaultBranch: String?
    var raw: JSONObject

    var securityToken: String { "repoV2/\(projectId)/\(id)" }
}

struct WikiRecord: Sendable {
    var id: String
    var name: String
    var projectId: String
    var repositoryId: String
    var raw: JSONObject
}

struct EndpointRecord: Sendable {
    var id: String
    var name: String
    var projectIds: Set<String>
    var raw: JSONObject
}

/// An area node with the chain of node identifiers from the project's root area (its CSS token).
struct AreaRecord: Sendable {
    var identifier: String
    var id: Int
    var projectId: String
    var chain: [String]
    /// The work-item area path (`Payments\Ops`).
    var areaPath: String

    var securityToken: String { chain.map { "vstfs:///Classification/Node/\($0)" }.joined(separator: ":") }
}

/// A credential the emulator accepts.
struct Credential: Sendable {
    enum Kind: String, Sendable { case pat, bearer }

    var token: String
    var kind: Kind
    var identityKey: String
    var scopes: [String]
}
