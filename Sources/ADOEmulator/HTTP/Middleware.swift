import Foundation

/// A step around request handling. The chain is: request log → common ADO headers → latency → faults → rate
/// limit → authentication → the route handler (the optional steps only when configured).
protocol RequestMiddleware: Sendable {
    func handle(
        _ request: EmulatorRequest,
        context: RouteContext,
        next: @Sendable (EmulatorRequest, RouteContext) async throws -> EmulatorResponse
    ) async throws -> EmulatorResponse
}

/// Records every ADO-route request (control routes are not logged).
struct RequestLogMiddleware: RequestMiddleware {
    func handle(
        _ request: EmulatorRequest,
        context: RouteContext,
        next: @Sendable (EmulatorRequest, RouteContext) async throws -> EmulatorResponse
    ) async throws -> EmulatorResponse {
        let started = ContinuousClock.now
        let response = try await next(request, context)
        guard context.route.access != .control else { return response }
        let elapsed = ContinuousClock.now - started
        await context.services.requestLog.append(
            RequestLogEntry(
                seq: 0,
                method: request.method,
                path: request.rawPath,
                query: request.rawQuery,
                route: context.route.template.hasPrefix("!") ? nil : context.route.template,
                status: response.status,
                caller: context.caller?.descriptor,
                isWrite: request.isWrite,
                requestBytes: request.body.count,
                bytes: response.drop == nil ? response.body.count : 0,
                fault: response.fault,
                dropped: response.drop != nil,
                delayMs: Int((response.delay * 1000).rounded()),
                tstu: response.tstu,
                throttle: response.throttle,
                durationMs: Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
            )
        )
        return response
    }
}

/// The headers ADO puts on every response (reference/ado-rest.md §1.5).
struct CommonHeadersMiddleware: RequestMiddleware {
    func handle(
        _ request: EmulatorRequest,
        context: RouteContext,
        next: @Sendable (EmulatorRequest, RouteContext) async throws -> EmulatorResponse
    ) async throws -> EmulatorResponse {
        var response = try await next(request, context)
        guard context.route.access != .control else { return response }
        let activity = UUID().uuidString.lowercased()
        let session = request.header("X-TFS-Session") ?? UUID().uuidString.lowercased()
        var headers: [(name: String, value: String)] = [
            ("Cache-Control", "no-cache"), ("Pragma", "no-cache"), ("Expires", "-1"),
            (
                "P3P",
                "CP=\"CAO DSP COR ADMa DEV CONo TELo CUR PSA PSD TAI IVDo OUR SAMi BUS DEM NAV STA UNI COM INT PHY ONL FIN PUR LOC CNT\""
            ),
            ("Strict-Transport-Security", "max-age=31536000; includeSubDomains"),
            ("X-Content-Type-Options", "nosniff"), ("X-Frame-Options", "SAMEORIGIN"),
            ("ActivityId", activity), ("X-VSS-E2EID", activity), ("X-TFS-Session", session),
            ("X-TFS-ProcessId", context.services.processId),
            ("X-VSS-SenderDeploymentId", context.services.deploymentId),
            ("Request-Context", "appId=cid-v1:\(context.services.deploymentId)"),
            ("Access-Control-Expose-Headers", "Request-Context"),
            ("X-Cache", "CONFIG_NOCACHE"),
            (
                "X-MSEdge-Ref",
                "Ref A: \(activity.replacingOccurrences(of: "-", with: "").uppercased()) Ref B: EMU Ref C: emulator"
            ),
        ]
        if let caller = context.caller {
            headers.append(
                (
                    "X-VSS-UserData",
                    "\(caller.record.id):\(caller.record.properties["Account"] ?? caller.record.displayName)"
                )
            )
        }
        for header in headers where response.header(header.name) == nil { response.headers.append(header) }
        return response
    }
}

/// Requires a caller on authenticated routes (`Authorization`: Basic with any user and the token as password,
/// or Bearer). A missing
/// or unknown credential gets ADO's 401 (TF400813 JSON, `WWW-Authenticate` Bearer + Basic challenges,
/// `X-VSS-ResourceTenant`) when the client sends `X-TFS-FedAuthRedirect: Suppress`, otherwise ADO's 203 with
/// an HTML sign-in page. Anonymous routes still get a caller when the credential is good.
struct AuthenticationMiddleware: RequestMiddleware {
    func handle(
        _ request: EmulatorRequest,
        context: RouteContext,
        next: @Sendable (EmulatorRequest, RouteContext) async throws -> EmulatorResponse
    ) async throws -> EmulatorResponse {
        guard context.route.access == .authenticated, context.caller == nil else {
            return try await next(request, context)
        }
        return challenge(request, context: context)
    }

    /// The caller a request's `Authorization` header authenticates, if any (resolved before the chain runs, so
    /// every middleware sees it).
    static func resolve(_ request: EmulatorRequest, store: Store) async -> Caller? {
        guard let header = request.header("Authorization") else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2 else { return nil }
        let scheme = parts[0].lowercased()
        let value = parts[1].trimmingCharacters(in: .whitespaces)
        switch scheme {
        case "basic":
            guard let data = Data(base64Encoded: value), let decoded = String(data: data, encoding: .utf8),
                let colon = decoded.firstIndex(of: ":")
            else { return nil }
            let secret = String(decoded[decoded.index(after: colon)...])
            return await store.caller(token: secret, scheme: .basic)
        case "bearer":
            return await store.caller(token: value, scheme: .bearer)
        default:
            return nil
        }
    }

    func challenge(_ request: EmulatorRequest, context: RouteContext) -> EmulatorResponse {
        let suppress = request.header("X-TFS-FedAuthRedirect")?.caseInsensitiveCompare("Suppress") == .orderedSame
        guard suppress else {
            return EmulatorResponse(
                status: 203,
                headers: [("Content-Type", "text/html; charset=utf-8")],
                body: Array(SignInPage.html(organization: context.organizationName).utf8)
            )
        }
        var response = context.error(.unauthorized)
        response.headers.append(
            (
                "WWW-Authenticate",
                "Bearer authorization_uri=https://login.microsoftonline.com/\(context.services.tenantId)"
            )
        )
        response.headers.append(("WWW-Authenticate", "Basic realm=\"\(context.baseURL)/\""))
        response.headers.append(("WWW-Authenticate", "TFS-Federated"))
        response.headers.append(("X-VSS-ResourceTenant", context.services.tenantId))
        response.headers.append(("X-TFS-FedAuthRealm", "\(context.baseURL)/"))
        response.headers.append(("X-TFS-FedAuthIssuer", "\(context.baseURL)/"))
        response.headers.append(("X-VSS-AuthorizationEndpoint", "\(context.baseURL)/"))
        return response
    }
}

/// The sign-in page ADO serves (HTTP 203) to unauthenticated requests that did not ask for a 401.
enum SignInPage {
    static func html(organization: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en-US">
        <head><meta charset="utf-8"><title>Azure DevOps Services | Sign In</title></head>
        <body>
        <div id="signin">Sign in to continue to Azure DevOps (\(organization)).</div>
        <script type="text/javascript">window.location.href = "https://app.vssps.visualstudio.com/_signin?realm=dev.azure.com&reply_to=https%3A%2F%2Fdev.azure.com%2F\(organization)";</script>
        </body>
        </html>
        """
    }
}
