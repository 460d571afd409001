import Foundation
import Plan

/// Build definitions, pipeline general settings and service endpoints (reference/ado-rest.md §7–8).
extension OrganizationClient {
    /// Definitions of a project, every page. With `includeAllProperties` (the default) each carries
    /// `jobAuthorizationScope`, which the shallow list omits.
    public func buildDefinitions(project: String, includeAllProperties: Bool = true, pageSize: Int? = nil)
        async throws(ADOError) -> [BuildDefinition]
    {
        let values = try await rawBuildDefinitions(
            project: project,
            includeAllProperties: includeAllProperties,
            pageSize: pageSize
        )
        return try Self.decode("GET {project}/_apis/build/definitions") { () throws(WireError) in
            try WireReader.elements(values, path: "value").map { r throws(WireError) in
                try ResourceDecoding.buildDefinition(r)
            }
        }
    }

    func rawBuildDefinitions(project: String, includeAllProperties: Bool, pageSize: Int? = nil) async throws(ADOError)
        -> [JSONValue]
    {
        var query: [(String, String)] = []
        if includeAllProperties { query.append(("includeAllProperties", "true")) }
        let call = Call(
            .get,
            path: [project, "_apis", "build", "definitions"],
            query: query,
            apiVersion: APIVersion.buildDefinitions,
            route: "{project}/_apis/build/definitions"
        )
        return try await list(call, pageSize: pageSize.map { ("$top", $0) })
    }

    public func buildDefinition(project: String, id: Int) async throws(ADOError) -> BuildDefinition {
        let json = try await buildDefinitionJSON(project: project, id: id)
        return try Self.decode("GET {project}/_apis/build/definitions/{definitionId}") { () throws(WireError) in
            try ResourceDecoding.buildDefinition(WireReader(json, path: "$"))
        }
    }

    /// The full definition as ADO sent it: the body to modify and send back with `updateBuildDefinition`.
    public func buildDefinitionJSON(project: String, id: Int) async throws(ADOError) -> JSONValue {
        try await json(
            Call(
                .get,
                path: [project, "_apis", "build", "definitions", String(id)],
                apiVersion: APIVersion.buildDefinitions,
                route: "{project}/_apis/build/definitions/{definitionId}"
            )
        )
    }

    /// `PUT …/definitions/{id}` with the full body. Its `revision` must equal the stored one, else ADO answers
    /// 409 (`ADOError.service` with status 409): re-read and re-apply. Returns the updated definition.
    public func updateBuildDefinition(
        project: String,
        id: Int,
        definition: JSONValue,
        readBack: ReadBack<JSONValue>? = nil
    ) async throws(ADOError) -> JSONValue {
        let call = Call(
            .put,
            path: [project, "_apis", "build", "definitions", String(id)],
            apiVersion: APIVersion.buildDefinitions,
            route: "{project}/_apis/build/definitions/{definitionId}",
            body: Call.jsonBody(definition)
        )
        return try await sendWrite(
            call,
            decode: { response throws(ADOError) in
                try Self.decodeJSON(response, route: call.label)
            },
            readBack: readBack
        )
    }

    /// Pipeline general settings of a project, or of the organization when `project` is nil (the undocumented
    /// project-less route, reference/ado-rest.md §7.3).
    public func generalSettings(project: String?) async throws(ADOError) -> PipelineSettings {
        let json = try await rawGeneralSettings(project: project)
        return try Self.decode("GET _apis/build/generalsettings") { () throws(WireError) in
            try ResourceDecoding.pipelineSettings(WireReader(json, path: "$"))
        }
    }

    func rawGeneralSettings(project: String?) async throws(ADOError) -> JSONValue {
        let path = (project.map { [$0] } ?? []) + ["_apis", "build", "generalsettings"]
        let route = project == nil ? "_apis/build/generalsettings" : "{project}/_apis/build/generalsettings"
        return try await json(Call(.get, path: path, apiVersion: APIVersion.buildGeneralSettings, route: route))
    }

    /// `PATCH generalsettings` with only the given keys; returns the settings as stored afterwards (a project
    /// cannot loosen an organization-enforced flag: the answer then still says true).
    public func updateGeneralSettings(
        project: String?,
        values: [String: Bool],
        readBack: ReadBack<PipelineSettings>? = nil
    ) async throws(ADOError) -> PipelineSettings {
        let path = (project.map { [$0] } ?? []) + ["_apis", "build", "generalsettings"]
        let route = project == nil ? "_apis/build/generalsettings" : "{project}/_apis/build/generalsettings"
        let call = Call(
            .patch,
            path: path,
            apiVersion: APIVersion.buildGeneralSettings,
            route: route,
            body: Call.jsonBody(.object(values.mapValues { .bool($0) }))
        )
        return try await sendWrite(
            call,
            decode: { response throws(ADOError) in
                let json = try Self.decodeJSON(response, route: call.label)
                return try Self.decode(call.label) { () throws(WireError) in
                    try ResourceDecoding.pipelineSettings(WireReader(json, path: "$"))
                }
            },
            readBack: readBack
        )
    }

    /// Service connections visible in a project.
    public func serviceEndpoints(project: String) async throws(ADOError) -> [ServiceEndpoint] {
        let values = try await rawServiceEndpoints(project: project)
        return try Self.decode("GET {project}/_apis/serviceendpoint/endpoints") { () throws(WireError) in
            try WireReader.elements(values, path: "value").map { r throws(WireError) in
                try ResourceDecoding.serviceEndpoint(r)
            }
        }
    }

    func rawServiceEndpoints(project: String) async throws(ADOError) -> [JSONValue] {
        try await list(
            Call(
                .get,
                path: [project, "_apis", "serviceendpoint", "endpoints"],
                apiVersion: APIVersion.serviceEndpoints,
                route: "{project}/_apis/serviceendpoint/endpoints"
            )
        )
    }
}
