import Foundation
import Plan
import Testing

@Suite struct RemedyEdgeTests {
    func plan(_ manifest: String, _ state: OrgState = Contoso.state()) throws -> PlanDocument {
        try Planning.plan(manifest: manifest, file: "adoperm.yaml", state: state, createdAt: Scenario.createdAt)
    }

    @Test func aConnectionWhosePrincipalIsNotAnOrganizationUserIsUnresolvable() throws {
        let document = try plan("""
            version: 1
            requirements:
              - id: reader
                subject: { serviceConnection: { project: Payments, name: ado-aw-read } }
                allow:
                  - git: { project: Payments, repository: payments-api }
                    permissions: [GenericRead]
            """)
        let finding = try #require(document.findings.first)
        #expect(finding.status == .unresolvable && finding.message?.contains("is not a user of the organization") == true)
        #expect(finding.remedies.first?.status == .manual)
        #expect(finding.remedies.first?.changes.first?.kind == .manual)
        #expect(document.summary.unresolvable == 1)
    }

    @Test func noConnectionNamedMakesRemedyOneManual() throws {
        let finding = try #require(try plan(Scenario.reviewer(connection: false)).finding("pr-reviewer"))
        let connection = try #require(finding.remedy(.serviceConnection))
        #expect(connection.status == .manual && !connection.recommended)
        #expect(finding.remedy(.jobScope)?.recommended == true)
    }

    @Test func excludedRemedyKindsAreNotProposed() throws {
        let manifest = Scenario.reviewer() + "  exclude: [service-connection, lift-deny]\n"
        let finding = try #require(try plan(manifest, Scenario.inheritedDeny.state).finding("pr-reviewer"))
        #expect(finding.ranking == ["2 job-scope viable *"])
    }

    @Test func crossBuildArtifactUploadsBlockTheServiceConnection() throws {
        var state = Contoso.state()
        let key = "Payments/payments-api/agents/pr-reviewer.md"
        state.files[key] = state.files[key]!.replacingOccurrences(
            of: "  resolve-pr-thread:", with: "  upload-pipeline-artifact:\n    allowed-build-ids: [42]\n  resolve-pr-thread:")
        let finding = try #require(try plan(Scenario.reviewer(), state).finding("pr-reviewer"))
        let connection = try #require(finding.remedy(.serviceConnection))
        #expect(connection.status == .blocked && connection.reason.contains("ContainerWriteAccessDeniedException"))
    }

    @Test func classicDefinitionsGetTheNarrowerDefinitionChange() throws {
        var state = Contoso.state()
        let token = "\(Contoso.payments)/Release/57"
        state.setACE(NamespaceID.build, token, Contoso.collectionBuildService, deny: 128)
        let document = try plan("""
            version: 1
            requirements:
              - id: canary
                subject: { pipeline: { project: Payments, name: Deploy-Canary } }
                allow:
                  - build: { project: Payments, definition: Deploy-Canary }
                    permissions: [QueueBuilds]
            """, state)
        let toggle = try #require(document.finding("canary")?.remedy(.jobScope))
        #expect(toggle.changes.first?.kind == .definition)
        #expect(toggle.changes.first?.after == .object(["jobAuthorizationScope": .string("project")]))
        #expect(toggle.blastRadius?.pipelines == 1 && toggle.status == .viable)
        #expect(document.fingerprints["definition|57"] != nil)
    }

    @Test func fingerprintsDoNotDependOnSpellingOrOrder() {
        let a = AccessControlList(namespaceId: NamespaceID.git, token: "repoV2/X/", inheritPermissions: true, entries: [
            Contoso.bob: AccessControlEntry(descriptor: Contoso.bob, allow: 2, deny: 0),
            Contoso.carol: AccessControlEntry(descriptor: Contoso.carol, allow: 0, deny: 4),
            Contoso.alice: AccessControlEntry(descriptor: Contoso.alice, allow: 0, deny: 0),
        ])
        var b = a
        b.token = "repov2/x"
        b.entries = [
            IdentityDescriptor(Contoso.carol.rawValue.uppercased()): AccessControlEntry(
                descriptor: IdentityDescriptor(Contoso.carol.rawValue.uppercased()), allow: 0, deny: 4),
            Contoso.bob: AccessControlEntry(descriptor: Contoso.bob, allow: 2, deny: 0),
        ]
        #expect(Fingerprint.acl(a) == Fingerprint.acl(b))
        var c = b
        c.inheritPermissions = false
        #expect(Fingerprint.acl(c) != Fingerprint.acl(b))
        #expect(Fingerprint.acl(nil) != Fingerprint.acl(AccessControlList(namespaceId: NamespaceID.git, token: "x")))
        #expect(Fingerprint.aclKey(namespaceId: NamespaceID.git, token: "repoV2/X/", separator: "/") == "\(NamespaceID.git)|repov2/x")
    }

    @Test func changeIdsAreContentDerived() throws {
        let seed = try Scenario.seed.plan()
        let inherited = try Scenario.inheritedDeny.plan()
        let a = try #require(seed.finding("pr-reviewer")?.remedy(.serviceConnection)?.changes.first)
        let b = try #require(inherited.finding("pr-reviewer")?.remedy(.serviceConnection)?.changes.first)
        #expect(a.id == b.id && a.id.count == 14 && a.id.hasPrefix("c-") && a.hasValidId)
        var tampered = a
        tampered.after = .object(["allow": .int(1), "deny": .int(0)])
        #expect(!tampered.hasValidId)
    }
}
