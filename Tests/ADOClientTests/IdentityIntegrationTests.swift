import EmulatorSupport
import Foundation
import Plan
import Testing

@testable import ADOClient

@Suite struct IdentityIntegrationTests {
    @Test func identitiesByDescriptorWithDirectMemberships() async throws {
        try await withEmulator { emulator in
            let client = try EmulatorClient.make(emulator)
            let build = IdentityDescriptor(Fixtures.Contoso.collectionBuildService)
            let unknown = IdentityDescriptor("Microsoft.TeamFoundation.Identity;S-1-9-0-0-0-0-0")
            let records = try await client.identities(descriptors: [build, unknown], queryMembership: .direct)
            #expect(records.count == 1)
            let record = try #require(records.first)
            #expect(record.identity.displayName == "Project Collection Build Service (contoso)")
            #expect(record.memberOf.count == 1)
            let containers = try await client.identities(descriptors: record.memberOf)
            #expect(
                containers.first?.identity.displayName.hasSuffix("Project Collection Build Service Accounts") == true
            )
            #expect(containers.first?.identity.isContainer == true)
        }
    }

    @Test func identitiesBySubjectDescriptorAndSearch() async throws {
        try await withEmulator { emulator in
            let client = try EmulatorClient.make(emulator)
            let principals = try await client.graphServicePrincipals()
            let spn = try #require(principals.first)
            #expect(spn.applicationId == "9a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d")
            let records = try await client.identities(subjectDescriptors: [spn.descriptor])
            #expect(
                records.first?.identity.descriptor.identityType
                    == "Microsoft.VisualStudio.Services.Claims.AadServicePrincipal"
            )

            let found = try await client.searchIdentities(.general, value: "bob@contoso.com")
            #expect(found.map(\.identity.descriptor) == [IdentityDescriptor(Fixtures.Contoso.user("bob@contoso.com"))])
        }
    }

    @Test func graphListsPageUntilTheTokenIsAbsent() async throws {
        try await withEmulator(graphPageSize: 3) { emulator in
            let client = try EmulatorClient.make(emulator)
            let groups = try await client.graphGroups()
            #expect(groups.count == 18)
            #expect(Set(groups.map(\.descriptor)).count == 18)
            let pages = client.log.records.filter { $0.route == "_apis/graph/groups" }.count
            #expect(pages == 6)
            let users = try await client.graphUsers()
            #expect(users.count == 8)
            #expect(
                users.contains {
                    $0.displayName == "Project Collection Build Service (contoso)" && $0.domain == "Build"
                }
            )
        }
    }

    @Test func graphMemberships() async throws {
        try await withEmulator { emulator in
            let client = try EmulatorClient.make(emulator)
            let users = try await client.graphUsers()
            let bob = try #require(users.first { $0.principalName == "bob@contoso.com" })
            let up = try await client.graphMemberships(subjectDescriptor: bob.descriptor)
            #expect(up.count == 1)
            #expect(up.first?.memberDescriptor == bob.descriptor)
        }
    }

    @Test func projectsPageAcrossThreePages() async throws {
        try await withEmulator { emulator in
            let client = try EmulatorClient.make(emulator)
            let projects = try await client.projects(pageSize: 1)
            #expect(projects.map(\.name).sorted() == ["OpenSource", "Payments", "Shared"])
            #expect(client.log.records.filter { $0.route == "_apis/projects" }.count == 3)
            #expect(projects.first { $0.name == "OpenSource" }?.visibility == .public)
            let one = try await client.project("payments")
            #expect(one.id == Fixtures.Contoso.paymentsProjectId)
        }
    }

    @Test func missingProjectIsATypedNotFound() async throws {
        try await withEmulator { emulator in
            let client = try EmulatorClient.make(emulator)
            let result = await outcome { () async throws(ADOError) in try await client.project("NoSuchProject") }
            guard case .failure(let error) = result else {
                Issue.record("expected not found")
                return
            }
            #expect(error.status == 404)
            #expect(error.code?.hasPrefix("TF") == true || error.code?.hasPrefix("VS") == true)
            // A 404 is final: no retries.
            #expect(client.log.records.count == 1)
        }
    }
}
