import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A response as it came off the wire: status, every header line (repeated headers kept), body bytes.
public struct TestResponse: Sendable {
    public var status: Int
    public var reason: String
    public var headers: [(name: String, value: String)]
    public var body: Data

    /// First value of a header (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// Every value of a header (e.g. the `WWW-Authenticate` challenges).
    public func headers(_ name: String) -> [String] {
        headers.filter { $0.name.lowercased() == name.lowercased() }.map(\.value)
    }

    public var text: String { String(decoding: body, as: UTF8.self) }

    /// The body parsed with `JSONSerialization` (`[String: Any]`, `[Any]`, …).
    public func json() throws -> Any { try JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed]) }

    public func object() throws -> [String: Any] {
        guard let object = try json() as? [String: Any] else { throw TestHTTPError.notAnObject(text) }
        return object
    }

    /// `value` of a `{count, value}` body.
    public func values() throws -> [[String: Any]] {
        guard let values = try object()["value"] as? [[String: Any]] else { throw TestHTTPError.notAnObject(text) }
        return values
    }
}

public enum TestHTTPError: Error, Equatable, CustomStringConvertible {
    case connect(Int32)
    case io(String)
    case malformed(String)
    case notAnObject(String)
    /// The server reset the connection (RST) after `received` response bytes.
    case connectionReset(received: Int)
    /// The server closed the connection without sending a byte.
    case emptyReply

    public var description: String {
        switch self {
        case .connectionReset(let received): "connection reset by the server after \(received) response bytes"
        case .emptyReply: "the server closed the connection without a response"
        case .connect(let code): "connect failed (errno \(code))"
        case .io(let what): "socket I/O failed: \(what)"
        case .malformed(let what): "malformed HTTP response: \(what)"
        case .notAnObject(let text): "response is not the expected JSON: \(text.prefix(300))"
        }
    }
}

/// A minimal HTTP/1.1 client over a plain socket: one request per connection (`Connection: close`), nothing
/// added or interpreted — so tests see ADO's 401 exactly (URLSession on Linux hangs on it, reference
/// swift-style.md §1.3). Blocking I/O runs on its own thread, never on the concurrency pool the in-process
/// server also needs.
public struct TestHTTP: Sendable {
    public let port: Int

    public init(port: Int) { self.port = port }

    /// Sends a request. `path` includes the query (`/contoso/_apis/projects?api-version=7.1`).
    public func send(
        _ method: String,
        _ path: String,
        pat: String? = nil,
        bearer: String? = nil,
        suppressRedirect: Bool = true,
        headers extra: [(String, String)] = [],
        body: Data? = nil,
        contentType: String = "application/json"
    ) async throws -> TestResponse {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        if let pat { head += "Authorization: Basic \(Data(":\(pat)".utf8).base64EncodedString())\r\n" }
        if let bearer { head += "Authorization: Bearer \(bearer)\r\n" }
        if suppressRedirect { head += "X-TFS-FedAuthRedirect: Suppress\r\n" }
        for (name, value) in extra { head += "\(name): \(value)\r\n" }
        if let body {
            head += "Content-Type: \(contentType)\r\nContent-Length: \(body.count)\r\n"
        }
        head += "\r\n"
        var request = Data(head.utf8)
        if let body { request.append(body) }
        let bytes = try await Self.exchange(port: port, request: request)
        return try Self.parse(bytes)
    }

    public func get(_ path: String, pat: String? = Fixtures.Credentials.alicePAT) async throws -> TestResponse {
        try await send("GET", path, pat: pat)
    }

    /// JSON body from a `JSONSerialization` object.
    public static func json(_ object: Any) throws -> Data {
        try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    }

    private static func exchange(port: Int, request: Data) async throws -> Data {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Result { try blockingExchange(port: port, request: request) })
            }
            thread.start()
        }
    }

    private static func blockingExchange(port: Int, request: Data) throws -> Data {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestHTTPError.connect(errno) }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw TestHTTPError.connect(errno) }
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        try request.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let sent = Glibc.send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                guard sent > 0 else { throw TestHTTPError.io("send errno \(errno)") }
                offset += sent
            }
        }
        var response = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count == 0 { break }
            guard count > 0 else {
                if errno == ECONNRESET { throw TestHTTPError.connectionReset(received: response.count) }
                throw TestHTTPError.io("recv errno \(errno)")
            }
            response.append(contentsOf: buffer[0..<count])
        }
        if response.isEmpty { throw TestHTTPError.emptyReply }
        return response
    }

    static func parse(_ data: Data) throws -> TestResponse {
        let bytes = [UInt8](data)
        guard
            let end = (0..<max(0, bytes.count - 3)).first(where: {
                bytes[$0] == 13 && bytes[$0 + 1] == 10 && bytes[$0 + 2] == 13 && bytes[$0 + 3] == 10
            })
        else { throw TestHTTPError.malformed("no header terminator") }
        let head = String(decoding: bytes[0..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let statusLine = head[0].split(separator: " ", maxSplits: 2).map(String.init)
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else { throw TestHTTPError.malformed(head[0]) }
        var headers: [(name: String, value: String)] = []
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.append(
                (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
            )
        }
        var body = Data(bytes[(end + 4)...])
        if headers.contains(where: {
            $0.name.lowercased() == "transfer-encoding" && $0.value.lowercased().contains("chunked")
        }) {
            body = try dechunk(body)
        }
        return TestResponse(
            status: status,
            reason: statusLine.count > 2 ? statusLine[2] : "",
            headers: headers,
            body: body
        )
    }

    private static func dechunk(_ data: Data) throws -> Data {
        let bytes = [UInt8](data)
        var output = Data()
        var index = 0
        while index < bytes.count {
            guard let lineEnd = (index..<bytes.count - 1).first(where: { bytes[$0] == 13 && bytes[$0 + 1] == 10 }),
                let size = Int(
                    String(decoding: bytes[index..<lineEnd], as: UTF8.self).split(separator: ";")[0],
                    radix: 16
                )
            else { throw TestHTTPError.malformed("chunk size") }
            if size == 0 { break }
            output.append(contentsOf: bytes[(lineEnd + 2)..<(lineEnd + 2 + size)])
            index = lineEnd + 2 + size + 2
        }
        return output
    }
}
