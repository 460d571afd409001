import Foundation

/// An ADO permission error decoded from a log line, a JSON error body or an ado-aw `safe-outputs-executed.ndjson`
/// record (reference/ado-rest.md §1.7, reference/ado-aw.md §4.2, §4.5).
public struct DecodedError: Sendable, Equatable {
    /// Who the error names.
    public enum IdentityKind: String, Sendable, Equatable {
        /// `Build\{projectId}` or `{Project} Build Service ({org})`.
        case projectBuildService = "project-build-service"
        /// `Build\{collectionId}` or `Project Collection Build Service ({org})`.
        case collectionBuildService = "collection-build-service"
        /// `Build\{guid}` that cannot be placed without the organization (or matches neither).
        case buildService = "build-service"
        /// A user, service principal or other account.
        case account
    }

    public struct Identity: Sendable, Equatable {
        /// As the message writes it (`Build\5d0f…`, `backup@contoso.com`).
        public var raw: String
        public var kind: IdentityKind
        /// The guid after `Build\`.
        public var guid: String?
        /// Resolved against the organization, when one is given.
        public var projectId: String?
        public var projectName: String?
        public var descriptor: IdentityDescriptor?
        public var displayName: String?
    }

    public var code: String
    /// The ADO message, from the code to the end of its sentence(s).
    public var message: String
    public var httpStatus: Int?
    /// ado-aw safe-output tool (`add-pr-comment`), from the NDJSON record or the executor's message.
    public var tool: String?
    public var identity: Identity?
    public var namespaceId: String?
    public var namespaceName: String?
    /// Action names of the permission(s) the error asks for.
    public var permissions: [String]
    public var bits: Int
    /// `repository`, `project`, `branch` (TF401027), or what the error names (`organization`, `process`, …).
    public var scope: String?
    /// Repository name or id (TF401019), project id (VS800075), definition id and project (TF215106).
    public var repository: String?
    public var projectId: String?
    public var projectName: String?
    public var definitionId: Int?
    /// Whether fixing ACLs can help at all (TF400813 is authentication, not authorization).
    public var isPermissionError: Bool
    public var notes: [String]

    init(code: String, message: String) {
        self.code = code
        self.message = message
        self.permissions = []
        self.bits = 0
        self.isPermissionError = true
        self.notes = []
    }
}

/// Decodes error texts. Pure: the organization, when known, is passed in.
public enum ErrorDecoder {
    /// The codes `explain` understands.
    public static let codes = ["TF401027", "TF401019", "VS800075", "TF50309", "VS402356", "TF400813", "TF215106", "TF237111"]

    /// Every known error in `text`: raw text, JSON bodies (escaped or not) or NDJSON lines of ado-aw's executed
    /// safe outputs.
    ///
    /// - Parameters:
    ///   - namespaces: definitions to name bits with: the live ones with an organization, else the built-in
    ///     catalogue.
    ///   - index: the organization, to place `Build\{guid}` and resolve names.
    public static func decode(
        _ text: String,
        namespaces: [SecurityNamespace] = NamespaceCatalogue.wellKnown,
        index: OrgIndex? = nil
    ) -> [DecodedError] {
        var results: [DecodedError] = []
        for (segment, tool, status) in segments(of: text) {
            for var decoded in scan(unescape(segment), namespaces: namespaces) {
                decoded.tool = decoded.tool ?? tool
                decoded.httpStatus = decoded.httpStatus ?? status ?? httpStatus(in: segment)
                if let index { resolve(&decoded, index) }
                results.append(decoded)
            }
        }
        return results
    }

    /// Splits NDJSON records from plain text: each record's `error` is one segment, with its tool.
    static func segments(of text: String) -> [(String, String?, Int?)] {
        var plain: [String] = []
        var result: [(String, String?, Int?)] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("{"), let data = trimmed.data(using: .utf8),
                let record = try? JSONValue.parse(data),
                let error = record["error"]?.stringValue
            {
                let tool = record["name"]?.stringValue.map { String($0.map { $0 == "_" ? "-" : $0 }) }
                result.append((error, tool, nil))
            } else {
                plain.append(String(line))
            }
        }
        let rest = plain.joined(separator: "\n")
        if !rest.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { result.insert((rest, toolPrefix(in: rest), nil), at: 0) }
        return result
    }

    /// JSON-escaped bodies double their backslashes (`Build\\\\guid` in NDJSON): collapse runs and `\"`.
    static func unescape(_ text: String) -> String {
        var result = text.replacingOccurrences(of: "\\\"", with: "\"")
        while result.contains("\\\\") { result = result.replacingOccurrences(of: "\\\\", with: "\\") }
        return result.replacingOccurrences(of: "\\u0027", with: "'")
    }

    static func httpStatus(in text: String) -> Int? {
        guard let match = text.firstMatch(of: #/(?:HTTP |: )(\d{3}) (?:Forbidden|Not Found|Unauthorized|Bad Request)/#)
        else { return nil }
        return Int(match.output.1)
    }

    /// ado-aw executor message prefixes → tool (reference/ado-aw.md §4.5).
    static func toolPrefix(in text: String) -> String? {
        let prefixes: [(String, String)] = [
            ("Failed to add comment to PR #", "add-pr-comment"), ("Failed to reply to PR #", "reply-to-pr-comment"),
            ("Failed to update thread #", "resolve-pr-thread"), ("Failed to submit vote on PR #", "submit-pr-review"),
            ("Failed to push changes", "create-pull-request"), ("Failed to create pull request", "create-pull-request"),
            ("Failed to create branch", "create-branch"), ("Failed to create tag", "create-git-tag"),
            ("Failed to create work item", "create-work-item"), ("Failed to update work item #", "update-work-item"),
            ("Failed to add comment to work item #", "comment-on-work-item"),
            ("Failed to queue build for pipeline", "queue-build"), ("Failed to add tag", "add-build-tag"),
            ("Failed to create wiki page", "create-wiki-page"), ("Failed to update wiki page", "update-wiki-page"),
        ]
        return prefixes.first { text.contains($0.0) }?.1
    }
}
