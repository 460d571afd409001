import ADOEmulator
import EmulatorSupport
import Foundation
import Testing

/// Wire details: paging, api-version, case-insensitive routes, definitions, settings, logs and control routes.
@Suite("Serving")
struct ServingTests {
    @Test func projectsPageWithTopAndIntegerContinuation() async throws {
        try await withEmulator { emulator in
            var names: [String] = []
            var token: String? = nil
            var pages = 0
            repeat {
                let response = try await emulator.get(
                    "/_apis/projects?$top=2" + (token.map { "&continuationToken=\($0)" } ?? "")
                )
                names += try response.values().compactMap { $0["name"] as? String }
                token = response.header("x-ms-continuationtoken")
                pages += 1
            } while token != nil && pages < 10
            #expect(pages == 2)
            #expect(names == ["Payments", "Shared", "OpenSource"])
        }
    }

    @Test func graphListsPageWithOpaqueTokens() async throws {
        try await withEmulator(graphPageSize: 3) { emulator in
            var descriptors: [String] = []
            var token: String? = nil
            var pages = 0
            repeat {
                let path = "/_apis/graph/users" + (token.map { "?continuationToken=\($0)" } ?? "")
                let response = try await emulator.http.send(
                    "GET",
                    "/contoso" + path,
                    pat: Credentials.alicePAT,
                    headers: [("Accept", "application/json;api-version=7.1-preview.1")]
                )
                #expect(response.header("Content-Type") == "application/json; charset=utf-8; api-version=7.1-preview.1")
                descriptors += try response.values().compactMap { $0["descriptor"] as? String }
                token = response.header("X-MS-ContinuationToken")
                pages += 1
            } while token != nil && pages < 10
            #expect(pages == 3)
            #expect(descriptors.count == 8)
            #expect(Set(descriptors).count == 8)
            // The subject-type filter applies before paging: 4 build services, page size 3.
            let svc = try await emulator.get("/_apis/graph/users?subjectTypes=svc")
            #expect(try svc.values().count == 3)
            let rest = try await emulator.get("/_apis/graph/users?subjectTypes=svc&continuationToken=\(try #require(svc.header("x-ms-continuationtoken")))")
            #expect(try rest.values().compactMap { $0["principalName"] as? String }.count == 1)
            #expect(rest.header("x-ms-continuationtoken") == nil)
            let bad = try await emulator.get("/_apis/graph/users?continuationToken=garbage")
            #expect(bad.status == 400)
        }
    }

    @Test func definitionListOmitsJobAuthorizationScopeUnlessAllPropertiesAsked() async throws {
        try await withEmulator { emulator in
            let shallow = try await emulator.get("/Payments/_apis/build/definitions").values()
            #expect(shallow.count == 5)
            #expect(shallow.allSatisfy { $0["jobAuthorizationScope"] == nil && $0["process"] == nil })
            let full = try await emulator.get("/Payments/_apis/build/definitions?includeAllProperties=true").values()
            #expect(full.allSatisfy { $0["jobAuthorizationScope"] as? String == "projectCollection" })
            let first = try await emulator.get("/Payments/_apis/build/definitions?$top=2")
            #expect(try first.values().compactMap { $0["id"] as? Int } == [11, 12])
            let next = try #require(first.header("x-ms-continuationtoken"))
            let second = try await emulator.get("/Payments/_apis/build/definitions?$top=10&continuationToken=\(next)")
            #expect(try second.values().compactMap { $0["id"] as? Int } == [13, 14, 57])
            #expect(second.header("x-ms-continuationtoken") == nil)
            let named = try await emulator.get("/Payments/_apis/build/definitions?name=*-ci").values()
            #expect(named.compactMap { $0["name"] as? String } == ["payments-ci"])
        }
    }

    @Test func definitionUpdateChecksTheRevision() async throws {
        try await withEmulator { emulator in
            var definition = try await emulator.get("/Payments/_apis/build/definitions/57").object()
            let revision = try #require(definition["revision"] as? Int)
            definition["jobAuthorizationScope"] = "project"
            let updated = try await emulator.send("PUT", "/Payments/_apis/build/definitions/57", json: definition)
            #expect(updated.status == 200)
            #expect(try updated.object()["revision"] as? Int == revision + 1)
            let stale = try await emulator.send("PUT", "/Payments/_apis/build/definitions/57", json: definition)
            #expect(stale.status == 409)
            #expect(try stale.object()["typeKey"] as? String == "DefinitionUpdateConflictException")
            #expect(
                try await emulator.mintPipelineToken(definitionId: 57).identity
                    == Contoso.buildService(scope: Contoso.paymentsProjectId)
            )
            let byBob = try await emulator.send(
                "PUT",
                "/Payments/_apis/build/definitions/57",
                json: try updated.object(),
                pat: Credentials.bobPAT
            )
            #expect(byBob.status == 403)
        }
    }

    @Test func projectCannotLoosenAnOrgEnforcedSetting() async throws {
        try await withEmulator { emulator in
            let org = try await emulator.send(
                "PATCH",
                "/_apis/build/generalsettings",
                json: ["enforceJobAuthScope": true]
            )
            #expect(org.status == 200)
            let patch = try await emulator.send(
                "PATCH",
                "/Payments/_apis/build/generalsettings",
                json: ["enforceJobAuthScope": false]
            )
            #expect(try patch.object()["enforceJobAuthScope"] as? Bool == true)
            #expect(
                try await emulator.get("/Payments/_apis/build/generalsettings").object()["enforceJobAuthScope"] as? Bool
                    == true
            )
            let bob = try await emulator.send(
                "PATCH",
                "/Payments/_apis/build/generalsettings",
                json: ["enforceJobAuthScope": false],
                pat: Credentials.bobPAT
            )
            #expect(bob.status == 403)
            let orgByBob = try await emulator.send(
                "PATCH",
                "/_apis/build/generalsettings",
                json: ["enforceJobAuthScope": false],
                pat: Credentials.bobPAT
            )
            #expect(orgByBob.status == 403)
        }
    }

    @Test func routesIgnoreCaseAndVersionsAreChecked() async throws {
        try await withEmulator { emulator in
            let mixed = try await emulator.http.send(
                "GET",
                "/CONTOSO/_APIS/SecurityNamespaces?api-version=5.0",
                pat: Credentials.alicePAT
            )
            #expect(mixed.status == 200)
            #expect(mixed.header("Content-Type") == "application/json; charset=utf-8; api-version=5.0")
            let tooNew = try await emulator.http.send(
                "GET",
                "/contoso/_apis/projects?api-version=8.0",
                pat: Credentials.alicePAT
            )
            #expect(tooNew.status == 400)
            #expect(try tooNew.object()["typeKey"] as? String == "VssVersionOutOfRangeException")
            let unknown = try await emulator.http.send(
                "GET",
                "/contoso/_apis/nothing?api-version=7.1",
                pat: Credentials.alicePAT
            )
            #expect(unknown.status == 404)
            #expect(
                try unknown.object()["message"] as? String
                    == "The controller for path '/contoso/_apis/nothing' was not found or does not implement IController."
            )
        }
    }

    @Test func identitiesAnswerPositionallyWithMemberships() async throws {
        try await withEmulator { emulator in
            let bob = Contoso.user("bob@contoso.com").addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let response = try await emulator.get(
                "/_apis/identities?descriptors=\(bob),Microsoft.TeamFoundation.Identity%3BS-1-0&queryMembership=Expanded"
            )
            let values = try response.object()["value"] as! [Any]
            #expect(values.count == 2)
            #expect(values[1] is NSNull)
            let first = values[0] as! [String: Any]
            #expect((first["memberOf"] as! [String]).count == 3)
            let group = try await emulator.get(
                "/_apis/identities?searchFilter=General&filterValue=\(Contoso.paymentsProjectId)"
            ).values()
            #expect(group.map { $0["customDisplayName"] as? String } == ["Payments Build Service (contoso)"])
        }
    }

    @Test func requestLogRecordsADORoutesOnly() async throws {
        try await withEmulator { emulator in
            _ = try await emulator.get("/_apis/projects")
            _ = try await emulator.get("/_apis/projects", pat: nil)
            _ = try await emulator.send(
                "POST",
                "/_apis/accesscontrolentries/\(Contoso.gitNamespace)",
                json: [
                    "token": "repoV2", "merge": true, "accessControlEntries": [] as [Any],
                ]
            )
            _ = try await emulator.http.send("GET", "/contoso/_emulator/state")
            let log = try await emulator.http.send("GET", "/contoso/_emulator/requests")
            let entries = try log.json() as! [[String: Any]]
            #expect(entries.count == 3)
            #expect(entries.map { $0["status"] as? Int } == [200, 401, 200])
            #expect(entries[0]["route"] as? String == "/{org}/_apis/projects")
            #expect(entries[0]["caller"] as? String == Contoso.user("alice@contoso.com"))
            #expect(entries[1]["caller"] is NSNull)
            #expect(entries[2]["isWrite"] as? Bool == true)
            #expect(entries.map { $0["seq"] as? Int } == [1, 2, 3])
            #expect(try await emulator.http.send("DELETE", "/contoso/_emulator/requests").status == 204)
            #expect(try await emulator.requestLog().isEmpty)
        }
    }

    @Test func echoAndRedirectControlRoutes() async throws {
        try await withEmulator { emulator in
            let echo = try await emulator.http.send(
                "GET",
                "/_emulator/echo",
                pat: "secret",
                headers: [("X-Probe", "1")]
            )
            let headers = try echo.object() as! [String: String]
            #expect(headers["x-probe"] == "1")
            #expect(headers["authorization"] == "Basic \(Data(":secret".utf8).base64EncodedString())")
            let target = "http://localhost:\(emulator.port)/_emulator/echo"
            let redirect = try await emulator.http.send(
                "GET",
                "/_emulator/redirect?location=\(target.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)&status=307"
            )
            #expect(redirect.status == 307)
            #expect(redirect.header("Location") == target)
        }
    }

    @Test func stateDumpRouteMatchesTheInProcessDump() async throws {
        try await withEmulator { emulator in
            let route = try await emulator.http.send("GET", "/contoso/_emulator/state")
            #expect(route.body == (try await emulator.stateDump()))
            #expect(route.body == (try Fixtures.contosoSnapshot()))
        }
    }

    @Test func itemsServeSnapshotFiles() async throws {
        try await withEmulator { emulator in
            let raw = try await emulator.get(
                "/Payments/_apis/git/repositories/payments-api/items?path=/agents/pr-reviewer.lock.yml"
            )
            #expect(raw.status == 200)
            #expect(raw.text.hasPrefix("# This file is auto-generated by ado-aw. Do not edit manually.\n"))
            let listing = try await emulator.http.send(
                "GET",
                "/contoso/Payments/_apis/git/repositories/payments-api/items?scopePath=/agents&recursionLevel=OneLevel&api-version=7.1",
                pat: Credentials.alicePAT,
                headers: [("Accept", "application/json")]
            )
            let paths = try listing.values().compactMap { $0["path"] as? String }
            #expect(paths.contains("/agents/sdk-sync.md") && paths.first == "/agents")
            let missing = try await emulator.get("/Payments/_apis/git/repositories/payments-api/items?path=/nope.md")
            #expect(missing.status == 404)
            #expect(try missing.object()["typeKey"] as? String == "GitItemNotFoundException")
        }
    }

    @Test func sdkDiscoveryRoutesAnswer() async throws {
        try await withEmulator { emulator in
            let options = try await emulator.http.send("OPTIONS", "/contoso/_apis")
            #expect(options.status == 200)
            let locations = try options.values()
            #expect(locations.contains { $0["id"] as? String == "18a2ad18-7571-46ae-bec7-0c7da1495885" })
            let areas = try await emulator.http.send("GET", "/contoso/_apis/resourceAreas").values()
            #expect(
                areas.allSatisfy {
                    ($0["locationUrl"] as? String)?.hasPrefix("http://127.0.0.1:\(emulator.port)/contoso") == true
                }
            )
        }
    }
}

@Suite("Organization routing")
struct OrganizationRoutingTests {
    @Test func otherOrganizationsAreUnknown() async throws {
        try await withEmulator { emulator in
            let response = try await emulator.http.send("GET", "/fabrikam/_apis/projects?api-version=7.1", pat: Credentials.alicePAT)
            #expect(response.status == 404)
            #expect(try response.object()["typeKey"] as? String == "HttpException")
        }
    }
}
