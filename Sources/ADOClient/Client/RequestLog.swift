import Foundation
import Synchronization

/// One HTTP exchange as the client saw it (retries are separate records with `attempt > 1`).
public struct RequestRecord: Sendable, Equatable {
    public var method: HTTPMethod
    /// Route template (`_apis/accesscontrollists/{namespaceId}`), never the concrete URL, so records can be
    /// grouped and never carry tokens or names.
    public var route: String
    /// Nil when no response arrived (timeout, connection failure, cancellation).
    public var status: Int?
    public var bytesSent: Int
    public var bytesReceived: Int
    public var duration: Duration
    public var attempt: Int
    public var failure: String?
    /// Connections the request had to open (0 = a kept-alive connection was reused).
    public var newConnections: Int

    public init(
        method: HTTPMethod,
        route: String,
        status: Int?,
        bytesSent: Int,
        bytesReceived: Int,
        duration: Duration,
        attempt: Int,
        failure: String? = nil,
        newConnections: Int = 0
    ) {
        self.newConnections = newConnections
        self.method = method
        self.route = route
        self.status = status
        self.bytesSent = bytesSent
        self.bytesReceived = bytesReceived
        self.duration = duration
        self.attempt = attempt
        self.failure = failure
    }
}

/// Counts every request a client makes; commands print its summary with `--verbose`, benchmarks read it.
public final class RequestLog: Sendable {
    private let storage = Mutex<[RequestRecord]>([])

    public init() {}

    public func record(_ record: RequestRecord) { storage.withLock { $0.append(record) } }

    public var records: [RequestRecord] { storage.withLock { $0 } }

    public var summary: RequestSummary { RequestSummary(records) }

    public func reset() { storage.withLock { $0.removeAll() } }
}

/// Totals over a set of request records.
public struct RequestSummary: Sendable, Equatable, CustomStringConvertible {
    public var requests: Int
    /// Attempts after the first of some request.
    public var retries: Int
    /// Requests that got no response, or a status ≥ 400.
    public var failures: Int
    public var bytesSent: Int
    public var bytesReceived: Int
    /// Connections opened (the rest reused kept-alive connections or HTTP/2 streams).
    public var connectionsOpened: Int
    /// Sum of request durations (requests overlap, so this exceeds wall time when they ran in parallel).
    public var requestTime: Duration
    /// Requests per `METHOD route`, sorted by route.
    public var byRoute: [(route: String, count: Int)]

    public init(_ records: [RequestRecord]) {
        requests = records.count
        retries = records.filter { $0.attempt > 1 }.count
        failures = records.filter { ($0.status ?? 600) >= 400 }.count
        bytesSent = records.reduce(0) { $0 + $1.bytesSent }
        bytesReceived = records.reduce(0) { $0 + $1.bytesReceived }
        requestTime = records.reduce(.zero) { $0 + $1.duration }
        connectionsOpened = records.reduce(0) { $0 + $1.newConnections }
        var counts: [String: Int] = [:]
        for record in records { counts["\(record.method.rawValue) \(record.route)", default: 0] += 1 }
        byRoute = counts.sorted { $0.key < $1.key }.map { (route: $0.key, count: $0.value) }
    }

    public var description: String {
        "requests: \(requests) (retries: \(retries), failed: \(failures)), received: \(Self.bytes(bytesReceived)), "
            + "sent: \(Self.bytes(bytesSent)), connections opened: \(connectionsOpened), "
            + "time in requests: \(Self.seconds(requestTime))"
    }

    /// One line per route: `   12  GET _apis/identities`.
    public var routeLines: [String] {
        byRoute.map { String(repeating: " ", count: max(0, 5 - String($0.count).count)) + "\($0.count)  \($0.route)" }
    }

    public static func == (lhs: RequestSummary, rhs: RequestSummary) -> Bool {
        lhs.requests == rhs.requests && lhs.retries == rhs.retries && lhs.failures == rhs.failures
            && lhs.bytesSent == rhs.bytesSent && lhs.bytesReceived == rhs.bytesReceived
            && lhs.requestTime == rhs.requestTime && lhs.connectionsOpened == rhs.connectionsOpened
            && lhs.byRoute.map(\.route) == rhs.byRoute.map(\.route)
            && lhs.byRoute.map(\.count) == rhs.byRoute.map(\.count)
    }

    static func bytes(_ count: Int) -> String {
        if count < 1024 { return "\(count) B" }
        if count < 1024 * 1024 { return String(format: "%.1f KiB", Double(count) / 1024) }
        return String(format: "%.1f MiB", Double(count) / 1024 / 1024)
    }

    static func seconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        return String(format: "%.3f s", Double(seconds) + Double(attoseconds) / 1e18)
    }
}
