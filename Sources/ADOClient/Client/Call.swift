import Foundation
import Plan

/// One REST call before it becomes an HTTP request: which host, which path, which api-version, and the route
/// template that accounting groups it under.
struct Call: Sendable {
    enum Host: Sendable {
        case organization
        case identity
    }

    var method: HTTPMethod
    var host: Host
    /// Path segments after the base URL, unencoded (`["Payments", "_apis", "git", "repositories"]`).
    var path: [String]
    var query: [(String, String)]
    var apiVersion: String
    var body: Data?
    var contentType: String?
    /// Extra request headers (`If-Match`, …).
    var headers: [(String, String)] = []
    /// `_apis/git/repositories` with `{…}` for the variable parts.
    var route: String

    init(
        _ method: HTTPMethod,
        _ host: Host = .organization,
        path: [String],
        query: [(String, String)] = [],
        apiVersion: String,
        route: String,
        body: Data? = nil,
        contentType: String? = nil
    ) {
        self.method = method
        self.host = host
        self.path = path
        self.query = query
        self.apiVersion = apiVersion
        self.route = route
        self.body = body
        self.contentType = contentType
    }

    /// A JSON body, written deterministically.
    static func jsonBody(_ value: JSONValue) -> Data { JSONWriter.data(value, pretty: false) }

    func url(for endpoint: OrganizationEndpoint) throws(ADOError) -> URL {
        let base = host == .organization ? endpoint.organizationURL : endpoint.identityURL
        var text = base.absoluteString
        for segment in path { text += "/" + OrganizationEndpoint.encodeSegment(segment) }
        let items = query + [("api-version", apiVersion)]
        text +=
            "?"
            + items.map { OrganizationEndpoint.encodeQuery($0.0) + "=" + OrganizationEndpoint.encodeQuery($0.1) }
            .joined(separator: "&")
        guard let url = URL(string: text) else { throw .invalidOrganization("cannot build a URL for \(route)") }
        return url
    }

    /// `GET _apis/…`, for messages and accounting.
    var label: String { "\(method.rawValue) \(route)" }
}

/// api-versions the official Python SDK (azure-devops 7.1) sends (reference/ado-rest.md §1.2).
enum APIVersion {
    static let security = "7.1-preview.1"
    static let permissions = "7.1-preview.2"
    static let identities = "7.1-preview.1"
    static let graph = "7.1-preview.1"
    static let projects = "7.1-preview.4"
    static let git = "7.1-preview.1"
    static let gitItems = "7.1-preview.1"
    static let buildDefinitions = "7.1-preview.7"
    static let buildGeneralSettings = "7.1-preview.1"
    static let builds = "7.1-preview.7"
    static let serviceEndpoints = "7.1-preview.4"
    static let classificationNodes = "7.1-preview.2"
    static let wiki = "7.1-preview.2"
    static let wikiPages = "7.1-preview.1"
    static let workItems = "7.1-preview.3"
    static let workItemComments = "7.1-preview.4"
    static let pullRequestThreads = "7.1-preview.1"
    static let refs = "7.1-preview.1"
    static let pushes = "7.1-preview.2"
    static let annotatedTags = "7.1-preview.1"
}
