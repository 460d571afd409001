import Foundation
import Hummingbird
import NIOCore

/// Hands every Hummingbird request to the `Dispatcher` (the emulator does its own case-insensitive routing,
/// so ADO's path rules and error bodies apply to every path, matched or not).
struct EmulatorResponder: HTTPResponder {
    typealias Context = EmulatorRequestContext

    let dispatcher: Dispatcher

    func respond(to request: Request, context: EmulatorRequestContext) async throws -> Response {
        var request = request
        let buffer = try await request.collectBody(upTo: 256 << 20)
        var headers: [(name: String, value: String)] = []
        for field in request.headers { headers.append((field.name.rawName, field.value)) }
        // HTTPTypes moves `Host` into the authority pseudo-header.
        if let authority = request.head.authority, !headers.contains(where: { $0.name.lowercased() == "host" }) {
            headers.append(("Host", authority))
        }
        let target = request.uri.query.map { "\(request.uri.path)?\($0)" } ?? request.uri.path
        let emulatorRequest = EmulatorRequest(
            method: request.method.rawValue,
            target: target,
            headers: headers,
            body: Array(buffer.readableBytesView)
        )
        let response = await dispatcher.respond(emulatorRequest)
        if let drop = response.drop {
            await Self.drop(context.channel, drop)
            // The channel is closed: Hummingbird's write of this placeholder fails and nothing reaches the client.
            return Response(status: .internalServerError)
        }
        var fields = HTTPFields()
        for (name, value) in response.headers {
            guard let fieldName = HTTPFields.Element.Name(name) else { continue }
            fields.append(HTTPFields.Element(name: fieldName, value: value))
        }
        let status = HTTPResponse.Status(code: response.status, reasonPhrase: Self.reason(response.status))
        return Response(
            status: status,
            headers: fields,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: response.body))
        )
    }

    /// Ends the connection without a response: a reset sets SO_LINGER to 0 first, so close sends RST.
    static func drop(_ channel: any Channel, _ mode: ConnectionDrop) async {
        if mode == .reset, let sockets = channel as? any SocketOptionProvider {
            try? await sockets.setSoLinger(linger(l_onoff: 1, l_linger: 0)).get()
        }
        try? await channel.close().get()
    }

    static func reason(_ code: Int) -> String {
        switch code {
        case 200: "OK"
        case 201: "Created"
        case 202: "Accepted"
        case 203: "Non-Authoritative Information"
        case 204: "No Content"
        case 301: "Moved Permanently"
        case 302: "Found"
        case 303: "See Other"
        case 307: "Temporary Redirect"
        case 308: "Permanent Redirect"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 409: "Conflict"
        case 412: "Precondition Failed"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        default: ""
        }
    }
}

/// Hummingbird's basic context plus the connection, so a fault can drop it.
struct EmulatorRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}
