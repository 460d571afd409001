/// Discovery routes Microsoft's SDKs call before anything else: `OPTIONS {org}/_apis` (resource locations: where
/// each REST resource lives and which versions it speaks) and `_apis/resourceAreas` (which host serves an area;
/// here every area is this emulator, so the identity/graph "vssps" host is the organization URL too).
enum LocationRoutes {
    struct Location {
        var id: String
        var area: String
        var resource: String
        var template: String
        var resourceVersion: Int
    }

    /// The resources this emulator serves, with the route templates of its own routes (SDK clients format URLs
    /// from these).
    static let locations: [Location] = [
        Location(
            id: "ce7b9f95-fde9-4be8-a86d-83b366f0b87a",
            area: "Security",
            resource: "SecurityNamespaces",
            template: "_apis/{resource}/{securityNamespaceId}",
            resourceVersion: 1
        ),
        Location(
            id: "18a2ad18-7571-46ae-bec7-0c7da1495885",
            area: "Security",
            resource: "AccessControlLists",
            template: "_apis/{resource}/{securityNamespaceId}",
            resourceVersion: 1
        ),
        Location(
            id: "ac08c8ff-4323-4b08-af90-bcd018d380ce",
            area: "Security",
            resource: "AccessControlEntries",
            template: "_apis/{resource}/{securityNamespaceId}",
            resourceVersion: 1
        ),
        Location(
            id: "dd3b8bd6-c7fc-4cbd-929a-933d9c011c9d",
            area: "Security",
            resource: "Permissions",
            template: "_apis/{resource}/{securityNamespaceId}/{permissions}",
            resourceVersion: 2
        ),
        Location(
            id: "cf1faa59-1b63-4448-bf04-13d981a46f5d",
            area: "Security",
            resource: "PermissionEvaluationBatch",
            template: "_apis/{area}/{resource}",
            resourceVersion: 1
        ),
        Location(
            id: "28010c54-d0c0-4c89-a5b0-1c9e188b9fb7",
            area: "IMS",
            resource: "Identities",
            template: "_apis/{resource}/{identityId}",
            resourceVersion: 1
        ),
        Location(
            id: "005e26ec-6b77-4e4f-a986-b3827bf241f5",
            area: "Graph",
            resource: "Users",
            template: "_apis/{area}/{resource}/{userDescriptor}",
            resourceVersion: 1
        ),
        Location(
            id: "ebbe6af8-0b91-4c13-8cf1-777c14858188",
            area: "Graph",
            resource: "Groups",
            template: "_apis/{area}/{resource}/{groupDescriptor}",
            resourceVersion: 1
        ),
        Location(
            id: "e1dbb0ae-49cb-4532-95a1-86cd89cfcab4",
            area: "Graph",
            resource: "ServicePrincipals",
            template: "_apis/{area}/{resource}/{servicePrincipalDescriptor}",
            resourceVersion: 1
        ),
        Location(
            id: "e34b6394-6b30-4435-94a9-409a5eef3e31",
            area: "Graph",
            resource: "Memberships",
            template: "_apis/{area}/{resource}/{subjectDescriptor}",
            resourceVersion: 1
        ),
        Location(
            id: "3fd2e6ca-fb30-443a-b579-95b19ed0934c",
            area: "Graph",
            resource: "Memberships",
            template: "_apis/{area}/{resource}/{subjectDescriptor}/{containerDescriptor}",
            resourceVersion: 1
        ),
        Location(
            id: "048aee0a-7072-4cde-ab73-7af77b1e0b4e",
            area: "Graph",
            resource: "Descriptors",
            template: "_apis/{area}/{resource}/{storageKey}",
            resourceVersion: 1
        ),
        Location(
            id: "eb85f8cc-f0f6-4264-a5b1-ffe2e4d4801f",
            area: "Graph",
            resource: "StorageKeys",
            template: "_apis/{area}/{resource}/{subjectDescriptor}",
            resourceVersion: 1
        ),
        Location(
            id: "4dd4d168-11f2-48c4-83e8-756fa0de027c",
            area: "Graph",
            resource: "SubjectLookup",
            template: "_apis/{area}/{resource}",
            resourceVersion: 1
        ),
        Location(
            id: "603fe2ac-9723-48b9-88ad-09305aa6c6e1",
            area: "core",
            resource: "projects",
            template: "_apis/{resource}/{*projectId}",
            resourceVersion: 4
        ),
        Location(
            id: "225f7195-f9c7-4d14-ab28-a83f7ff77e1f",
            area: "git",
            resource: "repositories",
            template: "{project}/_apis/{area}/{resource}/{repositoryId}",
            resourceVersion: 1
        ),
        Location(
            id: "fb93c0db-47ed-4a31-8c20-47552878fb44",
            area: "git",
            resource: "items",
            template: "{project}/_apis/{area}/repositories/{repositoryId}/{resource}",
            resourceVersion: 1
        ),
        Location(
            id: "ab6e2e5d-a0b7-4153-b64a-a4efe0d49449",
            area: "git",
            resource: "threads",
            template:
                "{project}/_apis/{area}/repositories/{repositoryId}/pullRequests/{pullRequestId}/{resource}/{threadId}",
            resourceVersion: 1
        ),
        Location(
            id: "2d874a60-a811-4f62-9c9f-963a6ea0a55b",
            area: "git",
            resource: "refs",
            template: "{project}/_apis/{area}/repositories/{repositoryId}/{resource}",
            resourceVersion: 1
        ),
        Location(
            id: "ea98d07b-3c87-4971-8ede-a613694ffb55",
            area: "git",
            resource: "pushes",
            template: "{project}/_apis/{area}/repositories/{repositoryId}/{resource}/{pushId}",
            resourceVersion: 2
        ),
        Location(
            id: "5e8a8081-3851-4626-b677-9891cc04102e",
            area: "git",
            resource: "annotatedTags",
            template: "{project}/_apis/{area}/repositories/{repositoryId}/{resource}/{objectId}",
            resourceVersion: 1
        ),
        Location(
            id: "dbeaf647-6167-421a-bda9-c9327b25e2e6",
            area: "build",
            resource: "Definitions",
            template: "{project}/_apis/{area}/{resource}/{definitionId}",
            resourceVersion: 7
        ),
        Location(
            id: "c4aefd19-30ff-405b-80ad-aca021e7242a",
            area: "build",
            resource: "generalsettings",
            template: "{project}/_apis/{area}/{resource}",
            resourceVersion: 1
        ),
        Location(
            id: "0cd358e1-9217-4d94-8269-1c1ee6f93dcf",
            area: "build",
            resource: "Builds",
            template: "{project}/_apis/{area}/{resource}/{buildId}",
            resourceVersion: 7
        ),
        Location(
            id: "e85f1c62-adfc-4b74-b618-11a150fb195e",
            area: "serviceendpoint",
            resource: "endpoints",
            template: "{project}/_apis/{area}/{resource}/{endpointId}",
            resourceVersion: 4
        ),
        Location(
            id: "288d122c-dbd4-451d-aa5f-7dbbba070728",
            area: "wiki",
            resource: "wikis",
            template: "{project}/_apis/{area}/{resource}/{wikiIdentifier}",
            resourceVersion: 2
        ),
        Location(
            id: "25d3fbc7-fe3d-46cb-b5a5-0b6f79caf27b",
            area: "wiki",
            resource: "pages",
            template: "{project}/_apis/{area}/wikis/{wikiIdentifier}/{resource}",
            resourceVersion: 1
        ),
        Location(
            id: "a70579d1-f53a-48ee-a5be-7be8659023b9",
            area: "wit",
            resource: "classificationNodes",
            template: "{project}/_apis/{area}/{resource}",
            resourceVersion: 2
        ),
        Location(
            id: "5a172953-1b41-49d3-840a-33f79c3ce89f",
            area: "wit",
            resource: "classificationNodes",
            template: "{project}/_apis/{area}/{resource}/{structureGroup}/{*path}",
            resourceVersion: 2
        ),
        Location(
            id: "62d3d110-0047-428c-ad3c-4fe872c91c74",
            area: "wit",
            resource: "workItems",
            template: "{project}/_apis/{area}/{resource}/${type}",
            resourceVersion: 3
        ),
        Location(
            id: "72c7ddf8-2cdc-4f60-90cd-ab71c14a399b",
            area: "wit",
            resource: "workItems",
            template: "{project}/_apis/{area}/{resource}/{id}",
            resourceVersion: 3
        ),
        Location(
            id: "608aac0a-32e1-4493-a863-b9cf4566d257",
            area: "wit",
            resource: "comments",
            template: "{project}/_apis/{area}/workItems/{workItemId}/{resource}/{commentId}",
            resourceVersion: 4
        ),
        Location(
            id: "e81700f7-3be2-46de-8624-2eb35882fcaa",
            area: "Location",
            resource: "ResourceAreas",
            template: "_apis/{resource}/{areaId}",
            resourceVersion: 1
        ),
        Location(
            id: "00d9565f-ed9c-4a06-9a50-00e7896ccab4",
            area: "Location",
            resource: "ConnectionData",
            template: "_apis/{resource}",
            resourceVersion: 1
        ),
    ]

    /// Resource areas (id → name) answered by `_apis/resourceAreas`.
    static let areas: [(id: String, name: String)] = [
        ("79134c72-4a58-4b42-976c-04e7115f32bf", "core"),
        ("965220d5-5bb9-42cf-8d67-9b146df2a5a4", "build"),
        ("4e080c62-fa21-4fbc-8fef-2a10a2b38049", "git"),
        ("bb1e7ec9-e901-4b68-999a-de7012b920f8", "graph"),
        ("8a3d49b8-91f0-46ef-b33d-dda338c25db3", "IMS"),
        ("1814ab31-2f4f-4a9f-8761-f4d77dc5a5d7", "serviceendpoint"),
        ("bf7d82a0-8aa5-4613-94ef-6172a5ea01f3", "wiki"),
        ("5264459e-e5e0-4bd8-b118-0985e68a4ec5", "wit"),
    ]

    static func register(_ table: inout RouteTable) {
        table.add("OPTIONS", "/{org}/_apis", access: .anonymous) { _, context in
            let values: [JSON] = locations.map { location in
                [
                    "id": .string(location.id), "area": .string(location.area),
                    "resourceName": .string(location.resource), "routeTemplate": .string(location.template),
                    "resourceVersion": .int(location.resourceVersion), "minVersion": .double(1.0),
                    "maxVersion": .double(7.2), "releasedVersion": "7.1",
                ]
            }
            return context.collection(values)
        }
        table.add("GET", "/{org}/_apis/resourceAreas", access: .anonymous, version: "7.1-preview.1") { _, context in
            context.collection(areas.map { area(id: $0.id, name: $0.name, context: context) })
        }
        table.add("GET", "/{org}/_apis/resourceAreas/{areaId}", access: .anonymous, version: "7.1-preview.1") {
            _,
            context in
            let wanted = context.parameter("areaId")?.lowercased() ?? ""
            guard let match = areas.first(where: { $0.id == wanted }) else {
                throw ADOError.notFound(
                    "The resource area \(wanted) was not found.",
                    typeKey: "ResourceAreaNotFoundException"
                )
            }
            return context.json(area(id: match.id, name: match.name, context: context))
        }
        table.add("GET", "/{org}/_apis/connectionData", access: .anonymous, version: "7.1-preview.1") { _, context in
            let user: JSON
            if let caller = context.caller {
                user = [
                    "id": .string(caller.record.id), "descriptor": .string(caller.descriptor),
                    "subjectDescriptor": .orNull(caller.record.subjectDescriptor),
                    "providerDisplayName": .string(caller.record.providerDisplayName),
                    "customDisplayName": .orNull(caller.record.customDisplayName), "isActive": true,
                    "properties": .object(caller.record.raw["properties"]?.objectValue ?? JSONObject()),
                    "resourceVersion": 2, "metaTypeId": 0,
                ]
            } else {
                user = [
                    "id": "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa",
                    "descriptor": "Microsoft.TeamFoundation.UnauthenticatedIdentity;S-1-0-0",
                    "providerDisplayName": "Anonymous", "isActive": true, "properties": [:], "resourceVersion": 1,
                    "metaTypeId": 255,
                ]
            }
            return context.json([
                "authenticatedUser": user, "authorizedUser": user, "instanceId": .string(context.services.collectionId),
                "deploymentId": .string(context.services.deploymentId), "deploymentType": "hosted",
                "locationServiceData": [
                    "serviceOwner": "00025394-6065-48ca-87d9-7f5672854ef7",
                    "defaultAccessMappingMoniker": "PublicAccessMapping",
                    "lastChangeId": 1, "lastChangeId64": 1,
                ],
            ])
        }
    }

    private static func area(id: String, name: String, context: RouteContext) -> JSON {
        ["id": .string(id), "name": .string(name), "locationUrl": .string(context.organizationURL + "/")]
    }
}
