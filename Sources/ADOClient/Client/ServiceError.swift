import Foundation
import Plan

/// A non-success answer from ADO, with what its `WrappedException` body said.
public struct ServiceError: Error, Sendable, Equatable, CustomStringConvertible {
    public var status: Int
    /// `TF401027`, `VS800075`, … parsed from the start of the message (`^(TF|VS)\d+`), when present.
    public var code: String?
    public var message: String
    /// `typeKey` of the exception (`ProjectDoesNotExistWithNameException`, …).
    public var typeKey: String?
    /// `METHOD route-template` of the failed call, for messages.
    public var route: String
    /// Seconds ADO asked us to wait (`Retry-After`), when it did.
    public var retryAfter: Duration?

    public init(
        status: Int,
        code: String? = nil,
        message: String,
        typeKey: String? = nil,
        route: String,
        retryAfter: Duration? = nil
    ) {
        self.status = status
        self.code = code
        self.message = message
        self.typeKey = typeKey
        self.route = route
        self.retryAfter = retryAfter
    }

    /// The error a non-success response carries: its `WrappedException` message, type and TF/VS code, else a short
    /// excerpt of a plain-text body, else `HTTP <status>`.
    public init(response: HTTPResponse, route: String, retryAfter: Duration? = nil) {
        let parsed = ServiceErrorBody.parse(response.body)
        self.init(
            status: response.status,
            code: parsed?.code,
            message: parsed?.message ?? ServiceErrorBody.message(in: response) ?? "HTTP \(response.status)",
            typeKey: parsed?.typeKey,
            route: route,
            retryAfter: retryAfter
        )
    }

    public var description: String { "\(route): HTTP \(status): \(message)" }
}

/// Everything the typed client can fail with. Messages never contain a credential.
public enum ADOError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 401, or 203 with a sign-in page: the credential is missing, wrong, expired or lacks the scope.
    case unauthorized(status: Int, message: String)
    /// ADO answered with an error status.
    case service(ServiceError)
    /// No usable response (refused URL, timeout, connection failure, redirect to another host, …).
    case transport(TransportError)
    /// The response was not the JSON shape the endpoint returns.
    case decoding(route: String, detail: String)
    /// The organization URL cannot be used.
    case invalidOrganization(String)
    case cancelled

    public var description: String {
        switch self {
        case .unauthorized(let status, let message): "authentication failed (HTTP \(status)): \(message)"
        case .service(let error): error.description
        case .transport(let error): error.description
        case .decoding(let route, let detail): "\(route): unexpected response: \(detail)"
        case .invalidOrganization(let message): message
        case .cancelled: "cancelled"
        }
    }

    /// HTTP status of a service error.
    public var status: Int? {
        switch self {
        case .service(let error): error.status
        case .unauthorized(let status, _): status
        default: nil
        }
    }

    /// The TF/VS code of a service error.
    public var code: String? {
        if case .service(let error) = self { return error.code }
        return nil
    }

    init(_ error: TransportError) {
        switch error {
        case .unauthorized(let status, let message): self = .unauthorized(status: status, message: message)
        case .cancelled: self = .cancelled
        default: self = .transport(error)
        }
    }
}

/// Reads ADO's error body: `{"$id":"1","innerException":null,"message":"TF…","typeName":"…","typeKey":"…",
/// "errorCode":0,"eventId":3000}`, possibly preceded by a UTF-8 BOM.
enum ServiceErrorBody {
    struct Parsed: Equatable {
        var message: String
        var typeKey: String?
        var code: String?
    }

    static func parse(_ body: Data) -> Parsed? {
        guard let json = try? JSONParser.parse(body) else { return nil }
        // Some older endpoints wrap the exception: {"value": {"Message": …}}.
        for candidate in [json, json["value"] ?? .null] {
            guard let text = candidate["message"]?.stringValue ?? candidate["Message"]?.stringValue else { continue }
            let message = oneLine(text)
            if message.isEmpty { continue }
            return Parsed(message: message, typeKey: candidate["typeKey"]?.stringValue, code: errorCode(in: message))
        }
        return nil
    }

    /// The message of an error response, or a short excerpt of a plain-text body.
    static func message(in response: HTTPResponse) -> String? {
        if let parsed = parse(response.body) { return parsed.message }
        let contentType = (response.headers["Content-Type"] ?? "").lowercased()
        guard !contentType.contains("html") else { return nil }
        // The first 4 KiB, allowing a character cut at the end.
        let head = response.body.prefix(4096)
        let cut = head.count < response.body.count ? 3 : 0
        guard let decoded = (0...cut).lazy.compactMap({ String(validating: head.dropLast($0), as: UTF8.self) }).first
        else {
            return "a body of \(response.body.count) bytes that is not text"
        }
        let text = oneLine(decoded)
        if text.isEmpty { return nil }
        if text.hasPrefix("<") { return nil }  // markup without an HTML content type
        return text
    }

    /// `text` as one bounded line: control characters (newlines, tabs, NUL, escape sequences) become spaces, runs
    /// of spaces collapse, and more than 300 characters are cut with `…` — an error body is printed inside a
    /// one-line message, and a terminal must not interpret what a server sent.
    static func oneLine(_ text: String) -> String {
        var result = ""
        var lastWasSpace = true
        for scalar in text.unicodeScalars {
            let control = scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0x2028
                || scalar.value == 0x2029
            if control || scalar == " " {
                if !lastWasSpace { result.unicodeScalars.append(" ") }
                lastWasSpace = true
            } else {
                result.unicodeScalars.append(scalar)
                lastWasSpace = false
            }
        }
        while result.hasSuffix(" ") { result.removeLast() }
        return result.count > 300 ? String(result.prefix(300)) + "…" : result
    }

    /// `TF401027` from `TF401027: You need …`.
    static func errorCode(in message: String) -> String? {
        let scalars = Array(message.unicodeScalars)
        guard scalars.count > 2 else { return nil }
        let prefix = String(String.UnicodeScalarView(scalars[0..<2]))
        guard prefix == "TF" || prefix == "VS" else { return nil }
        var end = 2
        while end < scalars.count, ("0"..."9").contains(scalars[end]) { end += 1 }
        guard end > 2 else { return nil }
        return String(String.UnicodeScalarView(scalars[0..<end]))
    }
}
