import Foundation

/// The authenticated identity of a request.
struct Caller: Sendable {
    var record: IdentityRecord
    /// The identity and its groups, transitively (lower-cased descriptors).
    var identitySet: Set<String>
    var credentialKind: Credential.Kind
    /// Whose TSTU budget the request spends: the identity, or for a minted job token that token alone
    /// (ADO tracks each pipeline separately, with the same limit).
    var budgetKey: String

    var key: String { record.key }
    var descriptor: String { record.descriptor }
}

/// Everything a handler needs besides the request.
struct RouteContext: Sendable {
    var route: Route
    var parameters: [String: String]
    var caller: Caller?
    /// The api-version the request asked for (query wins over `Accept`), or the route's default.
    var apiVersion: String
    /// `http://{Host}` as the client addressed this emulator.
    var baseURL: String
    var services: EmulatorServices

    var store: Store { services.store }
    var organizationName: String { services.organizationName }
    var organizationURL: String { "\(baseURL)/\(organizationName)" }

    func parameter(_ name: String) -> String? { parameters[name.lowercased()] }

    /// The caller, for routes that require one (the auth middleware guarantees it).
    func requireCaller() throws(ADOError) -> Caller {
        guard let caller else { throw ADOError.unauthorized }
        return caller
    }

    /// Rewrites the snapshot's service URLs (`https://dev.azure.com/{org}`, `https://vssps.dev.azure.com/{org}`)
    /// to this emulator, so links in responses lead back here.
    func rewriter() -> @Sendable (String) -> String {
        let prefixes = services.servicePrefixes
        let target = organizationURL
        return { text in
            guard text.hasPrefix("http") else { return text }
            for prefix in prefixes where text.count >= prefix.count {
                if text.lowercased().hasPrefix(prefix) {
                    return target + text.dropFirst(prefix.count)
                }
            }
            return text
        }
    }

    // MARK: responses

    var contentType: String { "application/json; charset=utf-8; api-version=\(apiVersion)" }

    func json(_ value: JSON, status: Int = 200, headers: [(name: String, value: String)] = []) -> EmulatorResponse {
        EmulatorResponse(
            status: status,
            headers: [("Content-Type", contentType)] + headers,
            body: JSONWriter.compact(value, rewriting: rewriter())
        )
    }

    /// `{count, value}` (VssJsonCollectionWrapper), with `x-ms-continuationtoken` when there is a next page.
    func collection(_ values: [JSON], continuationToken: String? = nil) -> EmulatorResponse {
        var headers: [(name: String, value: String)] = []
        if let continuationToken { headers.append(("x-ms-continuationtoken", continuationToken)) }
        return json(["count": .int(values.count), "value": .array(values)], headers: headers)
    }

    func error(_ error: ADOError) -> EmulatorResponse {
        var headers: [(name: String, value: String)] = [("Content-Type", contentType)]
        let encoded = error.message.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        headers.append(("X-TFS-ServiceError", encoded))
        headers.append(contentsOf: error.headers)
        return EmulatorResponse(status: error.status, headers: headers, body: JSONWriter.compact(error.json))
    }
}

/// Shared, immutable services of one emulator instance.
struct EmulatorServices: Sendable {
    var store: Store
    var requestLog: RequestLog
    var faults: FaultInjector
    var pauses: Pauses
    var organizationName: String
    var tenantId: String
    var collectionId: String
    /// Lower-cased URL prefixes of the real service that responses rewrite to this emulator.
    var servicePrefixes: [String]
    /// Page size of graph lists (small, so clients' continuation loops are exercised).
    var graphPageSize: Int
    var processId: String
    var deploymentId: String
}
