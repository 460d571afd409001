import EmulatorSupport
import Foundation
import Plan
import Testing

@testable import ADOClient

/// Git, wiki, areas, build, settings and service-endpoint endpoints against the emulator.
@Suite struct ResourceIntegrationTests {
    let payments = Fixtures.Contoso.paymentsProjectId
    let shared = Fixtures.Contoso.sharedProjectId

    @Test func repositoriesPerProjectAndOrganizationWide() async throws {
        try await withEmulator { emulator in
            let client = try EmulatorClient.make(emulator)
            let all = try await client.repositories()
            #expect(all.count == 7)
            let inPayments = try await client.repositories(project: "Payments")
            #expect(Set(inPayments.map(\.name)) == ["payments-api", "payments-docs", "Payments.wiki"])
            #expect(inPayments.first { $0.name == "payments-api" }?.defaultBranch == "refs/heads/main")
            let byName = try await client.repository(project: "Payments", "payments-api")
            #expect(byName.projectId == payments)
        }
    }

    @Test func fileTextThroughTheItemsAPI() async throws {
        try await withEmulator { emulator in
            let client = try EmulatorClient.make(emulator)
            let text = try await client.fileText(
                project: "Payments",
                repository: "payments-api",
                path: "agents/pr-reviewer.md"
            )
            #expect(text.hasPrefix("---\nname: \"Payments PR reviewer\""))
            let missing = await outcome { () async throws(ADOError) in
                try await client.fileText(project: "Payments", repository: "payments-api", path: "agents/none.md")
            }
            guard case .failure(let error) = missing else {
                Issue.record("expected not found")
                return
            }
            #expect(error.status == 404)
        }
    }

    @Test func wikisAndAreas() async throws {
        try await withEmulator { emulator in
            let client = try EmulatorClient.make(emulator)
            let wikis = try await client.wikis()
            #expect(Set(wikis.map(\.name)) == ["Payments.wiki", "Shared.wiki"])
            #expect(try await client.wikis(project: "Shared").map(\.name) == ["Shared.wiki"])
            let areas = try await client.areas(projectId: payments)
            #expect(areas.map(\.path) == ["\\Payments\\Area", "\\Payments\\Area\\Ops", "\\Payments\\Area\\Web"])
            #expect(areas.dropFirst().allSatisfy { $0.parentIdentifier == areas[0].identifier })
        }
    }

    @Test func definitionsIncludeTheJobScopeOnlyWithAllProperties() async throws {
        try await withEmulator { emulator in
            let client = try EmulatorClient.make(emulator)
            let full = try await client.buildDefinitions(project: "Payments", pageSize: 2)
            #expect(full.map(\.id).sorted() == [11, 12, 13, 14, 57])
            #expect(client.log.records.filter { $0.route == "{project}/_apis/build/definitions" }.count == 3)
            let classic = try #require(full.first { $0.id == 57 })
            #expect(classic.processType == .classic)
            #expect(classic.path == "\\Release")
            let shallow = try await client.rawBuildDefinitions(project: "Payments", includeAllProperties: false)
            #expect(shallow.allSatisfy { $0["jobAuthorizationScope"] == nil })
            let reviewer = try await client.buildDefinition(project: "Payments", id: 12)
            #expect(reviewer.yamlFilename == "agents/pr-reviewer.lock.yml")
        }
    }

    @Test func definitionUpdateChecksTheRevision() async throws {
        try await withEmulator { emulator in
            let client = try EmulatorClient.make(emulator)
            guard case .object(var body) = try await client.buildDefinitionJSON(project: "Payments", id: 57) else {
                Issue.record("expected an object")
                return
            }
            let revision = body["revision"]?.intValue ?? 0
            body["jobAuthorizationScope"] = .string("project")
            let updated = try await client.updateBuildDefinition(project: "Payments", id: 57, definition: .object(body))
            #expect(updated["revision"]?.intValue == revision + 1)
            #expect(try await client.buildDefinition(project: "Payments", id: 57).jobAuthorizationScope == .project)

            // The same (now stale) body again: 409, reported as is.
            let stale = await outcome { () async throws(ADOError) in
                try await client.updateBuildDefinition(project: "Payments", id: 57, definition: .object(body))
            }
            guard case .failure(let error) = stale else {
                Issue.record("expected a conflict")
                return
            }
            #expect(error.status == 409)
        }
    }

    @Test func generalSettingsReadAndPatch() async throws {
        try await withEmulator { emulator in
            let client = try EmulatorClient.make(emulator)
            #expect(try await client.generalSettings(project: nil).enforceJobAuthScope == false)
            #expect(try await client.generalSettings(project: "Shared").enforceJobAuthScope == true)
            let patched = try await client.updateGeneralSettings(
                project: "Payments",
                values: ["enforceJobAuthScope": true]
            )
            #expect(patched.enforceJobAuthScope)
            #expect(patched.values.count > 5)
            #expect(try await client.generalSettings(project: payments).enforceJobAuthScope)
        }
    }

    @Test func serviceEndpointsWithTheirPrincipal() async throws {
        try await withEmulator { emulator in
            let client = try EmulatorClient.make(emulator)
            let endpoints = try await client.serviceEndpoints(project: "Payments")
            let write = try #require(endpoints.first { $0.name == "ado-aw-write" })
            #expect(write.type.lowercased() == "azurerm")
            #expect(write.servicePrincipalId == "9a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d")
            #expect(write.projectReferences.first?.projectId == payments)
        }
    }

    /// The ado-aw seed: the PR reviewer's job token (collection build service, denied 16404 on payments-api)
    /// cannot create a PR thread; ADO's TF401027 comes back typed.
    @Test func pipelineCallFailsWithTheTypedTF401027() async throws {
        try await withEmulator { emulator in
            let minted = try await emulator.mintPipelineToken(definitionId: 12)
            #expect(minted.identity == Fixtures.Contoso.collectionBuildService)
            let client = OrganizationClient(
                endpoint: try OrganizationEndpoint(organizationURL: emulator.organizationURL.absoluteString),
                credential: Credential(kind: .bearer, secret: minted.token),
                transport: try CurlTransport()
            )
            let result = await outcome { () async throws(ADOError) in
                try await client.createPullRequestThread(
                    project: "Payments",
                    repository: "payments-api",
                    pullRequestId: 1,
                    comment: "LGTM"
                )
            }
            guard case .failure(.service(let error)) = result else {
                Issue.record("expected TF401027, got \(result)")
                return
            }
            #expect(error.status == 403)
            #expect(error.code == "TF401027")
            #expect(error.message.contains("PullRequestContribute"))
            #expect(error.message.contains("Build\\\(Fixtures.Contoso.collectionId)"))
            #expect(!error.description.contains(minted.token))
        }
    }
}

/// The pipeline calls' request shapes are what the emulator (ADO) accepts.
@Suite struct PipelineCallIntegrationTests {
    @Test func everyPipelineCallSucceedsForAnAdministrator() async throws {
        try await withEmulator { emulator in
            let client = try EmulatorClient.make(emulator)
            let main = try #require(
                try await client.refs(project: "Payments", repository: "payments-api", filter: "refs/heads/main").first
            )
            #expect(main.name == "refs/heads/main")

            let created = try await client.updateRefs(
                project: "Payments",
                repository: "payments-api",
                [
                    OrganizationClient.RefUpdate(name: "refs/heads/agent/x", newObjectId: main.objectId)
                ]
            )
            #expect(created["value"]?.arrayValue?.first?["success"]?.boolValue ?? true)
            let pushed = try await client.pushFile(
                project: "Payments",
                repository: "payments-api",
                branch: "refs/heads/agent/x",
                oldObjectId: main.objectId,
                path: "notes/a.md",
                content: "hello",
                message: "add a note"
            )
            #expect(pushed["refUpdates"]?.arrayValue?.count == 1)
            let tag = try await client.createAnnotatedTag(
                project: "Payments",
                repository: "payments-api",
                name: "v1",
                objectId: main.objectId,
                message: "release"
            )
            #expect(tag["name"]?.stringValue == "v1")
            let thread = try await client.createPullRequestThread(
                project: "Payments",
                repository: "payments-api",
                pullRequestId: 1,
                comment: "LGTM"
            )
            #expect(thread["comments"]?.arrayValue?.count == 1)

            let item = try await client.createWorkItem(
                project: "Payments",
                type: "Task",
                fields: [
                    "System.Title": "Triage", "System.AreaPath": "Payments\\Ops",
                ]
            )
            let id = try #require(item["id"]?.intValue)
            _ = try await client.updateWorkItem(project: "Payments", id: id, fields: ["System.Title": "Triaged"])
            let comment = try await client.addWorkItemComment(project: "Payments", id: id, text: "done")
            #expect(comment["text"]?.stringValue == "done")

            let build = try await client.queueBuild(project: "Payments", definitionId: 57)
            #expect(build["definition"]?["id"]?.intValue == 57)
            let page = try await client.putWikiPage(
                project: "Payments",
                wiki: "Payments.wiki",
                path: "/Notes",
                content: "# Notes"
            )
            #expect(page["content"]?.stringValue == "# Notes" || page["path"]?.stringValue == "/Notes")
            #expect(client.log.records.allSatisfy { ($0.status ?? 0) < 300 })
        }
    }
}
