import ADOEmulator
import EmulatorSupport
import Foundation
import Testing

/// Job identities and the pipeline calls ado-aw's executor makes, answered like ADO.
@Suite("Pipelines")
struct PipelineTests {
    static func editedSnapshot(_ edit: @escaping (inout [String: Any]) -> Void) throws -> Data {
        try Fixtures.contosoSnapshot(editing: edit)
    }

    static func setting(_ object: inout [String: Any], project: String?, _ key: String, _ value: Bool) {
        var settings = object["pipelineSettings"] as! [String: Any]
        if let project {
            var projects = settings["projects"] as! [String: Any]
            var entry = projects[project] as! [String: Any]
            entry[key] = value
            projects[project] = entry
            settings["projects"] = projects
        } else {
            var organization = settings["organization"] as! [String: Any]
            organization[key] = value
            settings["organization"] = organization
        }
        object["pipelineSettings"] = settings
    }

    static func definition(_ object: inout [String: Any], _ id: Int, _ key: String, _ value: Any) {
        var definitions = object["buildDefinitions"] as! [[String: Any]]
        let index = definitions.firstIndex { $0["id"] as? Int == id }!
        definitions[index][key] = value
        object["buildDefinitions"] = definitions
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var definition: Int
        var orgEnforces = false
        var paymentsEnforces = false
        var classicScope: String? = nil
        var yamlScope: String? = nil
        var expectedScope: String
        var expectedProject: String?

        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "YAML, nothing enforced → collection",
            definition: 12,
            expectedScope: "projectCollection",
            expectedProject: nil
        ),
        Case(
            name: "YAML, project enforces → project",
            definition: 12,
            paymentsEnforces: true,
            expectedScope: "project",
            expectedProject: Contoso.paymentsProjectId
        ),
        Case(
            name: "YAML, organization enforces → project",
            definition: 12,
            orgEnforces: true,
            expectedScope: "project",
            expectedProject: Contoso.paymentsProjectId
        ),
        Case(
            name: "YAML cannot opt in per pipeline",
            definition: 12,
            yamlScope: "project",
            expectedScope: "projectCollection",
            expectedProject: nil
        ),
        Case(
            name: "classic, definition scope project → project",
            definition: 57,
            classicScope: "project",
            expectedScope: "project",
            expectedProject: Contoso.paymentsProjectId
        ),
        Case(
            name: "classic, definition scope collection → collection",
            definition: 57,
            expectedScope: "projectCollection",
            expectedProject: nil
        ),
        Case(
            name: "classic, org enforces over the definition",
            definition: 57,
            orgEnforces: true,
            classicScope: "projectCollection",
            expectedScope: "project",
            expectedProject: Contoso.paymentsProjectId
        ),
        Case(
            name: "Shared enforces in the snapshot",
            definition: 2560,
            expectedScope: "project",
            expectedProject: Contoso.sharedProjectId
        ),
        Case(
            name: "public project → project",
            definition: 3001,
            expectedScope: "project",
            expectedProject: Contoso.openSourceProjectId
        ),
    ]

    @Test(arguments: cases)
    func jobTokenIdentityFollowsTheSettings(_ scenario: Case) async throws {
        let data = try Self.editedSnapshot { object in
            if scenario.orgEnforces { Self.setting(&object, project: nil, "enforceJobAuthScope", true) }
            if scenario.paymentsEnforces {
                Self.setting(&object, project: Contoso.paymentsProjectId, "enforceJobAuthScope", true)
            }
            if let scope = scenario.classicScope { Self.definition(&object, 57, "jobAuthorizationScope", scope) }
            if let scope = scenario.yamlScope { Self.definition(&object, 12, "jobAuthorizationScope", scope) }
        }
        try await withEmulator(snapshotData: data) { emulator in
            let response = try await emulator.http.send(
                "POST",
                "/contoso/_emulator/pipelines/\(scenario.definition)/token"
            )
            #expect(response.status == 200)
            let body = try response.object()
            #expect(body["scope"] as? String == scenario.expectedScope)
            let expected = Contoso.buildService(scope: scenario.expectedProject ?? Contoso.collectionId)
            #expect(body["identity"] as? String == expected)
            let token = try #require(body["token"] as? String)
            // The token authenticates as that identity.
            let log = try await emulator.get("/_apis/projects", bearer: token)
            #expect(log.status == 200)
            #expect(try await emulator.requestLog().last?.caller == expected)
        }
    }

    @Test func settingsPatchChangesTheNextMintedIdentity() async throws {
        try await withEmulator { emulator in
            #expect(try await emulator.mintPipelineToken(definitionId: 12).identity == Contoso.collectionBuildService)
            let patched = try await emulator.send(
                "PATCH",
                "/Payments/_apis/build/generalsettings",
                json: ["enforceJobAuthScope": true]
            )
            #expect(try patched.object()["enforceJobAuthScope"] as? Bool == true)
            #expect(
                try await emulator.mintPipelineToken(definitionId: 12).identity
                    == Contoso.buildService(scope: Contoso.paymentsProjectId)
            )
        }
    }

    @Test func prThreadHitsTheSeedDenyExactlyLikeADO() async throws {
        try await withEmulator { emulator in
            let (token, _) = try await emulator.mintPipelineToken(definitionId: 12)
            let response = try await emulator.send(
                "POST",
                "/Payments/_apis/git/repositories/payments-api/pullRequests/4711/threads",
                json: ["comments": [["content": "[Agent Review] nit", "commentType": 1]], "status": 1],
                bearer: token
            )
            #expect(response.status == 403)
            #expect(
                response.text
                    == #"{"$id":"1","innerException":null,"message":"TF401027: You need the Git 'PullRequestContribute' permission to perform this action. Details: identity 'Build\\5d0f5b42-8c3e-4a8e-9b61-0e2f3c4a7d10', scope 'repository'.","typeName":"Microsoft.TeamFoundation.Git.Server.GitNeedsPermissionException, Microsoft.TeamFoundation.Git.Server","typeKey":"GitNeedsPermissionException","errorCode":0,"eventId":3000}"#
            )
            // The same call on the docs repository (no deny) succeeds.
            let allowed = try await emulator.send(
                "POST",
                "/Payments/_apis/git/repositories/payments-docs/pullRequests/12/threads",
                json: ["comments": [["content": "fine", "commentType": 1]]],
                bearer: token
            )
            #expect(allowed.status == 200)
            #expect(try allowed.object()["status"] as? String == "active")
        }
    }

    @Test func projectScopedIdentityPassesWhereTheCollectionOneIsDenied() async throws {
        let data = try Self.editedSnapshot {
            Self.setting(&$0, project: Contoso.paymentsProjectId, "enforceJobAuthScope", true)
        }
        try await withEmulator(snapshotData: data) { emulator in
            let (token, identity) = try await emulator.mintPipelineToken(definitionId: 12)
            #expect(identity == Contoso.buildService(scope: Contoso.paymentsProjectId))
            let response = try await emulator.send(
                "POST",
                "/Payments/_apis/git/repositories/payments-api/pullRequests/4711/threads",
                json: ["comments": [["content": "ok"]]],
                bearer: token
            )
            #expect(response.status == 200)
        }
    }

    @Test func refsPushesAndTagsCheckBranchTokens() async throws {
        try await withEmulator { emulator in
            let (token, _) = try await emulator.mintPipelineToken(definitionId: 12)
            let zero = String(repeating: "0", count: 40)
            let refs = try await emulator.send(
                "POST",
                "/Payments/_apis/git/repositories/payments-api/refs",
                json: [
                    [
                        "name": "refs/heads/agent/fix-1", "oldObjectId": zero,
                        "newObjectId": String(repeating: "a", count: 40),
                    ]
                ],
                bearer: token
            )
            #expect(refs.status == 200)
            let result = try refs.values()[0]
            #expect(result["success"] as? Bool == false)
            #expect(result["updateStatus"] as? String == "createBranchPermissionRequired")

            let push = try await emulator.send(
                "POST",
                "/Payments/_apis/git/repositories/payments-api/pushes",
                json: [
                    "refUpdates": [["name": "refs/heads/agent/fix-1", "oldObjectId": zero]],
                    "commits": [["comment": "fix", "changes": []]],
                ],
                bearer: token
            )
            #expect(push.status == 403)
            #expect(
                try push.object()["message"] as? String
                    == "TF401027: You need the Git 'CreateBranch' permission to perform this action. Details: identity 'Build\\5d0f5b42-8c3e-4a8e-9b61-0e2f3c4a7d10', scope 'branch'."
            )

            // An explicit allow on the agent branch folder (more specific than the repo-level deny) lets it through.
            _ = try await emulator.send(
                "POST",
                "/_apis/accesscontrolentries/\(Contoso.gitNamespace)",
                json: [
                    "token": Ids.paymentsAPIToken + "/refs/heads/6100670065006e007400", "merge": true,
                    "accessControlEntries": [["descriptor": Contoso.collectionBuildService, "allow": 20, "deny": 0]],
                ]
            )
            let retried = try await emulator.send(
                "POST",
                "/Payments/_apis/git/repositories/payments-api/pushes",
                json: [
                    "refUpdates": [["name": "refs/heads/agent/fix-1", "oldObjectId": zero]],
                    "commits": [["comment": "fix"]],
                ],
                bearer: token
            )
            #expect(retried.status == 201)

            let tag = try await emulator.send(
                "POST",
                "/Payments/_apis/git/repositories/payments-api/annotatedtags",
                json: [
                    "name": "v1.0", "taggedObject": ["objectId": String(repeating: "b", count: 40)],
                    "message": "release",
                ],
                bearer: token
            )
            #expect(tag.status == 201)
            #expect(try tag.object()["name"] as? String == "v1.0")
        }
    }

    @Test func workItemsAreCheckedOnTheAreaNode() async throws {
        try await withEmulator { emulator in
            let spn = Credentials.adoAwWriteBearer
            let patch: [[String: Any]] = [
                ["op": "add", "path": "/fields/System.Title", "value": "Alert"],
                ["op": "add", "path": "/fields/System.AreaPath", "value": "Payments\\Ops"],
            ]
            let denied = try await emulator.send(
                "POST",
                "/Payments/_apis/wit/workitems/$Bug",
                json: patch,
                bearer: spn,
                contentType: "application/json-patch+json"
            )
            #expect(denied.status == 403)
            #expect(
                try denied.object()["message"] as? String
                    == "TF237111: The current user does not have permissions to save work items under the specified area path."
            )

            let (token, _) = try await emulator.mintPipelineToken(definitionId: 13)
            let created = try await emulator.send(
                "POST",
                "/Payments/_apis/wit/workitems/$Bug",
                json: patch,
                bearer: token,
                contentType: "application/json-patch+json"
            )
            #expect(created.status == 200)
            let item = try created.object()
            let id = try #require(item["id"] as? Int)
            #expect((item["fields"] as? [String: Any])?["System.AreaPath"] as? String == "Payments\\Ops")

            let updated = try await emulator.send(
                "PATCH",
                "/Payments/_apis/wit/workitems/\(id)",
                json: [["op": "add", "path": "/fields/System.State", "value": "Active"]],
                bearer: token,
                contentType: "application/json-patch+json"
            )
            #expect(updated.status == 200)
            // The build service holds 16|32 on the area but not WORK_ITEM_SAVE_COMMENT (512).
            let comment = try await emulator.send(
                "POST",
                "/Payments/_apis/wit/workItems/\(id)/comments",
                json: ["text": "dup of #1"],
                bearer: token
            )
            #expect(comment.status == 403)
            #expect(try comment.object()["typeKey"] as? String == "WorkItemUnauthorizedAccessException")
            // Bob (Contributors: 16|32|512) may comment; carol cannot even see the item.
            #expect(
                try await emulator.send(
                    "POST",
                    "/Payments/_apis/wit/workItems/\(id)/comments",
                    json: ["text": "ok"],
                    pat: Credentials.bobPAT
                ).status == 200
            )
            let hidden = try await emulator.get("/Payments/_apis/wit/workitems/\(id)", pat: Credentials.carolPAT)
            #expect(hidden.status == 404)
            #expect(
                try hidden.object()["message"] as? String
                    == "TF401232: Work item \(id) does not exist, or you do not have permissions to read it."
            )
        }
    }

    @Test func queueBuildNeedsQueueBuilds() async throws {
        try await withEmulator { emulator in
            let denied = try await emulator.send(
                "POST",
                "/Payments/_apis/build/builds",
                json: ["definition": ["id": 57]],
                bearer: Credentials.adoAwWriteBearer
            )
            #expect(denied.status == 403)
            #expect(
                try denied.object()["message"] as? String
                    == "TF215106: Access denied. ado-aw-write needs Queue builds permissions for build pipeline 57:Deploy-Canary in team project Payments to perform the action. For more information, contact the Azure DevOps Server administrator."
            )
            let (token, _) = try await emulator.mintPipelineToken(definitionId: 11)
            let projectScoped = try await emulator.send(
                "PATCH",
                "/Payments/_apis/build/generalsettings",
                json: ["enforceJobAuthScope": true]
            )
            #expect(projectScoped.status == 200)
            let (paymentsToken, _) = try await emulator.mintPipelineToken(definitionId: 11)
            // The Payments build service holds QueueBuilds; the collection one does not.
            #expect(
                try await emulator.send(
                    "POST",
                    "/Payments/_apis/build/builds",
                    json: ["definition": ["id": 57]],
                    bearer: paymentsToken
                ).status == 200
            )
            #expect(
                try await emulator.send(
                    "POST",
                    "/Payments/_apis/build/builds",
                    json: ["definition": ["id": 57]],
                    bearer: token
                ).status == 403
            )
        }
    }

    @Test func wikiPagePutIsGitContributeOnTheWikiRepository() async throws {
        try await withEmulator { emulator in
            let (token, _) = try await emulator.mintPipelineToken(definitionId: 14)
            let put = try await emulator.send(
                "PUT",
                "/Shared/_apis/wiki/wikis/Shared.wiki/pages?path=/sdk-sync/changelog",
                json: ["content": "# Changelog\n"],
                bearer: token
            )
            #expect(put.status == 201)
            let read = try await emulator.get(
                "/Shared/_apis/wiki/wikis/Shared.wiki/pages?path=/sdk-sync/changelog&includeContent=true",
                bearer: token
            )
            #expect(try read.object()["content"] as? String == "# Changelog\n")
            let dump = String(decoding: try await emulator.stateDump(), as: UTF8.self)
            #expect(dump.contains("\"Shared/Shared.wiki/sdk-sync/changelog.md\": \"# Changelog\\n\""))
            // Carol cannot read the Shared project at all: the wiki repository does not exist for her.
            let carol = try await emulator.send(
                "PUT",
                "/_apis/wiki/wikis/Shared.wiki/pages?path=/x",
                json: ["content": "x"],
                pat: Credentials.carolPAT
            )
            #expect(carol.status == 404)
        }
    }

    @Test func unreadableThingsAre404() async throws {
        try await withEmulator { emulator in
            let project = try await emulator.get("/_apis/projects/Shared", pat: Credentials.carolPAT)
            #expect(project.status == 404)
            #expect(
                try project.object()["message"] as? String
                    == "VS800075: The project with id 'vstfs:///Classification/TeamProject/\(Contoso.sharedProjectId)' does not exist, or you do not have permission to access it."
            )
            let sdk = try Ids.repository("Shared", "payments-sdk")
            let repository = try await emulator.get("/_apis/git/repositories/\(sdk)", pat: Credentials.carolPAT)
            #expect(repository.status == 404)
            #expect(
                try repository.object()["message"] as? String
                    == "TF401019: The Git repository with name or identifier \(sdk) does not exist or you do not have permissions for the operation you are attempting."
            )
            let unknown = try await emulator.get("/_apis/projects/Nope")
            #expect(try unknown.object()["typeKey"] as? String == "ProjectDoesNotExistWithNameException")
            let visible = try await emulator.get("/_apis/projects", pat: Credentials.carolPAT).values()
            #expect(visible.map { $0["name"] as? String } == ["Payments"])
        }
    }
}
