import Foundation

/// Turns an `EmulatorRequest` into a response: resolve the route and the caller, then run the middleware chain
/// around the handler. Handler errors become ADO error bodies inside the chain, so the log and the common
/// headers see them like any other response.
struct Dispatcher: Sendable {
    let table: RouteTable
    let services: EmulatorServices
    /// Outermost first. `Emulator` builds the default chain; later latency/fault/rate-limit steps slot in
    /// between the common headers and authentication.
    let middlewares: [any RequestMiddleware]

    func respond(_ request: EmulatorRequest) async -> EmulatorResponse {
        let route: Route
        var parameters: [String: String] = [:]
        switch table.resolve(method: request.method, path: request.segments) {
        case .matched(let matched, let values)
        where values["org"].map({ $0.caseInsensitiveCompare(services.organizationName) == .orderedSame }) ?? true:
            route = matched
            parameters = values
        case .wrongMethod:
            let method = request.method
            route = Route(request.method, "!method", access: .anonymous, version: "7.1") { _, _ in
                throw ADOError.methodNotAllowed(method)
            }
        case .none, .matched:
            let path = request.rawPath
            let isControl = request.segments.contains { $0.lowercased() == "_emulator" }
            route = Route(request.method, "!none", access: isControl ? .control : .anonymous, version: "7.1") { _, _ in
                throw ADOError.noRoute(path)
            }
        }
        var context = RouteContext(
            route: route,
            parameters: parameters,
            caller: nil,
            apiVersion: Self.requestedVersion(request) ?? route.defaultVersion,
            baseURL: "http://\(request.host)",
            services: services
        )
        if route.access != .control {
            context.caller = await AuthenticationMiddleware.resolve(request, store: services.store)
        }
        let handler = route.handler
        let innermost: @Sendable (EmulatorRequest, RouteContext) async throws -> EmulatorResponse = {
            request,
            context in
            do {
                if let requested = Self.requestedVersion(request) { try Self.validate(version: requested) }
                var response = try await handler(request, context)
                if request.method == "HEAD" { response.body = [] }
                return response
            } catch let error as ADOError {
                return context.error(error)
            }
        }
        let chain = middlewares.reversed().reduce(innermost) { next, middleware in
            { request, context in try await middleware.handle(request, context: context, next: next) }
        }
        do {
            return try await chain(request, context)
        } catch let error as ADOError {
            return context.error(error)
        } catch {
            return context.error(
                ADOError(
                    status: 500,
                    message: "VS800000: Internal emulator error: \(error)",
                    typeName: "System.InvalidOperationException, mscorlib",
                    typeKey: "InvalidOperationException"
                )
            )
        }
    }

    /// api-version from the query (wins) or the `Accept` header's media-type parameter.
    static func requestedVersion(_ request: EmulatorRequest) -> String? {
        if let query = request.query["api-version"], !query.isEmpty { return query }
        guard let accept = request.header("Accept") else { return nil }
        for parameter in accept.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if pair.count == 2, pair[0].lowercased() == "api-version" { return pair[1] }
        }
        return nil
    }

    /// Accepts `X.Y`, `X.Y-preview`, `X.Y-preview.N` up to 7.2 (and older versions, as the service does).
    static func validate(version: String) throws(ADOError) {
        var text = Substring(version)
        if let dash = text.firstIndex(of: "-") {
            let suffix = text[text.index(after: dash)...].lowercased()
            let isPreview =
                suffix == "preview"
                || (suffix.hasPrefix("preview.") && Int(suffix.dropFirst("preview.".count)) != nil)
            guard isPreview else { throw ADOError.invalidVersion(version) }
            text = text[..<dash]
        }
        let numbers = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(numbers.count), let major = Int(numbers[0]) else {
            throw ADOError.invalidVersion(version)
        }
        let minor = numbers.count == 2 ? Int(numbers[1]) : 0
        guard let minor else { throw ADOError.invalidVersion(version) }
        if major > 7 || (major == 7 && minor > 2) { throw ADOError.versionOutOfRange(String(text)) }
    }
}
