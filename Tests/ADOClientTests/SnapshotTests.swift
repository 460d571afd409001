import ADOClient
import EmulatorSupport
import Foundation
import Plan
import Testing

@Suite struct SnapshotTests {
    @Test func exampleOrganizationDecodesIntoOrgState() throws {
        let state = try OrgState(snapshotData: try Fixtures.contosoSnapshot())
        #expect(state.organization.name == "contoso")
        #expect(state.organization.collectionId == "5d0f5b42-8c3e-4a8e-9b61-0e2f3c4a7d10")
        #expect(state.projects.map(\.name).sorted() == ["OpenSource", "Payments", "Shared"])
        #expect(state.projects.first { $0.name == "OpenSource" }?.visibility == .public)
        #expect(state.pipelineSettings.projects["b7956b12-4d3c-4e6f-9081-2b3c4d5e6f70"]?.enforceJobAuthScope == true)
        #expect(state.buildDefinitions.first { $0.id == 57 }?.processType == .classic)
        #expect(state.servicePrincipals.first?.applicationId == "9a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d")
        #expect(
            state.namespaces.contains {
                $0.id == NamespaceID.git && $0.action(named: "PullRequestContribute")?.bit == 16384
            }
        )
        #expect(state.areas.contains { $0.path == "\\Payments\\Area\\Ops" && $0.parentIdentifier != nil })
        #expect(state.files.keys.contains("Payments/payments-api/agents/pr-reviewer.md"))

        // The seed: the collection build service is denied 16404 on payments-api.
        let collectionBuild = IdentityDescriptor(
            "Microsoft.TeamFoundation.ServiceIdentity;7f3c2a91-6b4d-4e2a-8c1f-9a0b1c2d3e4f:Build:5d0f5b42-8c3e-4a8e-9b61-0e2f3c4a7d10"
        )
        let denies = state.acls.filter { $0.namespaceId == NamespaceID.git }.compactMap {
            $0.entries[collectionBuild]?.deny
        }
        #expect(denies.contains(16404))
    }

    @Test func credentialsAreNeverKeptOrWritten() throws {
        let data = try Fixtures.contosoSnapshot()
        #expect(String(decoding: data, as: UTF8.self).contains("fake-pat-alice-admin"))
        let snapshot = try Snapshot.decode(data)
        let written = String(decoding: snapshot.encoded(), as: UTF8.self)
        #expect(!written.contains("credentials"))
        #expect(!written.contains("fake-pat"))
        #expect(!written.contains("fake-bearer"))
    }

    @Test func encodingIsCanonicalAndRoundTrips() throws {
        let snapshot = try Snapshot.decode(try Fixtures.contosoSnapshot())
        var shuffled = snapshot
        shuffled.identities.reverse()
        shuffled.repositories.shuffle()
        shuffled.acls = shuffled.acls.mapValues { $0.reversed() }
        #expect(shuffled.encoded() == snapshot.encoded())
        let reread = try Snapshot.decode(snapshot.encoded())
        #expect(reread.canonicalized() == snapshot.canonicalized())
        #expect(try OrgState(snapshot: reread) == OrgState(snapshot: snapshot))
    }

    @Test func badSnapshotsNameThePath() throws {
        #expect(throws: SnapshotError.wrongFormat(found: nil)) {
            _ = try Snapshot.decode(Data(#"{"organization": {}}"#.utf8))
        }
        let result = Result { () throws(SnapshotError) in
            try OrgState(
                snapshotData: Data(
                    #"{"format": "adoperm-snapshot/1", "organization": {"name": "x", "url": "u", "collectionId": "c", "hostId": "h", "tenantId": "t"}, "identities": [{"id": "1"}]}"#
                        .utf8
                )
            )
        }
        guard case .failure(.invalid(let error)) = result else {
            Issue.record("expected an invalid-snapshot error, got \(result)")
            return
        }
        #expect(error.path == "$.identities[0].descriptor")
    }
}
