/// Service connections shared into a project (readable by anyone who can read the project; the role-based
/// endpoint security of ADO is not modelled).
enum ServiceEndpointRoutes {
    static func register(_ table: inout RouteTable) {
        table.add("GET", "/{org}/{project}/_apis/serviceendpoint/endpoints", version: "7.1-preview.4") {
            request,
            context in
            let caller = try context.requireCaller()
            let query = request.query
            let values = try await context.store.read { model, _ -> [JSON] in
                let project = try Access.project(context.parameter("project"), caller: caller, model: model)
                return model.endpoints.filter { endpoint in
                    guard endpoint.projectIds.contains(project.id) else { return false }
                    if let type = query["type"], endpoint.raw["type"]?.stringValue?.lowercased() != type.lowercased() {
                        return false
                    }
                    if let schemes = query.list("authSchemes")?.map({ $0.lowercased() }),
                        !schemes.contains(endpoint.raw["authorization"]?["scheme"]?.stringValue?.lowercased() ?? "")
                    {
                        return false
                    }
                    if let ids = query.list("endpointIds")?.compactMap(GUID.normalized), !ids.contains(endpoint.id) {
                        return false
                    }
                    if let names = query.list("endpointNames")?.map({ $0.lowercased() }) {
                        let own = [endpoint.name.lowercased()] + projectNames(endpoint, projectId: project.id)
                        if names.allSatisfy({ !own.contains($0) }) { return false }
                    }
                    if let owner = query["owner"],
                        endpoint.raw["owner"]?.stringValue?.lowercased() != owner.lowercased()
                    {
                        return false
                    }
                    return true
                }.map { .object($0.raw) }
            }
            return context.collection(values)
        }
        table.add("GET", "/{org}/{project}/_apis/serviceendpoint/endpoints/{endpointId}", version: "7.1-preview.4") {
            _,
            context in
            let caller = try context.requireCaller()
            let id = context.parameter("endpointId") ?? ""
            let endpoint = try await context.store.read { model, _ -> JSON? in
                let project = try Access.project(context.parameter("project"), caller: caller, model: model)
                let wanted = GUID.normalized(id)
                return model.endpoints.first { $0.id == wanted && $0.projectIds.contains(project.id) }.map {
                    .object($0.raw)
                }
            }
            guard let endpoint else {
                throw ADOError.notFound(
                    "Service connection \(id) not found.",
                    typeKey: "ServiceEndpointNotFoundException"
                )
            }
            return context.json(endpoint)
        }
    }

    private static func projectNames(_ endpoint: EndpointRecord, projectId: String) -> [String] {
        (endpoint.raw["serviceEndpointProjectReferences"]?.arrayValue ?? []).compactMap { reference in
            reference["projectReference"]?["id"]?.stringValue?.lowercased() == projectId
                ? reference["name"]?.stringValue?.lowercased() : nil
        }
    }
}
