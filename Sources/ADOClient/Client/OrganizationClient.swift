import Foundation
import Plan

/// The typed REST client of one organization: every call goes through here, so retries, throttling, paging,
/// error decoding and accounting are the same for all endpoints.
///
/// Reads are retried on 429/502/503/504, timeouts and connection failures. Writes are sent once; they are retried
/// only when the caller passes a read-back that proves the failed attempt left nothing behind (see
/// `ReadBack`). The credential is handed to the transport per request and never appears in errors or logs.
public struct OrganizationClient: Sendable {
    public let endpoint: OrganizationEndpoint
    public let transport: any Transport
    public let retryPolicy: RetryPolicy
    public let throttlePolicy: ThrottlePolicy
    public let clock: any RetryClock
    /// Every request made through this client (shared by copies of the client).
    public let log: RequestLog
    let credential: Credential?
    let throttle = Throttle()

    public init(
        endpoint: OrganizationEndpoint,
        credential: Credential?,
        transport: any Transport,
        retryPolicy: RetryPolicy = RetryPolicy(),
        throttlePolicy: ThrottlePolicy = ThrottlePolicy(),
        clock: any RetryClock = SystemRetryClock(),
        log: RequestLog = RequestLog()
    ) {
        self.endpoint = endpoint
        self.credential = credential
        self.transport = transport
        self.retryPolicy = retryPolicy
        self.throttlePolicy = throttlePolicy
        self.clock = clock
        self.log = log
    }

    /// A client over a new `CurlTransport`.
    public static func make(
        organizationURL: String,
        identityURL: String? = nil,
        credential: Credential?,
        configuration: TransportConfiguration = TransportConfiguration(),
        retryPolicy: RetryPolicy = RetryPolicy()
    ) throws(ADOError) -> OrganizationClient {
        let endpoint = try OrganizationEndpoint(organizationURL: organizationURL, identityURL: identityURL)
        let transport: CurlTransport
        do {
            transport = try CurlTransport(configuration: configuration)
        } catch {
            throw ADOError(error)
        }
        return OrganizationClient(
            endpoint: endpoint,
            credential: credential,
            transport: transport,
            retryPolicy: retryPolicy
        )
    }

    // MARK: sending

    /// Sends a call; reads are retried per `retryPolicy`, writes are attempted once. Non-2xx → `ADOError.service`.
    func send(_ call: Call) async throws(ADOError) -> HTTPResponse {
        var attempt = 1
        while true {
            let outcome = await attemptOnce(call, attempt: attempt)
            switch outcome {
            case .success(let response):
                return response
            case .failure(let failure):
                let decision = retryPolicy.decide(
                    failure: failure.retryFailure,
                    attempt: attempt,
                    isIdempotent: call.method.isIdempotentRead,
                    jitter: clock.jitter()
                )
                guard case .retry(let delay) = decision else { throw failure.error }
                try await sleep(delay)
                attempt += 1
            }
        }
    }

    /// Sends a write; when an attempt fails in a way that may be transient, `readBack` decides: a value means the
    /// write took effect after all (it is returned), nil means it did not (the write is retried after back-off).
    /// Without a read-back a failed write is reported as is.
    func sendWrite<T: Sendable>(
        _ call: Call,
        decode: (HTTPResponse) throws(ADOError) -> T,
        readBack: ReadBack<T>?
    ) async throws(ADOError) -> T {
        var attempt = 1
        while true {
            switch await attemptOnce(call, attempt: attempt) {
            case .success(let response):
                return try decode(response)
            case .failure(let failure):
                guard let readBack else { throw failure.error }
                // Only failures that can be transient are worth a read-back; a 4xx is the final answer.
                let probe = retryPolicy.decide(
                    failure: failure.retryFailure,
                    attempt: attempt,
                    isIdempotent: true,
                    jitter: clock.jitter()
                )
                guard case .retry(let delay) = probe else { throw failure.error }
                try await sleep(delay)
                if let value = try await readBack.probe() { return value }
                attempt += 1
            }
        }
    }

    private struct AttemptFailure: Error {
        var error: ADOError
        var retryFailure: RetryPolicy.Failure
    }

    private func attemptOnce(_ call: Call, attempt: Int) async -> Result<HTTPResponse, AttemptFailure> {
        let url: URL
        do {
            url = try call.url(for: endpoint)
        } catch {
            return .failure(
                AttemptFailure(error: error, retryFailure: .status(400, retryAfter: nil, hostOffline: false))
            )
        }
        do {
            try await sleep(throttle.wait(now: clock.now()))
        } catch {
            return .failure(
                AttemptFailure(error: .cancelled, retryFailure: .status(499, retryAfter: nil, hostOffline: false))
            )
        }
        var headers: HTTPHeaders = ["Accept": "application/json"]
        if call.body != nil { headers.set("Content-Type", call.contentType ?? "application/json") }
        for (name, value) in call.headers { headers.set(name, value) }
        let request = HTTPRequest(
            method: call.method,
            url: url,
            headers: headers,
            body: call.body,
            credential: credential
        )
        let started = clock.now()
        let response: HTTPResponse
        do {
            response = try await transport.send(request)
        } catch {
            log.record(
                RequestRecord(
                    method: call.method,
                    route: call.route,
                    status: error.unauthorizedStatus,
                    bytesSent: call.body?.count ?? 0,
                    bytesReceived: 0,
                    duration: clock.now() - started,
                    attempt: attempt,
                    failure: error.description
                )
            )
            let retryFailure: RetryPolicy.Failure =
                switch error {
                case .timedOut: .timedOut
                case .connectionFailed: .connectionFailed
                default: .status(error.unauthorizedStatus ?? 0, retryAfter: nil, hostOffline: false)
                }
            return .failure(AttemptFailure(error: ADOError(error), retryFailure: retryFailure))
        }
        log.record(
            RequestRecord(
                method: call.method,
                route: call.route,
                status: response.status,
                bytesSent: response.metrics.bytesSent,
                bytesReceived: response.metrics.bytesReceived,
                duration: response.metrics.duration,
                attempt: attempt,
                newConnections: response.metrics.newConnections
            )
        )
        let now = clock.wallClock()
        if response.isSuccess {
            if let pause = throttlePolicy.pause(after: response.headers, now: now) {
                throttle.hold(until: clock.now() + pause)
            }
            return .success(response)
        }
        let retryAfter = RetryAfter.parse(response.headers["Retry-After"], now: now)
        let error = ServiceError(response: response, route: call.label, retryAfter: retryAfter)
        let hostOffline = response.headers["X-VSS-HostOfflineError"] != nil
        return .failure(
            AttemptFailure(
                error: .service(error),
                retryFailure: .status(response.status, retryAfter: retryAfter, hostOffline: hostOffline)
            )
        )
    }

    private func sleep(_ duration: Duration) async throws(ADOError) {
        guard duration > .zero else {
            if Task.isCancelled { throw .cancelled }
            return
        }
        do {
            try await clock.sleep(for: duration)
        } catch {
            throw .cancelled
        }
    }

    // MARK: decoding helpers

    /// The JSON body of a call.
    func json(_ call: Call) async throws(ADOError) -> JSONValue {
        try Self.decodeJSON(try await send(call), route: call.label)
    }

    static func decodeJSON(_ response: HTTPResponse, route: String) throws(ADOError) -> JSONValue {
        if response.body.isEmpty { return .null }
        do {
            return try JSONParser.parse(response.body)
        } catch {
            throw .decoding(route: route, detail: "the body is not JSON (\(error))")
        }
    }

    /// The `value` array of a `{count, value}` list, following `x-ms-continuationtoken` until the header is absent.
    func list(_ call: Call, pageSize: (name: String, value: Int)? = nil) async throws(ADOError) -> [JSONValue] {
        var items: [JSONValue] = []
        var token: String?
        var seen = Set<String>()
        repeat {
            var page = call
            if let pageSize { page.query.append((pageSize.name, String(pageSize.value))) }
            if let token { page.query.append(("continuationToken", token)) }
            let response = try await send(page)
            items += try Self.values(of: try Self.decodeJSON(response, route: call.label), route: call.label)
            token = response.headers["x-ms-continuationtoken"].flatMap { $0.isEmpty ? nil : $0 }
            if let token, !seen.insert(token).inserted {
                throw .decoding(route: call.label, detail: "the server repeated continuation token '\(token)'")
            }
        } while token != nil
        return items
    }

    static func values(of json: JSONValue, route: String) throws(ADOError) -> [JSONValue] {
        switch json {
        case .array(let elements): return elements
        case .object:
            guard case .array(let elements) = json["value"] ?? .array([]) else {
                throw .decoding(route: route, detail: "'value' is not an array")
            }
            return elements
        case .null: return []
        default: throw .decoding(route: route, detail: "expected a {count, value} list")
        }
    }

    /// Runs a wire decoder, turning its error into `ADOError.decoding`.
    static func decode<T>(_ route: String, _ body: () throws(WireError) -> T) throws(ADOError) -> T {
        do {
            return try body()
        } catch {
            throw .decoding(route: route, detail: error.description)
        }
    }
}

/// A read that tells whether a failed write nevertheless happened: return the value the write would have
/// produced when it did, nil when it did not. ADO's reads can briefly lag its writes (reference/ado-rest.md §2.6),
/// so a probe should compare content, not only existence.
public struct ReadBack<T: Sendable>: Sendable {
    public let probe: @Sendable () async throws(ADOError) -> T?

    public init(_ probe: @escaping @Sendable () async throws(ADOError) -> T?) { self.probe = probe }
}

extension TransportError {
    var unauthorizedStatus: Int? {
        if case .unauthorized(let status, _) = self { return status }
        return nil
    }
}
