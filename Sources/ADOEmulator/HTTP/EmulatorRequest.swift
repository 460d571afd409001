import Foundation

/// One HTTP request as the emulator's routes see it: decoded path segments, case-insensitive query and
/// headers, the whole body.
struct EmulatorRequest: Sendable {
    var method: String
    /// The path as sent (percent-encoded), without the query.
    var rawPath: String
    var rawQuery: String
    var segments: [String]
    var query: Query
    var headers: [(name: String, value: String)]
    var body: [UInt8]

    init(method: String, target: String, headers: [(name: String, value: String)], body: [UInt8]) {
        self.method = method.uppercased()
        let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        rawPath = parts.first.map(String.init) ?? "/"
        rawQuery = parts.count > 1 ? String(parts[1]) : ""
        segments = rawPath.split(separator: "/", omittingEmptySubsequences: true).map {
            String($0).removingPercentEncoding ?? String($0)
        }
        query = Query(rawQuery)
        self.headers = headers
        self.body = body
    }

    /// First value of a header (case-insensitive name).
    func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    var isWrite: Bool { !["GET", "HEAD", "OPTIONS"].contains(method) }

    /// `Host` header, for building absolute URLs that point back at this emulator.
    var host: String { header("Host") ?? "127.0.0.1" }

    /// The body as JSON; `nil` for an empty body.
    func jsonBody() throws(ADOError) -> JSON? {
        if body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return nil }
        switch Result(catching: { () throws(JSONParseError) -> JSON in try JSONParser.parse(body) }) {
        case .success(let value): return value
        case .failure(let error): throw ADOError.badRequest("The request body is not valid JSON: \(error.description).")
        }
    }
}

/// Query parameters in order; lookups ignore the name's case (ADO's do). `+` decodes to a space, as .NET does.
struct Query: Sendable {
    private(set) var pairs: [(name: String, value: String)] = []

    init(_ raw: String) {
        for item in raw.split(separator: "&", omittingEmptySubsequences: true) {
            let pieces = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.decode(pieces[0])
            let value = pieces.count > 1 ? Self.decode(pieces[1]) : ""
            pairs.append((name, value))
        }
    }

    private static func decode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }

    subscript(name: String) -> String? {
        pairs.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    func bool(_ name: String) -> Bool? {
        guard let value = self[name] else { return nil }
        switch value.lowercased() {
        case "true", "1": return true
        case "false", "0": return false
        default: return nil
        }
    }

    func int(_ name: String) -> Int? { self[name].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } }

    /// Comma-separated list (empty items dropped).
    func list(_ name: String, separator: String = ",") -> [String]? {
        guard let value = self[name] else { return nil }
        return value.components(separatedBy: separator).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
    }
}

/// How an injected fault ends a connection instead of answering.
enum ConnectionDrop: String, Sendable {
    /// TCP reset (SO_LINGER 0, then close): the client reads ECONNRESET.
    case reset
    /// Orderly close (FIN) without a byte of response: the client reads end-of-file ("empty reply").
    case eof
}

/// A response before it is handed to Hummingbird.
struct EmulatorResponse: Sendable {
    var status: Int
    var headers: [(name: String, value: String)]
    var body: [UInt8]
    /// Set by a fault: the connection is dropped and this response is never sent.
    var drop: ConnectionDrop?
    /// The fault rule that fired on this request (for the request log).
    var fault: String?
    /// Seconds the emulator waited on purpose (latency, throttling delay, slow fault).
    var delay: Double = 0
    /// TSTUs charged to the caller's budget (only when a rate limit is configured).
    var tstu: Double?
    /// `delayed` or `blocked` when the rate limit acted on this request.
    var throttle: String?

    init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    mutating func setHeader(_ name: String, _ value: String) {
        headers.removeAll { $0.name.caseInsensitiveCompare(name) == .orderedSame }
        headers.append((name, value))
    }
}
