import Foundation

/// The HTTP methods the ADO REST API uses.
public enum HTTPMethod: String, Sendable, Hashable, CaseIterable {
    case get = "GET"
    case post = "POST"
    case put = "PUT"
    case patch = "PATCH"
    case delete = "DELETE"
    case head = "HEAD"

    /// GET and HEAD never change server state, so they may be retried freely.
    public var isIdempotentRead: Bool { self == .get || self == .head }
}

/// An ordered list of header fields with case-insensitive lookup (HTTP field names are case-insensitive).
public struct HTTPHeaders: Sendable, Equatable, Sequence, ExpressibleByDictionaryLiteral {
    public private(set) var fields: [(name: String, value: String)]

    public init(_ fields: [(name: String, value: String)] = []) { self.fields = fields }

    public init(dictionaryLiteral elements: (String, String)...) {
        self.fields = elements.map { (name: $0.0, value: $0.1) }
    }

    /// The first value of `name`, compared without case.
    public subscript(name: String) -> String? {
        let lowered = name.lowercased()
        return fields.first { $0.name.lowercased() == lowered }?.value
    }

    /// Every value of `name`.
    public func values(_ name: String) -> [String] {
        let lowered = name.lowercased()
        return fields.filter { $0.name.lowercased() == lowered }.map(\.value)
    }

    /// Replaces every field called `name` with one field.
    public mutating func set(_ name: String, _ value: String) {
        remove(name)
        fields.append((name: name, value: value))
    }

    public mutating func add(_ name: String, _ value: String) { fields.append((name: name, value: value)) }

    public mutating func remove(_ name: String) {
        let lowered = name.lowercased()
        fields.removeAll { $0.name.lowercased() == lowered }
    }

    public func makeIterator() -> IndexingIterator<[(name: String, value: String)]> { fields.makeIterator() }

    public static func == (lhs: HTTPHeaders, rhs: HTTPHeaders) -> Bool {
        lhs.fields.count == rhs.fields.count
            && zip(lhs.fields, rhs.fields).allSatisfy {
                $0.name.lowercased() == $1.name.lowercased() && $0.value == $1.value
            }
    }
}

/// One HTTP request. The credential travels separately from `headers` so that it can never be logged with them and
/// so the transport alone decides which host may receive it.
public struct HTTPRequest: Sendable {
    public var method: HTTPMethod
    public var url: URL
    public var headers: HTTPHeaders
    public var body: Data?
    /// Sent as `Authorization` to the request's own origin only (never after a redirect to another host).
    public var credential: Credential?
    /// Overrides the transport's total timeout for this request.
    public var timeout: Duration?

    public init(
        method: HTTPMethod,
        url: URL,
        headers: HTTPHeaders = [:],
        body: Data? = nil,
        credential: Credential? = nil,
        timeout: Duration? = nil
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.credential = credential
        self.timeout = timeout
    }
}

/// What one transfer cost, summed over same-host redirect hops.
public struct TransferMetrics: Sendable, Equatable {
    public var bytesSent: Int
    public var bytesReceived: Int
    public var duration: Duration
    /// Redirects followed before the final response.
    public var redirects: Int
    /// Negotiated HTTP version of the final hop: `"1.1"`, `"2"`, …
    public var httpVersion: String
    /// Connections libcurl had to open (0 when a kept-alive connection was reused).
    public var newConnections: Int

    public init(
        bytesSent: Int = 0,
        bytesReceived: Int = 0,
        duration: Duration = .zero,
        redirects: Int = 0,
        httpVersion: String = "",
        newConnections: Int = 0
    ) {
        self.bytesSent = bytesSent
        self.bytesReceived = bytesReceived
        self.duration = duration
        self.redirects = redirects
        self.httpVersion = httpVersion
        self.newConnections = newConnections
    }
}

/// A complete HTTP response (the body is fully read and already decompressed).
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: Data
    /// The URL that produced this response (differs from the request's after a same-host redirect).
    public var url: URL
    public var metrics: TransferMetrics

    public init(
        status: Int,
        headers: HTTPHeaders = [:],
        body: Data = Data(),
        url: URL,
        metrics: TransferMetrics = TransferMetrics()
    ) {
        self.status = status
        self.headers = headers
        self.body = body
        self.url = url
        self.metrics = metrics
    }

    public var isSuccess: Bool { (200..<300).contains(status) }
}
