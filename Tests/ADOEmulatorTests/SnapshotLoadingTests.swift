import EmulatorSupport
import Foundation
import Testing

@testable import ADOEmulator

@Suite("Snapshot loading")
struct SnapshotLoadingTests {
    private func loadError(_ data: Data) -> String? {
        do {
            _ = try EmulatorSnapshot.load(data: data, name: "snapshot.json")
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test func exampleSnapshotLoads() throws {
        let snapshot = try EmulatorSnapshot.load(contentsOf: Fixtures.contosoSnapshotURL)
        #expect(snapshot.organizationName == "contoso")
        #expect(snapshot.model.projects.count == 3)
        #expect(snapshot.model.namespaces.count >= 12)
    }

    @Test func dumpOfUnchangedExampleIsTheFileItself() throws {
        let bytes = try Fixtures.contosoSnapshot()
        let snapshot = try EmulatorSnapshot.load(data: bytes)
        #expect(Data(snapshot.model.dumpBytes()) == bytes)
    }

    @Test func malformedJSONNamesLineAndColumn() {
        let message = loadError(Data("{\n  \"format\": \"adoperm-snapshot/1\",\n  \"organization\": {,\n}".utf8))
        #expect(message == "snapshot.json:3:20: malformed JSON: expected a string key")
    }

    @Test func unknownNamespaceInACLsIsRefused() throws {
        let data = try Fixtures.contosoSnapshot { object in
            var acls = object["acls"] as! [String: Any]
            acls["11111111-2222-3333-4444-555555555555"] = []
            object["acls"] = acls
        }
        #expect(
            loadError(data)
                == "snapshot.json: $.acls['11111111-2222-3333-4444-555555555555']: unknown security namespace id '11111111-2222-3333-4444-555555555555'"
        )
    }

    @Test func membershipNamingUnknownDescriptorIsRefused() throws {
        let data = try Fixtures.contosoSnapshot { object in
            var memberships = object["memberships"] as! [[String: Any]]
            memberships[3]["member"] = "Microsoft.IdentityModel.Claims.ClaimsIdentity;nobody\\ghost@contoso.com"
            object["memberships"] = memberships
        }
        #expect(
            loadError(data)
                == "snapshot.json: $.memberships[3].member: unknown identity descriptor 'Microsoft.IdentityModel.Claims.ClaimsIdentity;nobody\\ghost@contoso.com'"
        )
    }

    @Test func wrongTypesNameThePath() throws {
        let data = try Fixtures.contosoSnapshot { object in
            var projects = object["projects"] as! [[String: Any]]
            projects[1]["name"] = 42
            object["projects"] = projects
        }
        #expect(loadError(data) == "snapshot.json: $.projects[1].name: expected a string, found a number")
    }

    @Test func unsupportedFormatIsRefused() throws {
        let data = try Fixtures.contosoSnapshot { $0["format"] = "adoperm-snapshot/9" }
        #expect(
            loadError(data)
                == "snapshot.json: $.format: unsupported format 'adoperm-snapshot/9', expected 'adoperm-snapshot/1'"
        )
    }

    @Test func credentialForUnknownIdentityIsRefused() throws {
        let data = try Fixtures.contosoSnapshot { object in
            var credentials = object["credentials"] as! [[String: Any]]
            credentials[0]["identity"] = "Microsoft.TeamFoundation.Identity;S-1-9-0"
            object["credentials"] = credentials
        }
        #expect(
            loadError(data)
                == "snapshot.json: $.credentials[0].identity: unknown identity descriptor 'Microsoft.TeamFoundation.Identity;S-1-9-0'"
        )
    }

    @Test func missingFileIsOneLine() {
        do {
            _ = try EmulatorSnapshot.load(contentsOf: URL(fileURLWithPath: "/nonexistent/snap.json"))
            Issue.record("expected an error")
        } catch {
            #expect("\(error)" == "snap.json: cannot read snapshot: no such file")
        }
    }
}
