import Foundation

/// The libcurl transport: HTTP/2 when offered, one connection pool for the process, bounded per-host concurrency,
/// same-host redirects only, the credential bound to the request's origin, and prompt typed failures for 401.
public final class CurlTransport: Transport {
    public let configuration: TransportConfiguration
    private let engine: CurlEngine
    private let limiter: HostLimiter

    public init(configuration: TransportConfiguration = TransportConfiguration()) throws(TransportError) {
        self.configuration = configuration
        self.engine = try CurlEngine(configuration: configuration)
        self.limiter = HostLimiter(limit: configuration.maxConcurrentRequestsPerHost)
    }

    public func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        let origin = try Self.checkedOrigin(of: request.url)
        guard await limiter.acquire(origin) else { throw .cancelled }
        defer { limiter.release(origin) }
        if Task.isCancelled { throw .cancelled }

        var method = request.method
        var body = request.body
        var url = request.url
        var metrics = TransferMetrics()
        while true {
            let hopOrigin = try Self.checkedOrigin(of: url)
            let hop = try await performHop(
                method: method,
                url: url,
                headers: request.headers,
                body: body,
                // Bound to the origin the caller addressed: a redirect elsewhere never carries it.
                credential: hopOrigin == origin ? request.credential : nil,
                timeout: request.timeout ?? configuration.totalTimeout,
                noProxy: hopOrigin.isLoopback
            )
            metrics.bytesSent += hop.bytesSent
            metrics.bytesReceived += hop.bytesReceived
            metrics.duration += hop.duration
            metrics.httpVersion = hop.httpVersion
            metrics.newConnections += hop.newConnections

            if [301, 302, 303, 307, 308].contains(hop.status), let location = hop.headers["Location"] {
                guard metrics.redirects < configuration.maxRedirects else {
                    throw .tooManyRedirects(url: request.url.absoluteString, count: metrics.redirects)
                }
                guard let next = URL(string: location, relativeTo: url)?.absoluteURL else {
                    throw .invalidURL(location)
                }
                let nextOrigin = try Self.checkedOrigin(of: next)
                if nextOrigin != origin, configuration.crossHostRedirects == .refuse {
                    throw .redirectToOtherHost(from: origin.description, to: nextOrigin.description)
                }
                // 303 always, and 301/302 after a POST, continue as a body-less GET (what curl and browsers do).
                if method != .head, hop.status == 303 || (method == .post && hop.status <= 302) {
                    method = .get
                    body = nil
                }
                metrics.redirects += 1
                url = next
                continue
            }

            let response = HTTPResponse(
                status: hop.status,
                headers: hop.headers,
                body: hop.body,
                url: url,
                metrics: metrics
            )
            if hop.status == 401 {
                throw .unauthorized(
                    status: 401,
                    message: ServiceErrorBody.message(in: response) ?? "the credential was rejected"
                )
            }
            if hop.status == 203, (hop.headers["Content-Type"] ?? "").lowercased().contains("text/html") {
                throw .unauthorized(
                    status: 203,
                    message: "the server answered with a sign-in page instead of data; the credential was not accepted"
                )
            }
            return response
        }
    }

    private func performHop(
        method: HTTPMethod,
        url: URL,
        headers: HTTPHeaders,
        body: Data?,
        credential: Credential?,
        timeout: Duration,
        noProxy: Bool
    ) async throws(TransportError) -> CurlHopResult {
        var lines: [String] = []
        var seen = Set<String>()
        for field in headers where !Self.reservedHeaders.contains(field.name.lowercased()) {
            lines.append("\(field.name): \(field.value)")
            seen.insert(field.name.lowercased())
        }
        // Without it ADO answers a bad credential with a 203 sign-in page instead of a 401.
        if !configuration.omitFedAuthRedirectSuppression { lines.append("X-TFS-FedAuthRedirect: Suppress") }
        if !seen.contains("accept") { lines.append("Accept: application/json") }
        if let credential, !credential.isEmpty { lines.append("Authorization: " + credential.authorizationHeaderValue) }
        let hop = CurlHopRequest(
            method: method,
            url: url.absoluteString,
            headers: lines,
            body: body,
            totalTimeout: timeout,
            noProxy: noProxy
        )
        let transfer = try CurlTransfer(hop, configuration: configuration, share: engine.share)
        return try await engine.perform(transfer).get()
    }

    /// Headers the transport owns; callers cannot override them.
    private static let reservedHeaders: Set<String> = [
        "authorization", "x-tfs-fedauthredirect", "user-agent", "accept-encoding", "host", "content-length", "expect",
    ]

    /// http(s) URLs only; plain http only to loopback.
    static func checkedOrigin(of url: URL) throws(TransportError) -> Origin {
        guard let origin = Origin(url) else { throw .invalidURL(url.absoluteString) }
        if origin.scheme == "http", !origin.isLoopback { throw .insecureURL(host: origin.host) }
        return origin
    }
}
