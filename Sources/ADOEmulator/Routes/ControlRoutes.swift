import Foundation

/// Emulator-only routes (not ADO): state dump, request log, pipeline tokens, and the header echo / redirect pair
/// the client's cross-host redirect test uses. No credential needed; not logged.
enum ControlRoutes {
    static func register(_ table: inout RouteTable) {
        table.add("GET", "/{org}/_emulator/state", access: .control) { _, context in
            EmulatorResponse(
                status: 200,
                headers: [("Content-Type", "application/json; charset=utf-8")],
                body: await context.store.dump()
            )
        }
        table.add("GET", "/{org}/_emulator/requests", access: .control) { request, context in
            if request.query.bool("summary") == true {
                return controlJSON(await context.services.requestLog.summary())
            }
            let entries = await context.services.requestLog.all()
            return controlJSON(.array(entries.map(\.json)))
        }
        FaultControlRoutes.register(&table)
        table.add("DELETE", "/{org}/_emulator/requests", access: .control) { _, context in
            await context.services.requestLog.clear()
            return EmulatorResponse(status: 204)
        }
        table.add("POST", "/{org}/_emulator/pipelines/{definitionId}/token", access: .control) { _, context in
            guard let id = context.parameter("definitionId").flatMap({ Int($0) }) else {
                return controlError(400, "definitionId must be an integer")
            }
            do {
                let minted = try await PipelineRoutes.mint(definitionId: id, store: context.store)
                let body: JSON = [
                    "token": .string(minted.token), "identity": .string(minted.identity),
                    "displayName": .string(minted.displayName), "scope": .string(minted.scope),
                ]
                return EmulatorResponse(
                    status: 200,
                    headers: [("Content-Type", "application/json; charset=utf-8")],
                    body: JSONWriter.compact(body)
                )
            } catch let error as EmulatorError {
                if case .unknownDefinition = error { return controlError(404, error.description) }
                return controlError(409, error.description)
            }
        }
        table.add("GET", "/_emulator/echo", access: .control) { request, _ in
            var headers = JSONObject()
            for (name, value) in request.headers {
                let key = name.lowercased()
                if let existing = headers[key]?.stringValue {
                    headers[key] = .string(existing + ", " + value)
                } else {
                    headers[key] = .string(value)
                }
            }
            return EmulatorResponse(
                status: 200,
                headers: [("Content-Type", "application/json; charset=utf-8")],
                body: JSONWriter.compact(.object(headers))
            )
        }
        table.add("GET", "/_emulator/redirect", access: .control) { request, _ in
            guard let location = request.query["location"], !location.isEmpty else {
                return controlError(400, "location is required")
            }
            let status = request.query.int("status") ?? 302
            guard [301, 302, 303, 307, 308].contains(status) else {
                return controlError(400, "status must be a redirect status")
            }
            return EmulatorResponse(status: status, headers: [("Location", location)])
        }
    }

    static func controlJSON(_ value: JSON, status: Int = 200) -> EmulatorResponse {
        EmulatorResponse(
            status: status,
            headers: [("Content-Type", "application/json; charset=utf-8")],
            body: JSONWriter.compact(value)
        )
    }

    static func controlError(_ status: Int, _ message: String) -> EmulatorResponse {
        EmulatorResponse(
            status: status,
            headers: [("Content-Type", "application/json; charset=utf-8")],
            body: JSONWriter.compact(["message": .string(message)])
        )
    }
}
