import Foundation

/// A personal access token or bearer token. The secret is only ever turned into an `Authorization` header value by
/// the transport; every textual form of the value (`description`, `debugDescription`, string interpolation,
/// `dump`, `Mirror`) shows `***`. Not `Codable`, so it cannot end up in a plan, snapshot or journal by accident.
public struct Credential: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable
{
    /// How the secret is presented to ADO.
    public enum Kind: String, Sendable, Equatable {
        /// `Authorization: Basic base64(":" + pat)`.
        case pat
        /// `Authorization: Bearer <token>` (Entra ID, `$(System.AccessToken)`).
        case bearer
    }

    /// Where the credential came from, for messages (`--pat-file ~/.ado-pat`, `ADOPERM_PAT`, …); never the secret.
    public enum Source: Sendable, Equatable, CustomStringConvertible {
        case patFile(String)
        case environment(String)
        /// Given programmatically (tests, the emulator's fixture credentials).
        case value

        public var description: String {
            switch self {
            case .patFile(let path): "--pat-file \(path)"
            case .environment(let name): name
            case .value: "a credential given by the caller"
            }
        }
    }

    public let kind: Kind
    public let source: Source
    private let secret: Secret

    /// Wraps a secret. Surrounding whitespace (a trailing newline in a file) is removed.
    public init(kind: Kind, secret: String, source: Source = .value) {
        self.kind = kind
        self.source = source
        self.secret = Secret(secret.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    public var description: String { "***" }
    public var debugDescription: String { "***" }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }

    /// The `Authorization` header value. Internal: only the transport sends it.
    var authorizationHeaderValue: String {
        switch kind {
        case .pat: "Basic " + Data((":" + secret.value).utf8).base64EncodedString()
        case .bearer: "Bearer " + secret.value
        }
    }

    /// Whether the secret appears in `text` (used by tests and by callers that must scrub third-party text).
    public func occurs(in text: String) -> Bool {
        !secret.value.isEmpty && (text.contains(secret.value) || text.contains(authorizationHeaderValue))
    }

    var isEmpty: Bool { secret.value.isEmpty }

    public static func == (lhs: Credential, rhs: Credential) -> Bool {
        lhs.kind == rhs.kind && lhs.secret.value == rhs.secret.value
    }
}

/// Holds the secret behind a reference with no reflectable children, so even a Mirror of `Credential`'s private
/// storage (which `customMirror` already hides) would show nothing.
private final class Secret: Sendable, CustomReflectable, CustomStringConvertible {
    let value: String
    init(_ value: String) { self.value = value }
    var customMirror: Mirror { Mirror(self, children: []) }
    var description: String { "***" }
}
