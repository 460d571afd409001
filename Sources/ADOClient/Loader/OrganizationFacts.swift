import Foundation
import Plan

/// The snapshot's `organization` member, from what the service itself reports.
enum OrganizationFacts {
    /// - `url`: the base of the service's own project URLs (`https://dev.azure.com/contoso/_apis/projects/…`), so a
    ///   capture through a proxy or the emulator records the organization's canonical URL; else the endpoint's.
    /// - `collectionId`: the `ScopeId` of an organization-level group (`ScopeType` `ServiceHost`), else a group's
    ///   `SecuringHostId`, else `instanceId` of `_apis/connectionData`.
    /// - `hostId`: the prefix of any `ServiceIdentity;{hostId}:Build:{scope}` descriptor.
    /// - `tenantId`: the domain part of an Entra user or service principal descriptor (`{tenantId}\…`).
    static func derive(client: OrganizationClient, projects: [JSONValue], identities: [Identity]) async throws(ADOError)
        -> JSONValue
    {
        let url =
            projects.lazy.compactMap { $0["url"]?.stringValue }.compactMap(baseURL).first
            ?? client.endpoint.organizationURL.absoluteString
        let sorted = identities.sorted { $0.descriptor < $1.descriptor }
        var collectionId =
            sorted.first { $0.isContainer && $0.properties["ScopeType"] == "ServiceHost" }?.properties["ScopeId"]
            ?? sorted.lazy.compactMap { $0.isContainer ? $0.properties["SecuringHostId"] : nil }.first
        if collectionId == nil {
            collectionId = try await connectionDataInstanceId(client)
        }
        let hostId = sorted.lazy.compactMap { buildServiceHost($0.descriptor) }.first ?? ""
        let tenantId = sorted.lazy.compactMap { tenant(of: $0.descriptor) }.first ?? ""
        return .object([
            "name": .string(client.endpoint.name),
            "url": .string(url),
            "collectionId": .string((collectionId ?? "").lowercased()),
            "hostId": .string(hostId.lowercased()),
            "tenantId": .string(tenantId.lowercased()),
        ])
    }

    /// `https://dev.azure.com/contoso` from `https://dev.azure.com/contoso/_apis/projects/{id}`.
    static func baseURL(_ projectURL: String) -> String? {
        guard let range = projectURL.range(of: "/_apis/", options: .caseInsensitive) else { return nil }
        let base = String(projectURL[..<range.lowerBound])
        return base.isEmpty ? nil : base
    }

    /// `{hostId}` of `Microsoft.TeamFoundation.ServiceIdentity;{hostId}:Build:{scope}`.
    static func buildServiceHost(_ descriptor: IdentityDescriptor) -> String? {
        guard descriptor.identityType.lowercased() == "microsoft.teamfoundation.serviceidentity",
            let range = descriptor.identifier.range(of: ":Build:", options: .caseInsensitive)
        else { return nil }
        let host = String(descriptor.identifier[..<range.lowerBound])
        return host.isEmpty ? nil : host
    }

    static func tenant(of descriptor: IdentityDescriptor) -> String? {
        let type = descriptor.identityType.lowercased()
        guard
            type == "microsoft.identitymodel.claims.claimsidentity"
                || type == "microsoft.visualstudio.services.claims.aadserviceprincipal",
            let slash = descriptor.identifier.firstIndex(of: "\\")
        else { return nil }
        let tenant = String(descriptor.identifier[..<slash])
        // MSA users carry a fixed pseudo-domain; only a GUID is a tenant.
        return tenant.count == 36 && tenant.filter { $0 == "-" }.count == 4 ? tenant : nil
    }

    private static func connectionDataInstanceId(_ client: OrganizationClient) async throws(ADOError) -> String? {
        let call = Call(
            .get,
            path: ["_apis", "connectionData"],
            apiVersion: "7.1-preview.1",
            route: "_apis/connectionData"
        )
        let json = try await OrgStateLoader.optional { () async throws(ADOError) in try await client.json(call) }
        return json?["instanceId"]?.stringValue
    }
}
