import EmulatorSupport
import Foundation
import Plan
import Testing

@testable import ADOClient

/// Security endpoints decode what the emulator (ADO's wire format) serves, and writes round-trip.
@Suite struct SecurityIntegrationTests {
    let git = Fixtures.Contoso.gitNamespace
    let payments = Fixtures.Contoso.paymentsProjectId

    @Test func namespacesDecode() async throws {
        try await withEmulator { emulator in
            let client = try EmulatorClient.make(emulator)
            let namespaces = try await client.securityNamespaces()
            let gitNamespace = try #require(namespaces.first { $0.id == NamespaceID.git })
            #expect(gitNamespace.separator == "/")
            #expect(gitNamespace.isHierarchical)
            #expect(gitNamespace.action(named: "PullRequestContribute")?.bit == 16384)
            #expect(namespaces.first { $0.id == NamespaceID.buildAdministration }?.separator == nil)
        }
    }

    @Test func recursiveACLQueryReturnsTheSubtree() async throws {
        try await withEmulator { emulator in
            let client = try EmulatorClient.make(emulator)
            let acls = try await client.accessControlLists(namespaceId: git, token: "repoV2/\(payments)", recurse: true)
            #expect(
                acls.map(\.token).sorted() == [
                    "repoV2/\(payments)", "repoV2/\(payments)/9c76eef0-cc15-557d-ac6d-418753d92a5d",
                ]
            )
            let seed = try #require(acls.first { $0.token.hasSuffix("9c76eef0-cc15-557d-ac6d-418753d92a5d") })
            #expect(seed.entries[IdentityDescriptor(Fixtures.Contoso.collectionBuildService)]?.deny == 16404)

            let whole = try await client.accessControlLists(namespaceId: git)
            #expect(whole.count == 5)
        }
    }

    @Test func descriptorFilteredQueriesSynthesizeZeroEntries() async throws {
        try await withEmulator { emulator in
            let client = try EmulatorClient.make(emulator)
            let carol = IdentityDescriptor(Fixtures.Contoso.user("carol@contoso.com"))
            let acls = try await client.accessControlLists(
                namespaceId: git,
                token: "repoV2/\(payments)",
                recurse: true,
                descriptors: [carol]
            )
            #expect(!acls.isEmpty)
            for acl in acls {
                #expect(acl.entries[carol] == AccessControlEntry(descriptor: carol, allow: 0, deny: 0))
            }
        }
    }

    @Test func aceWritesRoundTripAndRestoreTheState() async throws {
        try await withEmulator { emulator in
            let client = try EmulatorClient.make(emulator)
            let before = try await emulator.stateDump()
            let carol = IdentityDescriptor(Fixtures.Contoso.user("carol@contoso.com"))
            let token = "repoV2/\(payments)/9c76eef0-cc15-557d-ac6d-418753d92a5d"

            let set = try await client.setAccessControlEntries(
                namespaceId: git,
                token: token,
                entries: [AccessControlEntry(descriptor: carol, allow: 16384, deny: 0)],
                merge: true
            )
            #expect(set == [AccessControlEntry(descriptor: carol, allow: 16384, deny: 0)])
            let merged = try await client.setAccessControlEntries(
                namespaceId: git,
                token: token,
                entries: [AccessControlEntry(descriptor: carol, allow: 4, deny: 8)],
                merge: true
            )
            #expect(merged.first?.allow == 16388)
            #expect(merged.first?.deny == 8)

            let cleared = try await client.removePermission(namespaceId: git, bits: 8, descriptor: carol, token: token)
            #expect(cleared.deny == 0)
            #expect(cleared.allow == 16388)

            #expect(try await client.removeAccessControlEntries(namespaceId: git, token: token, descriptors: [carol]))
            let after = try await emulator.stateDump()
            #expect(after == before)
            #expect(client.log.records.filter { $0.method != .get }.count == 4)
        }
    }

    @Test func aclReplaceAndDelete() async throws {
        try await withEmulator { emulator in
            let client = try EmulatorClient.make(emulator)
            let bob = IdentityDescriptor(Fixtures.Contoso.user("bob@contoso.com"))
            let token = "repoV2/\(payments)/0000aaaa-0000-0000-0000-000000000001"
            let acl = AccessControlList(
                // Inheriting, so the admin keeps the manage bit it holds at repoV2 (a non-inheriting ACL would cut it).
                namespaceId: git,
                token: token,
                inheritPermissions: true,
                entries: [bob: AccessControlEntry(descriptor: bob, allow: 2, deny: 4)]
            )
            try await client.setAccessControlLists(namespaceId: git, [acl])
            let read = try await client.accessControlLists(namespaceId: git, token: token)
            #expect(read == [acl])
            #expect(try await client.removeAccessControlLists(namespaceId: git, tokens: [token]))
            #expect(try await client.accessControlLists(namespaceId: git, token: token).isEmpty)
        }
    }

    @Test func writeWithoutTheManageBitIsATypedRefusal() async throws {
        try await withEmulator { emulator in
            let client = try EmulatorClient.make(emulator, pat: Fixtures.Credentials.bobPAT)
            let before = try await emulator.stateDump()
            let carol = IdentityDescriptor(Fixtures.Contoso.user("carol@contoso.com"))
            let result = await outcome { () async throws(ADOError) in
                try await client.setAccessControlEntries(
                    namespaceId: git,
                    token: "repoV2/\(payments)",
                    entries: [AccessControlEntry(descriptor: carol, allow: 4, deny: 0)],
                    merge: true
                )
            }
            guard case .failure(.service(let error)) = result else {
                Issue.record("expected a service error, got \(result)")
                return
            }
            #expect(error.status == 403)
            #expect(error.route == "POST _apis/accesscontrolentries/{namespaceId}")
            #expect(!error.message.isEmpty)
            // Writes are not retried blindly: one attempt only.
            #expect(client.log.records.count == 1)
            #expect(try await emulator.stateDump() == before)
        }
    }

    @Test func callerPermissionChecks() async throws {
        try await withEmulator { emulator in
            let alice = try EmulatorClient.make(emulator)
            let carol = try EmulatorClient.make(emulator, pat: Fixtures.Credentials.carolPAT)
            let token = "repoV2/\(payments)"
            #expect(try await alice.callerHasPermissions(namespaceId: git, bits: 8192, tokens: [token]) == [true])
            #expect(
                try await carol.callerHasPermissions(
                    namespaceId: git,
                    bits: 2,
                    tokens: [token, "repoV2/\(payments)/x"]
                ) == [true, true]
            )
            #expect(try await carol.callerHasPermissions(namespaceId: git, bits: 4, tokens: [token]) == [false])
            let answers = try await carol.evaluatePermissions([
                PermissionEvaluation(namespaceId: git, token: token, bits: 2),
                PermissionEvaluation(namespaceId: git, token: token, bits: 4),
            ])
            #expect(answers == [true, false])
        }
    }
}
