import Foundation
import Plan

/// Security area: namespaces, ACLs, ACEs, permission bits (`dev.azure.com`, reference/ado-rest.md §2).
extension OrganizationClient {
    /// Every security namespace (`GET _apis/securitynamespaces`).
    public func securityNamespaces() async throws(ADOError) -> [SecurityNamespace] {
        let route = "GET _apis/securitynamespaces"
        let values = try await rawSecurityNamespaces()
        return try Self.decode(route) { () throws(WireError) in
            try WireReader.elements(values, path: "value").map { r throws(WireError) in
                try SecurityDecoding.namespace(r)
            }
        }
    }

    func rawSecurityNamespaces() async throws(ADOError) -> [JSONValue] {
        try await list(
            Call(
                .get,
                path: ["_apis", "securitynamespaces"],
                apiVersion: APIVersion.security,
                route: "_apis/securitynamespaces"
            )
        )
    }

    /// ACLs of a namespace (`GET _apis/accesscontrollists/{namespaceId}`).
    /// - Parameters:
    ///   - token: one token; nil = every ACL of the namespace.
    ///   - recurse: also the descendants of `token` (hierarchical namespaces).
    ///   - descriptors: filter ACEs to these identities (ADO then synthesizes zero ACEs for them on every ACL).
    public func accessControlLists(
        namespaceId: String,
        token: String? = nil,
        recurse: Bool = false,
        descriptors: [IdentityDescriptor] = []
    ) async throws(ADOError) -> [AccessControlList] {
        let values = try await rawAccessControlLists(
            namespaceId: namespaceId,
            token: token,
            recurse: recurse,
            descriptors: descriptors
        )
        return try Self.decode("GET _apis/accesscontrollists/{namespaceId}") { () throws(WireError) in
            try WireReader.elements(values, path: "value").map { r throws(WireError) in
                try SecurityDecoding.acl(r, namespaceId: namespaceId)
            }
        }
    }

    func rawAccessControlLists(
        namespaceId: String,
        token: String?,
        recurse: Bool,
        descriptors: [IdentityDescriptor] = []
    ) async throws(ADOError) -> [JSONValue] {
        var query: [(String, String)] = []
        if let token { query.append(("token", token)) }
        if !descriptors.isEmpty { query.append(("descriptors", descriptors.map(\.rawValue).joined(separator: ","))) }
        if recurse { query.append(("recurse", "true")) }
        return try await list(
            Call(
                .get,
                path: ["_apis", "accesscontrollists", namespaceId],
                query: query,
                apiVersion: APIVersion.security,
                route: "_apis/accesscontrollists/{namespaceId}"
            )
        )
    }

    /// Sets ACEs on one token (`POST _apis/accesscontrolentries/{namespaceId}`).
    ///
    /// `merge: true` adds bits (it cannot clear one; use `removePermission`), `merge: false` replaces the
    /// identity's allow/deny exactly. Returns the resulting stored entries for the given descriptors.
    /// - Parameter readBack: makes a failed attempt retryable (see `ReadBack`); typically reads the ACL and
    ///   returns its entries when they already equal the intended ones.
    public func setAccessControlEntries(
        namespaceId: String,
        token: String,
        entries: [AccessControlEntry],
        merge: Bool,
        readBack: ReadBack<[AccessControlEntry]>? = nil
    ) async throws(ADOError) -> [AccessControlEntry] {
        let body = JSONValue.object([
            "token": .string(token),
            "merge": .bool(merge),
            "accessControlEntries": .array(entries.map(SecurityDecoding.wire)),
        ])
        let call = Call(
            .post,
            path: ["_apis", "accesscontrolentries", namespaceId],
            apiVersion: APIVersion.security,
            route: "_apis/accesscontrolentries/{namespaceId}",
            body: Call.jsonBody(body)
        )
        return try await sendWrite(
            call,
            decode: { response throws(ADOError) in
                let values = try Self.values(of: try Self.decodeJSON(response, route: call.label), route: call.label)
                return try Self.decode(call.label) { () throws(WireError) in
                    try WireReader.elements(values, path: "value").map { r throws(WireError) in
                        try SecurityDecoding.ace(r)
                    }
                }
            },
            readBack: readBack
        )
    }

    /// Removes identities' ACEs from a token entirely (`DELETE _apis/accesscontrolentries/{namespaceId}`).
    public func removeAccessControlEntries(
        namespaceId: String,
        token: String,
        descriptors: [IdentityDescriptor],
        readBack: ReadBack<Bool>? = nil
    ) async throws(ADOError) -> Bool {
        let call = Call(
            .delete,
            path: ["_apis", "accesscontrolentries", namespaceId],
            query: [("token", token), ("descriptors", descriptors.map(\.rawValue).joined(separator: ","))],
            apiVersion: APIVersion.security,
            route: "_apis/accesscontrolentries/{namespaceId}"
        )
        return try await sendWrite(
            call,
            decode: { response throws(ADOError) in
                try Self.decodeJSON(response, route: call.label).boolValue ?? true
            },
            readBack: readBack
        )
    }

    /// Replaces whole ACLs (inherit flag and all entries) (`POST _apis/accesscontrollists/{namespaceId}`).
    public func setAccessControlLists(
        namespaceId: String,
        _ acls: [AccessControlList],
        readBack: ReadBack<Bool>? = nil
    ) async throws(ADOError) {
        let body = JSONValue.object(["count": .int(acls.count), "value": .array(acls.map(SecurityDecoding.wire))])
        let call = Call(
            .post,
            path: ["_apis", "accesscontrollists", namespaceId],
            apiVersion: APIVersion.security,
            route: "_apis/accesscontrollists/{namespaceId}",
            body: Call.jsonBody(body)
        )
        _ = try await sendWrite(call, decode: { _ throws(ADOError) in true }, readBack: readBack)
    }

    /// Deletes ACLs (`DELETE _apis/accesscontrollists/{namespaceId}?tokens=&recurse=`).
    public func removeAccessControlLists(
        namespaceId: String,
        tokens: [String],
        recurse: Bool = false,
        readBack: ReadBack<Bool>? = nil
    ) async throws(ADOError) -> Bool {
        let call = Call(
            .delete,
            path: ["_apis", "accesscontrollists", namespaceId],
            query: [("tokens", tokens.joined(separator: ",")), ("recurse", recurse ? "true" : "false")],
            apiVersion: APIVersion.security,
            route: "_apis/accesscontrollists/{namespaceId}"
        )
        return try await sendWrite(
            call,
            decode: { response throws(ADOError) in
                try Self.decodeJSON(response, route: call.label).boolValue ?? true
            },
            readBack: readBack
        )
    }

    /// Resets bits to "not set" on both allow and deny (`DELETE _apis/permissions/{namespaceId}/{bits}`); the only
    /// single call that clears selected bits. Returns the resulting entry.
    public func removePermission(
        namespaceId: String,
        bits: Int,
        descriptor: IdentityDescriptor,
        token: String,
        readBack: ReadBack<AccessControlEntry>? = nil
    ) async throws(ADOError) -> AccessControlEntry {
        let call = Call(
            .delete,
            path: ["_apis", "permissions", namespaceId, String(bits)],
            query: [("descriptor", descriptor.rawValue), ("token", token)],
            apiVersion: APIVersion.permissions,
            route: "_apis/permissions/{namespaceId}/{permissions}"
        )
        return try await sendWrite(
            call,
            decode: { response throws(ADOError) in
                let json = try Self.decodeJSON(response, route: call.label)
                // Some versions wrap the entry in a list.
                let entry = json["value"].flatMap { $0.arrayValue?.first } ?? json
                return try Self.decode(call.label) { () throws(WireError) in
                    try SecurityDecoding.ace(WireReader(entry, path: "$"), fallbackDescriptor: descriptor.rawValue)
                }
            },
            readBack: readBack
        )
    }

    /// Whether the *caller* holds all `bits` on each token (`GET _apis/permissions/{namespaceId}/{bits}`), in
    /// token order. There is no API that answers this for another identity.
    public func callerHasPermissions(
        namespaceId: String,
        bits: Int,
        tokens: [String],
        alwaysAllowAdministrators: Bool = false
    ) async throws(ADOError) -> [Bool] {
        let call = Call(
            .get,
            path: ["_apis", "permissions", namespaceId, String(bits)],
            query: [
                ("tokens", tokens.joined(separator: ",")), ("delimiter", ","),
                ("alwaysAllowAdministrators", alwaysAllowAdministrators ? "true" : "false"),
            ],
            apiVersion: APIVersion.permissions,
            route: "_apis/permissions/{namespaceId}/{permissions}"
        )
        return try await list(call).map { $0.boolValue ?? false }
    }
}

/// One question of a permission evaluation batch: may the caller do `bits` on `token`?
public struct PermissionEvaluation: Sendable, Hashable {
    public var namespaceId: String
    public var token: String
    public var bits: Int

    public init(namespaceId: String, token: String, bits: Int) {
        self.namespaceId = namespaceId.lowercased()
        self.token = token
        self.bits = bits
    }
}

extension OrganizationClient {
    /// `POST _apis/security/permissionevaluationbatch`: the caller's answer to each question, in order (a read
    /// despite the POST, so it is retried like one).
    public func evaluatePermissions(
        _ evaluations: [PermissionEvaluation],
        alwaysAllowAdministrators: Bool = false
    ) async throws(ADOError) -> [Bool] {
        let body = JSONValue.object([
            "alwaysAllowAdministrators": .bool(alwaysAllowAdministrators),
            "evaluations": .array(
                evaluations.map {
                    .object([
                        "securityNamespaceId": .string($0.namespaceId), "token": .string($0.token),
                        "permissions": .int($0.bits),
                    ])
                }
            ),
        ])
        let call = Call(
            .post,
            path: ["_apis", "security", "permissionevaluationbatch"],
            apiVersion: APIVersion.security,
            route: "_apis/security/permissionevaluationbatch",
            body: Call.jsonBody(body)
        )
        let readBack = ReadBack<JSONValue> { () async throws(ADOError) -> JSONValue? in nil }
        let json = try await sendWrite(
            call,
            decode: { response throws(ADOError) in try Self.decodeJSON(response, route: call.label) },
            readBack: readBack
        )
        guard let answers = json["evaluations"]?.arrayValue, answers.count == evaluations.count else {
            throw .decoding(route: call.label, detail: "expected one answer per evaluation")
        }
        return answers.map { $0["value"]?.boolValue ?? false }
    }
}
