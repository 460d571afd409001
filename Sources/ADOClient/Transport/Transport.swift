import Foundation

/// The seam between the typed client and HTTP: one request in, one complete response out.
///
/// Implementations must refuse plain `http://` to non-loopback hosts, never send the credential to another origin,
/// and turn an authentication failure (401, or 203 with an HTML sign-in page) into `TransportError.unauthorized`.
/// Other statuses, including 4xx/5xx, are returned as responses.
public protocol Transport: Sendable {
    func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse
}

/// Why a request produced no usable response. Messages never contain a credential.
public enum TransportError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidURL(String)
    /// Plain `http://` to a host that is not loopback.
    case insecureURL(host: String)
    /// 401, or 203 with an HTML sign-in page; `message` is ADO's own text when it sent one.
    case unauthorized(status: Int, message: String)
    /// A redirect to another scheme/host/port, which is not followed (the credential must not go there).
    case redirectToOtherHost(from: String, to: String)
    case tooManyRedirects(url: String, count: Int)
    case timedOut(url: String)
    /// The host name does not resolve (not retried: a typo does not heal).
    case hostNotFound(host: String)
    case connectionFailed(url: String, reason: String)
    case responseTooLarge(url: String, limit: Int)
    case cancelled
    /// libcurl could not be set up.
    case engineFailure(String)

    public var description: String {
        switch self {
        case .invalidURL(let url): "invalid URL '\(url)'"
        case .insecureURL(let host):
            "refusing plain http:// to '\(host)': credentials would travel unencrypted; use https:// (http is allowed for loopback addresses only)"
        case .unauthorized(let status, let message):
            "authentication failed (HTTP \(status)): \(message)"
        case .redirectToOtherHost(let from, let to):
            "refusing to follow a redirect from \(from) to another host (\(to))"
        case .tooManyRedirects(let url, let count): "too many redirects (\(count)) starting at \(url)"
        case .timedOut(let url): "request timed out: \(url)"
        case .hostNotFound(let host): "cannot resolve host '\(host)'; check the organization URL"
        case .connectionFailed(let url, let reason): "cannot reach \(url): \(reason)"
        case .responseTooLarge(let url, let limit): "response from \(url) exceeds \(limit) bytes"
        case .cancelled: "request cancelled"
        case .engineFailure(let message): "HTTP engine failure: \(message)"
        }
    }
}

/// Scheme, host and port: the unit a credential is bound to and concurrency is limited by.
public struct Origin: Sendable, Hashable, CustomStringConvertible {
    public var scheme: String
    public var host: String
    public var port: Int

    public init?(_ url: URL) {
        guard let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = url.host(percentEncoded: false), !host.isEmpty
        else { return nil }
        self.scheme = scheme
        self.host = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        self.port = url.port ?? (scheme == "https" ? 443 : 80)
    }

    /// 127.0.0.0/8, ::1 and `localhost` (the only hosts plain http is allowed to).
    public var isLoopback: Bool {
        if host == "localhost" || host.hasSuffix(".localhost") || host == "::1" || host == "0:0:0:0:0:0:0:1" {
            return true
        }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts.allSatisfy({ UInt8($0) != nil }) else { return false }
        return parts[0] == "127"
    }

    public var description: String {
        let defaultPort = scheme == "https" ? 443 : 80
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return port == defaultPort ? "\(scheme)://\(shownHost)" : "\(scheme)://\(shownHost):\(port)"
    }
}
