import Foundation

/// How the libcurl transport behaves. The defaults suit a CLI talking to dev.azure.com.
public struct TransportConfiguration: Sendable, Equatable {
    /// What to do when a redirect points at another scheme/host/port.
    public enum CrossHostRedirects: Sendable, Equatable {
        /// Fail with `TransportError.redirectToOtherHost` (default: ADO API calls never legitimately leave the host).
        case refuse
        /// Follow, but without the credential (for downloads that land on blob storage).
        case followWithoutCredential
    }

    /// Sent as `User-Agent` on every request.
    public var userAgent: String
    public var connectTimeout: Duration
    /// Whole-request limit (connect + send + receive) per hop; a request can override it.
    public var totalTimeout: Duration
    /// Requests in flight per origin (scheme, host, port); further requests wait their turn.
    public var maxConcurrentRequestsPerHost: Int
    public var maxRedirects: Int
    public var crossHostRedirects: CrossHostRedirects
    /// CA bundle to verify servers with; nil = the system bundle libcurl was built with.
    public var caBundlePath: String?
    /// Larger bodies fail with `responseTooLarge` instead of exhausting memory.
    public var maxResponseBytes: Int
    /// Tests only: leave out `X-TFS-FedAuthRedirect: Suppress`, to see the 203 sign-in page ADO sends without it.
    var omitFedAuthRedirectSuppression = false

    public init(
        userAgent: String = TransportConfiguration.defaultUserAgent,
        connectTimeout: Duration = .seconds(15),
        totalTimeout: Duration = .seconds(120),
        maxConcurrentRequestsPerHost: Int = 4,
        maxRedirects: Int = 5,
        crossHostRedirects: CrossHostRedirects = .refuse,
        caBundlePath: String? = nil,
        maxResponseBytes: Int = 512 * 1024 * 1024
    ) {
        self.userAgent = userAgent
        self.connectTimeout = connectTimeout
        self.totalTimeout = totalTimeout
        self.maxConcurrentRequestsPerHost = maxConcurrentRequestsPerHost
        self.maxRedirects = maxRedirects
        self.crossHostRedirects = crossHostRedirects
        self.caBundlePath = caBundlePath
        self.maxResponseBytes = maxResponseBytes
    }

    /// `adoperm/<version>`.
    public static let defaultUserAgent = "adoperm/" + ADOClientInfo.version

    /// A CA bundle named by `SSL_CERT_FILE` or `CURL_CA_BUNDLE` in `environment` (the variables curl's own tools
    /// honour; the library does not read them itself).
    public static func caBundle(from environment: [String: String]) -> String? {
        for name in ["CURL_CA_BUNDLE", "SSL_CERT_FILE"] {
            if let path = environment[name], !path.isEmpty { return path }
        }
        return nil
    }
}

/// Facts about this library.
public enum ADOClientInfo {
    /// Version sent in `User-Agent`; kept equal to the CLI's `--version`.
    public static let version = "0.1.0"
}
