import EmulatorSupport
import Foundation

typealias Contoso = Fixtures.Contoso
typealias Credentials = Fixtures.Credentials

extension EmulatorHandle {
    /// GET under `/contoso` with `api-version=7.1` appended.
    func get(_ path: String, pat: String? = Credentials.alicePAT, bearer: String? = nil) async throws -> TestResponse {
        try await http.send(
            "GET",
            "/contoso" + path + (path.contains("?") ? "&" : "?") + "api-version=7.1",
            pat: bearer == nil ? pat : nil,
            bearer: bearer
        )
    }

    /// A JSON request under `/contoso`.
    func send(
        _ method: String,
        _ path: String,
        json body: Any? = nil,
        pat: String? = Credentials.alicePAT,
        bearer: String? = nil,
        contentType: String = "application/json",
        headers: [(String, String)] = []
    ) async throws -> TestResponse {
        try await http.send(
            method,
            "/contoso" + path + (path.contains("?") ? "&" : "?") + "api-version=7.1",
            pat: bearer == nil ? pat : nil,
            bearer: bearer,
            headers: headers,
            body: try body.map(TestHTTP.json),
            contentType: contentType
        )
    }
}

enum Ids {
    /// Repository ids of the example (derived by make-snapshot.py; read from the snapshot so they are never retyped).
    static func repository(_ project: String, _ name: String) throws -> String {
        let object = try JSONSerialization.jsonObject(with: Fixtures.contosoSnapshot()) as! [String: Any]
        let repositories = object["repositories"] as! [[String: Any]]
        let match = repositories.first {
            ($0["name"] as? String) == name && (($0["project"] as? [String: Any])?["name"] as? String) == project
        }
        return match!["id"] as! String
    }

    static func group(_ principalName: String) throws -> String {
        let object = try JSONSerialization.jsonObject(with: Fixtures.contosoSnapshot()) as! [String: Any]
        let identities = object["identities"] as! [[String: Any]]
        return identities.first { ($0["providerDisplayName"] as? String) == principalName }!["descriptor"] as! String
    }

    static let paymentsAPIToken: String = {
        "repoV2/\(Contoso.paymentsProjectId)/\((try? repository("Payments", "payments-api")) ?? "missing")"
    }()
}

/// Runs CPU-heavy synchronous work (generating or planning a large organization) on a thread of its own: on
/// two cores it would otherwise hold one of the two cooperative-pool threads that the in-process emulators of the
/// tests running alongside need to answer within their clients' timeouts.
func offPool<T>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
        Thread { continuation.resume(with: Result { try work() }) }.start()
    }
}
