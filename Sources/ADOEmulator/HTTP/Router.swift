import Foundation

/// Who may call a route and whether it is an ADO route (logged, authenticated, ADO headers) or an
/// emulator-only control route.
enum RouteAccess: Sendable {
    /// ADO route: credential required.
    case authenticated
    /// ADO route served to anonymous callers too (location/discovery routes the SDK calls first).
    case anonymous
    /// `_emulator` control route: no credential, not in the request log.
    case control
}

typealias RouteHandler = @Sendable (EmulatorRequest, RouteContext) async throws -> EmulatorResponse

/// One route: method + template (`/{org}/{project}/_apis/git/repositories/{repositoryId}`). Literal segments
/// match without case (ADO's do); `{*name}` takes the rest of the path.
struct Route: Sendable {
    enum Segment: Sendable {
        case literal(String)
        case parameter(String)
        case rest(String)
    }

    var method: String
    var template: String
    var segments: [Segment]
    var access: RouteAccess
    var defaultVersion: String
    var handler: RouteHandler

    init(_ method: String, _ template: String, access: RouteAccess, version: String, handler: @escaping RouteHandler) {
        self.method = method
        self.template = template
        self.access = access
        self.defaultVersion = version
        self.handler = handler
        segments = template.split(separator: "/").map { piece in
            if piece.hasPrefix("{*") { return .rest(String(piece.dropFirst(2).dropLast())) }
            if piece.hasPrefix("{") { return .parameter(String(piece.dropFirst().dropLast())) }
            return .literal(piece.lowercased())
        }
    }

    /// Parameter values (names lower-cased) if the path matches.
    func match(_ path: [String]) -> [String: String]? {
        var parameters: [String: String] = [:]
        var index = 0
        for segment in segments {
            switch segment {
            case .literal(let text):
                guard index < path.count, path[index].lowercased() == text else { return nil }
                index += 1
            case .parameter(let name):
                guard index < path.count else { return nil }
                parameters[name.lowercased()] = path[index]
                index += 1
            case .rest(let name):
                guard index < path.count else { return nil }
                parameters[name.lowercased()] = path[index...].joined(separator: "/")
                index = path.count
            }
        }
        return index == path.count ? parameters : nil
    }
}

/// The route table. Matching is first-match in registration order.
struct RouteTable: Sendable {
    private(set) var routes: [Route] = []

    mutating func add(
        _ method: String,
        _ template: String,
        access: RouteAccess = .authenticated,
        version: String = "7.1",
        _ handler: @escaping RouteHandler
    ) {
        routes.append(Route(method, template, access: access, version: version, handler: handler))
    }

    /// Registers the template with and without a `{project}` segment after `{org}` (`[project]` marker).
    mutating func addProjectOptional(
        _ method: String,
        _ template: String,
        access: RouteAccess = .authenticated,
        version: String = "7.1",
        _ handler: @escaping RouteHandler
    ) {
        add(
            method,
            template.replacingOccurrences(of: "/[project]", with: ""),
            access: access,
            version: version,
            handler
        )
        add(
            method,
            template.replacingOccurrences(of: "/[project]", with: "/{project}"),
            access: access,
            version: version,
            handler
        )
    }

    enum Outcome {
        case matched(Route, [String: String])
        case wrongMethod
        case none
    }

    func resolve(method: String, path: [String]) -> Outcome {
        var pathMatched = false
        for route in routes {
            guard let parameters = route.match(path) else { continue }
            if route.method == method || (method == "HEAD" && route.method == "GET") {
                return .matched(route, parameters)
            }
            pathMatched = true
        }
        return pathMatched ? .wrongMethod : .none
    }
}
