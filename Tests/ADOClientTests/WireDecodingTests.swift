import Foundation
import Plan
import Testing

@testable import ADOClient

/// Decoders against JSON shaped like reference/ado-rest.md's recorded examples.
@Suite struct WireDecodingTests {
    func reader(_ text: String) throws -> WireReader { WireReader(try JSONParser.parse(text), path: "$") }

    @Test func aclWithExtendedInfoAndOmittedZeros() throws {
        let acl = try SecurityDecoding.acl(
            reader(
                #"""
                {"inheritPermissions": false,
                 "token": "$PROJECT:vstfs:///Classification/TeamProject/a6845a01",
                 "acesDictionary": {
                   "Microsoft.IdentityModel.Claims.ClaimsIdentity;72f988bf\\user@x.com": {
                     "descriptor": "Microsoft.IdentityModel.Claims.ClaimsIdentity;72f988bf\\user@x.com",
                     "allow": 0, "deny": 65536, "extendedInfo": {"effectiveDeny": 65536}},
                   "Microsoft.TeamFoundation.Identity;S-1-9-1": {"allow": 16404}},
                 "includeExtendedInfo": true}
                """#
            ),
            namespaceId: "52D39943-CB85-4D7F-8FA8-C6BAAC873819"
        )
        #expect(acl.namespaceId == "52d39943-cb85-4d7f-8fa8-c6baac873819")
        #expect(acl.inheritPermissions == false)
        let user = IdentityDescriptor("microsoft.identitymodel.claims.claimsidentity;72F988BF\\USER@X.COM")
        #expect(acl.entries[user]?.deny == 65536)
        #expect(acl.entries[user]?.allow == 0)
        // The entry without its own descriptor takes the dictionary key; the missing deny is 0.
        #expect(
            acl.entries[IdentityDescriptor("Microsoft.TeamFoundation.Identity;S-1-9-1")]
                == AccessControlEntry(
                    descriptor: IdentityDescriptor("Microsoft.TeamFoundation.Identity;S-1-9-1"),
                    allow: 16404,
                    deny: 0
                )
        )
    }

    @Test func identityWithPropertiesAndMemberships() throws {
        let record = try IdentityDecoding.identity(
            reader(
                #"""
                {"id": "9b71f216-4c4f-6b74-a911-efb0fa9c777f",
                 "descriptor": "Microsoft.TeamFoundation.ServiceIdentity;7f3c:Build:5d0f",
                 "subjectDescriptor": "svc.N2Yz",
                 "providerDisplayName": "5d0f",
                 "customDisplayName": "Project Collection Build Service (contoso)",
                 "isActive": true,
                 "properties": {"Account": {"$type": "System.String", "$value": "5d0f"},
                                "ComplianceValidated": {"$type": "System.DateTime", "$value": "0001-01-01T00:00:00"},
                                "Count": {"$type": "System.Int32", "$value": 3}},
                 "memberOf": ["Microsoft.TeamFoundation.Identity;S-1-9-1-0-0-0-1-1"],
                 "members": [], "memberIds": [], "metaTypeId": 255, "resourceVersion": 2}
                """#
            )
        )
        #expect(record.identity.displayName == "Project Collection Build Service (contoso)")
        #expect(record.identity.isContainer == false)
        #expect(record.identity.account == "5d0f")
        #expect(record.identity.properties["Count"] == "3")
        #expect(record.memberOf == [IdentityDescriptor("Microsoft.TeamFoundation.Identity;S-1-9-1-0-0-0-1-1")])
    }

    @Test func namespaceSeparatorsAndFlatNamespaces() throws {
        let flat = try SecurityDecoding.namespace(
            reader(
                #"""
                {"namespaceId": "302acaca-b667-436d-a946-87133492041c", "name": "BuildAdministration", "displayName": null,
                 "separatorValue": "\u0000", "elementLength": -1, "structureValue": 0, "writePermission": 0,
                 "readPermission": 0, "actions": [{"bit": 2, "name": "ManageBuildResources", "displayName": "Manage"},
                 {"bit": 1, "name": "ViewBuildResources", "displayName": "View"}]}
                """#
            )
        )
        #expect(flat.separator == nil)
        #expect(flat.isHierarchical == false)
        #expect(flat.displayName == nil)
        #expect(flat.actions.map(\.bit) == [1, 2])
    }

    @Test func missingRequiredMembersNameTheirPath() throws {
        let wire = try reader(#"{"acesDictionary": {}}"#)
        let result = Result { () throws(WireError) in try SecurityDecoding.acl(wire, namespaceId: "x") }
        guard case .failure(let error) = result else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.path == "$.token")
    }

    @Test func serviceEndpointDropsNullSecrets() throws {
        let endpoint = try ResourceDecoding.serviceEndpoint(
            reader(
                #"""
                {"id": "FC07A674-D389-5A41-B45C-6187785E76EC", "name": "ado-aw-write", "type": "azurerm",
                 "authorization": {"scheme": "ServicePrincipal", "parameters": {"serviceprincipalid": "9A1B", "serviceprincipalkey": null, "tenantid": "t"}},
                 "serviceEndpointProjectReferences": [{"projectReference": {"id": "A6845A01", "name": "Payments"}, "name": "ado-aw-write"}]}
                """#
            )
        )
        #expect(endpoint.id == "fc07a674-d389-5a41-b45c-6187785e76ec")
        #expect(endpoint.parameters == ["serviceprincipalid": "9A1B", "tenantid": "t"])
        #expect(endpoint.servicePrincipalId == "9a1b")
        #expect(
            endpoint.projectReferences == [
                ServiceEndpoint.ProjectReference(projectId: "a6845a01", name: "ado-aw-write")
            ]
        )
        #expect(endpoint.isReady)
    }

    @Test func buildDefinitionScopesAndProcessTypes() throws {
        let classic = try ResourceDecoding.buildDefinition(
            reader(
                #"""
                {"id": 57, "name": "Deploy-Canary", "path": "\\Release", "revision": 3, "project": {"id": "P"},
                 "process": {"type": 1}, "jobAuthorizationScope": "project", "repository": {"id": "R", "name": "api", "type": "TfsGit"}}
                """#
            )
        )
        #expect(classic.processType == .classic)
        #expect(classic.jobAuthorizationScope == .project)
        #expect(classic.path == "\\Release")
        #expect(classic.repositoryId == "r")
        // The shallow list form (no includeAllProperties) omits jobAuthorizationScope.
        let shallow = try ResourceDecoding.buildDefinition(
            reader(
                #"{"id": 11, "name": "ci", "project": {"id": "P"}, "process": {"type": 2, "yamlFilename": "a.yml"}}"#
            )
        )
        #expect(shallow.jobAuthorizationScope == .projectCollection)
        #expect(shallow.yamlFilename == "a.yml")
    }

    @Test func areaTreesFlattenWithParents() throws {
        let nodes = try ResourceDecoding.areas(
            reader(
                #"""
                {"id": 101, "identifier": "ROOT", "name": "Payments", "path": "\\Payments\\Area", "hasChildren": true,
                 "children": [{"id": 102, "identifier": "OPS", "name": "Ops", "path": "\\Payments\\Area\\Ops",
                               "children": [{"id": 104, "identifier": "DEEP", "name": "Deep", "path": "\\Payments\\Area\\Ops\\Deep"}]}]}
                """#
            ),
            projectId: "P"
        )
        #expect(nodes.map(\.identifier) == ["root", "ops", "deep"])
        #expect(nodes.map(\.parentIdentifier) == [nil, "root", "ops"])
    }

    @Test func wrappedExceptionParsing() {
        let body =
            Data([0xEF, 0xBB, 0xBF])
            + Data(
                #"{"$id":"1","innerException":null,"message":"TF400813: The user 'x' is not authorized to access this resource.","typeName":"Microsoft.TeamFoundation.Framework.Server.UnauthorizedRequestException, Microsoft.TeamFoundation.Framework.Server","typeKey":"UnauthorizedRequestException","errorCode":0,"eventId":3000}"#
                    .utf8
            )
        let parsed = ServiceErrorBody.parse(body)
        #expect(parsed?.code == "TF400813")
        #expect(parsed?.typeKey == "UnauthorizedRequestException")
        #expect(ServiceErrorBody.parse(Data("<html>".utf8)) == nil)
    }
}
