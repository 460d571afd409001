import Foundation
import Plan

/// How much membership `_apis/identities` fills into `members`/`memberOf`.
public enum MembershipQuery: String, Sendable, CaseIterable {
    case none = "None"
    /// Direct edges only.
    case direct = "Direct"
    case expanded = "Expanded"
    /// Every group the identity is in, transitively.
    case expandedUp = "ExpandedUp"
    /// Every member of the group, transitively.
    case expandedDown = "ExpandedDown"
}

/// `searchFilter` values of `_apis/identities`.
public enum IdentitySearchFilter: String, Sendable, CaseIterable {
    case general = "General"
    case accountName = "AccountName"
    case displayName = "DisplayName"
    case mailAddress = "MailAddress"
    case localGroupName = "LocalGroupName"
}

/// Identities (IMS, identity host; reference/ado-rest.md §3). Lookups by many keys are split into batches that
/// keep the URL short; unknown keys are simply absent from the result.
extension OrganizationClient {
    /// Keys per identities request, and the longest encoded key list, so URLs stay well under server limits.
    static let identityBatchSize = 40
    static let identityBatchCharacters = 3000

    public func identities(
        descriptors: [IdentityDescriptor],
        queryMembership: MembershipQuery = .none
    ) async throws(ADOError) -> [IdentityRecord] {
        try await decodeIdentities(
            try await rawIdentities(
                keys: descriptors.map(\.rawValue),
                selector: "descriptors",
                queryMembership: queryMembership
            )
        )
    }

    public func identities(
        subjectDescriptors: [String],
        queryMembership: MembershipQuery = .none
    ) async throws(ADOError) -> [IdentityRecord] {
        try await decodeIdentities(
            try await rawIdentities(
                keys: subjectDescriptors,
                selector: "subjectDescriptors",
                queryMembership: queryMembership
            )
        )
    }

    public func identities(
        identityIds: [String],
        queryMembership: MembershipQuery = .none
    ) async throws(ADOError) -> [IdentityRecord] {
        try await decodeIdentities(
            try await rawIdentities(keys: identityIds, selector: "identityIds", queryMembership: queryMembership)
        )
    }

    /// `searchFilter` + `filterValue` (display name, account name, UPN, mail, group name).
    public func searchIdentities(
        _ filter: IdentitySearchFilter,
        value: String,
        queryMembership: MembershipQuery = .none
    ) async throws(ADOError) -> [IdentityRecord] {
        let call = Call(
            .get,
            .identity,
            path: ["_apis", "identities"],
            query: [
                ("searchFilter", filter.rawValue), ("filterValue", value),
                ("queryMembership", queryMembership.rawValue),
            ],
            apiVersion: APIVersion.identities,
            route: "_apis/identities?searchFilter"
        )
        return try await decodeIdentities(try await list(call).filter { $0 != .null })
    }

    private func decodeIdentities(_ values: [JSONValue]) async throws(ADOError) -> [IdentityRecord] {
        try Self.decode("GET _apis/identities") { () throws(WireError) in
            try WireReader.elements(values, path: "value").map { r throws(WireError) in try IdentityDecoding.identity(r)
            }
        }
    }

    /// Raw identities for `keys` of one selector, batched; null entries (unresolved keys) dropped, duplicates removed.
    func rawIdentities(keys: [String], selector: String, queryMembership: MembershipQuery) async throws(ADOError)
        -> [JSONValue]
    {
        var unique: [String] = []
        var seen = Set<String>()
        for key in keys where seen.insert(key.lowercased()).inserted { unique.append(key) }
        var results: [JSONValue] = []
        for batch in Self.batches(unique) {
            let call = Call(
                .get,
                .identity,
                path: ["_apis", "identities"],
                query: [(selector, batch.joined(separator: ",")), ("queryMembership", queryMembership.rawValue)],
                apiVersion: APIVersion.identities,
                route: "_apis/identities?\(selector)"
            )
            results += try await list(call).filter { value in
                // Unresolved keys come back as null or as an object without a descriptor.
                value != .null && value["descriptor"]?.stringValue != nil
            }
        }
        return results
    }

    static func batches(_ keys: [String]) -> [[String]] {
        var batches: [[String]] = []
        var current: [String] = []
        var length = 0
        for key in keys {
            let encoded = OrganizationEndpoint.encodeQuery(key).count + 3
            if !current.isEmpty, current.count >= identityBatchSize || length + encoded > identityBatchCharacters {
                batches.append(current)
                current = []
                length = 0
            }
            current.append(key)
            length += encoded
        }
        if !current.isEmpty { batches.append(current) }
        return batches
    }
}

/// One graph membership edge (subject descriptors).
public struct GraphMembership: Sendable, Equatable {
    public var memberDescriptor: String
    public var containerDescriptor: String
}

/// Graph (identity host, `7.1-preview.1`; reference/ado-rest.md §4). Lists follow continuation tokens.
extension OrganizationClient {
    /// `GET _apis/graph/users` (`subjectTypes`: `aad`, `msa`, `svc`, …; empty = all).
    public func graphUsers(subjectTypes: [String] = []) async throws(ADOError) -> [GraphSubject] {
        try Self.decodeSubjects(try await rawGraphUsers(subjectTypes: subjectTypes), route: "GET _apis/graph/users")
    }

    public func graphGroups(scopeDescriptor: String? = nil) async throws(ADOError) -> [GraphSubject] {
        try Self.decodeSubjects(
            try await rawGraphGroups(scopeDescriptor: scopeDescriptor),
            route: "GET _apis/graph/groups"
        )
    }

    public func graphServicePrincipals() async throws(ADOError) -> [GraphSubject] {
        try Self.decodeSubjects(try await rawGraphServicePrincipals(), route: "GET _apis/graph/serviceprincipals")
    }

    /// Direct memberships of a subject: `.up` = groups it is in, `.down` = members of a group.
    public func graphMemberships(subjectDescriptor: String, direction: GraphDirection = .up) async throws(ADOError)
        -> [GraphMembership]
    {
        let call = Call(
            .get,
            .identity,
            path: ["_apis", "graph", "memberships", subjectDescriptor],
            query: [("direction", direction.rawValue)],
            apiVersion: APIVersion.graph,
            route: "_apis/graph/memberships/{subjectDescriptor}"
        )
        let values = try await list(call)
        return try Self.decode(call.label) { () throws(WireError) in
            try WireReader.elements(values, path: "value").map { r throws(WireError) in
                GraphMembership(
                    memberDescriptor: try r.string("memberDescriptor"),
                    containerDescriptor: try r.string("containerDescriptor")
                )
            }
        }
    }

    func rawGraphUsers(subjectTypes: [String] = []) async throws(ADOError) -> [JSONValue] {
        var query: [(String, String)] = []
        if !subjectTypes.isEmpty { query.append(("subjectTypes", subjectTypes.joined(separator: ","))) }
        return try await list(
            Call(
                .get,
                .identity,
                path: ["_apis", "graph", "users"],
                query: query,
                apiVersion: APIVersion.graph,
                route: "_apis/graph/users"
            )
        )
    }

    func rawGraphGroups(scopeDescriptor: String? = nil) async throws(ADOError) -> [JSONValue] {
        var query: [(String, String)] = []
        if let scopeDescriptor { query.append(("scopeDescriptor", scopeDescriptor)) }
        return try await list(
            Call(
                .get,
                .identity,
                path: ["_apis", "graph", "groups"],
                query: query,
                apiVersion: APIVersion.graph,
                route: "_apis/graph/groups"
            )
        )
    }

    func rawGraphServicePrincipals() async throws(ADOError) -> [JSONValue] {
        try await list(
            Call(
                .get,
                .identity,
                path: ["_apis", "graph", "serviceprincipals"],
                apiVersion: APIVersion.graph,
                route: "_apis/graph/serviceprincipals"
            )
        )
    }

    static func decodeSubjects(_ values: [JSONValue], route: String) throws(ADOError) -> [GraphSubject] {
        try decode(route) { () throws(WireError) in
            try WireReader.elements(values, path: "value").map { r throws(WireError) in
                try IdentityDecoding.graphSubject(r)
            }
        }
    }
}

/// Direction of a graph membership query.
public enum GraphDirection: String, Sendable {
    case up
    case down
}

extension OrganizationClient {
    func rawSearchIdentities(_ filter: IdentitySearchFilter, value: String) async throws(ADOError) -> [JSONValue] {
        let call = Call(
            .get,
            .identity,
            path: ["_apis", "identities"],
            query: [
                ("searchFilter", filter.rawValue), ("filterValue", value),
                ("queryMembership", MembershipQuery.direct.rawValue),
            ],
            apiVersion: APIVersion.identities,
            route: "_apis/identities?searchFilter"
        )
        return try await list(call).filter { $0 != .null && $0["descriptor"]?.stringValue != nil }
    }
}
