import Foundation

/// Where an organization's REST API lives: the organization (collection) URL and the identity host that serves
/// `_apis/identities` and `_apis/graph`.
public struct OrganizationEndpoint: Sendable, Equatable, CustomStringConvertible {
    /// Base of every organization-level route, without a trailing slash (`https://dev.azure.com/contoso`).
    public var organizationURL: URL
    /// Base of identity and graph routes (`https://vssps.dev.azure.com/contoso`).
    public var identityURL: URL
    /// Organization (or collection) name.
    public var name: String

    /// Derives the identity host:
    /// - `https://dev.azure.com/{org}[/…]` and `https://{org}.visualstudio.com` → `https://vssps.dev.azure.com/{org}`;
    /// - anything else (Azure DevOps Server collection URL, the emulator on loopback) → the collection URL itself.
    ///
    /// - Parameter identityURL: overrides the derived identity host (`--identity-url`).
    public init(organizationURL text: String, identityURL override: String? = nil) throws(ADOError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let url = URL(string: trimmed), let scheme = url.scheme?.lowercased(),
            scheme == "https" || scheme == "http",
            let host = url.host(percentEncoded: false)?.lowercased(), !host.isEmpty
        else {
            throw .invalidOrganization(
                "invalid organization URL '\(text)': expected https://dev.azure.com/NAME or a collection URL"
            )
        }
        if scheme == "http", let origin = Origin(url), !origin.isLoopback {
            throw .transport(.insecureURL(host: host))
        }
        if url.user != nil || url.password != nil {
            throw .invalidOrganization(
                "the organization URL must not contain credentials; use --pat-file or ADOPERM_PAT"
            )
        }
        let segments = url.path(percentEncoded: false).split(separator: "/").map(String.init)
        let base: String
        let identity: String
        if host == "dev.azure.com" {
            guard let org = segments.first else {
                throw .invalidOrganization("'\(text)' names no organization: expected https://dev.azure.com/NAME")
            }
            name = org
            base = "https://dev.azure.com/" + Self.encodeSegment(org)
            identity = "https://vssps.dev.azure.com/" + Self.encodeSegment(org)
        } else if host.hasSuffix(".visualstudio.com"), let org = host.split(separator: ".").first.map(String.init) {
            name = org
            base = "https://\(host)"
            identity = "https://vssps.dev.azure.com/" + Self.encodeSegment(org)
        } else {
            var absolute = url.absoluteString
            if let query = absolute.firstIndex(where: { $0 == "?" || $0 == "#" }) {
                absolute = String(absolute[..<query])
            }
            while absolute.hasSuffix("/") { absolute.removeLast() }
            name = segments.last ?? host
            base = absolute
            identity = absolute
        }
        guard let organizationURL = URL(string: base) else {
            throw .invalidOrganization("invalid organization URL '\(text)'")
        }
        self.organizationURL = organizationURL
        if let override {
            var overrideText = override.trimmingCharacters(in: .whitespaces)
            while overrideText.hasSuffix("/") { overrideText.removeLast() }
            guard let identityURL = URL(string: overrideText), let origin = Origin(identityURL) else {
                throw .invalidOrganization("invalid identity URL '\(override)'")
            }
            if origin.scheme == "http", !origin.isLoopback { throw .transport(.insecureURL(host: origin.host)) }
            self.identityURL = identityURL
        } else {
            guard let identityURL = URL(string: identity) else {
                throw .invalidOrganization("invalid organization URL '\(text)'")
            }
            self.identityURL = identityURL
        }
    }

    public var description: String { organizationURL.absoluteString }

    /// Percent-encodes one path segment (everything but RFC 3986 unreserved characters).
    static func encodeSegment(_ segment: String) -> String {
        encodeQuery(segment)
    }

    /// Percent-encodes a query name or value; tokens (`$ : /`) and descriptors (`; \`) must travel encoded.
    /// RFC 3986 unreserved characters kept, every other UTF-8 byte as `%XX` (upper-case hex) — what
    /// `addingPercentEncoding(withAllowedCharacters: unreserved)` gives, without bridging each query value through
    /// NSString (thousands per plan).
    static func encodeQuery(_ value: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(value.utf8.count)
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                out.append(byte)
            default:
                out += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
