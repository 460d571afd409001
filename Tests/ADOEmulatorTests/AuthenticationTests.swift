import EmulatorSupport
import Foundation
import Testing

@Suite("Authentication")
struct AuthenticationTests {
    static let path = "/contoso/_apis/projects?api-version=7.1"

    @Test func missingCredentialGetsADOs401() async throws {
        try await withEmulator { emulator in
            let response = try await emulator.http.send("GET", Self.path)
            #expect(response.status == 401)
            #expect(
                response.text
                    == #"{"$id":"1","innerException":null,"message":"TF400813: The user 'aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa' is not authorized to access this resource.","typeName":"Microsoft.TeamFoundation.Framework.Server.UnauthorizedRequestException, Microsoft.TeamFoundation.Framework.Server","typeKey":"UnauthorizedRequestException","errorCode":0,"eventId":3000}"#
            )
            let challenges = response.headers("WWW-Authenticate")
            #expect(
                challenges.contains(
                    "Bearer authorization_uri=https://login.microsoftonline.com/\(Fixtures.Contoso.tenantId)"
                )
            )
            #expect(challenges.contains("Basic realm=\"http://127.0.0.1:\(emulator.port)/\""))
            #expect(response.header("X-VSS-ResourceTenant") == Fixtures.Contoso.tenantId)
            #expect(response.header("Content-Type") == "application/json; charset=utf-8; api-version=7.1")
        }
    }

    @Test func badPATGets401WithSuppressAnd203HTMLWithout() async throws {
        try await withEmulator { emulator in
            let suppressed = try await emulator.http.send("GET", Self.path, pat: "not-a-real-pat")
            #expect(suppressed.status == 401)
            let page = try await emulator.http.send("GET", Self.path, pat: "not-a-real-pat", suppressRedirect: false)
            #expect(page.status == 203)
            #expect(page.header("Content-Type") == "text/html; charset=utf-8")
            #expect(page.text.contains("<title>Azure DevOps Services | Sign In</title>"))
        }
    }

    @Test func patAsBasicAndBearerTokens() async throws {
        try await withEmulator { emulator in
            let basic = try await emulator.http.send("GET", Self.path, pat: Fixtures.Credentials.alicePAT)
            #expect(basic.status == 200)
            let bearer = try await emulator.http.send("GET", Self.path, bearer: Fixtures.Credentials.adoAwWriteBearer)
            #expect(bearer.status == 200)
            // A bearer token also works as the Basic password (ado-aw sends System.AccessToken that way) …
            let bearerAsBasic = try await emulator.http.send(
                "GET",
                Self.path,
                pat: Fixtures.Credentials.adoAwWriteBearer
            )
            #expect(bearerAsBasic.status == 200)
            // … but a PAT is not a bearer token.
            let patAsBearer = try await emulator.http.send("GET", Self.path, bearer: Fixtures.Credentials.alicePAT)
            #expect(patAsBearer.status == 401)
        }
    }

    @Test func sessionHeaderIsEchoedAndActivityIdSet() async throws {
        try await withEmulator { emulator in
            let session = "0e6f3f1c-6c1a-4b7e-9d2a-2f4b8c9d0e11"
            let response = try await emulator.http.send(
                "GET",
                Self.path,
                pat: Fixtures.Credentials.alicePAT,
                headers: [("X-TFS-Session", session)]
            )
            #expect(response.header("x-tfs-session") == session)
            #expect(response.header("activityid") != nil)
            #expect(response.header("activityid") == response.header("x-vss-e2eid"))
        }
    }
}
