import Plan
import Testing

@Suite struct EvaluatorTests {
    let repo = "repoV2/\(Contoso.payments)/\(Contoso.paymentsApi)"
    let project = "repoV2/\(Contoso.payments)"

    func evaluate(_ state: OrgState, _ token: String, _ subject: IdentityDescriptor, _ bits: Int) -> Evaluation {
        Evaluator(index: OrgIndex(state)).evaluate(namespaceId: NamespaceID.git, token: token, subject: subject, bits: bits)
    }

    @Test func theSeedIsAnExplicitDenyOnTheRepository() {
        let result = evaluate(Contoso.state(), repo, Contoso.collectionBuildService, 16384 | 2)
        #expect(result.allowed == 2 && result.missing == 16384)
        #expect(result.causes == [DenyCause(
            kind: .explicitDeny, bits: 16384, token: repo, tokenKey: repo.lowercased(), descriptor: Contoso.collectionBuildService)])
        #expect(result.grants.map(\.token) == [project] && result.grants.allSatisfy(\.inherited))
        // The project build service is not denied: it inherits Contributors-like bits from repoV2/{project}.
        #expect(evaluate(Contoso.state(), repo, Contoso.paymentsBuildService, 16384).isSatisfied)
    }

    @Test func inheritedDenyNamesTheAncestorToken() {
        var state = Contoso.state()
        state.removeACE(NamespaceID.git, repo, Contoso.collectionBuildService)
        state.setACE(NamespaceID.git, project, Contoso.collectionBuildService, allow: 2, deny: 16384)
        let result = evaluate(state, repo, Contoso.collectionBuildService, 16384)
        #expect(result.causes.map(\.kind) == [.inheritedDeny])
        #expect(result.causes.first?.token == project && result.causes.first?.inherited == true)
    }

    @Test func groupDenyNamesTheMembershipPath() {
        var state = Contoso.state()
        state.removeACE(NamespaceID.git, repo, Contoso.collectionBuildService)
        state.setACE(NamespaceID.git, repo, Contoso.paymentsGroups.validUsers, deny: 16384)
        let result = evaluate(state, repo, Contoso.collectionBuildService, 16384)
        #expect(result.causes == [DenyCause(
            kind: .groupDeny, bits: 16384, token: repo, tokenKey: repo.lowercased(), descriptor: Contoso.paymentsGroups.validUsers,
            via: [Contoso.buildServiceAccounts, Contoso.paymentsGroups.validUsers])])
        // The SPN is in [Payments]\Readers, a member of Project Valid Users: the same Deny reaches it.
        let spn = evaluate(state, repo, Contoso.spn, 16384)
        #expect(spn.causes.first?.via == [Contoso.paymentsGroups.readers, Contoso.paymentsGroups.validUsers])
    }

    @Test func denyBeatsAllowWithinALevelAndSpecificityBeatsInheritance() {
        var state = Contoso.state()
        // Same level: the subject's own Allow loses to its group's Deny.
        state.setACE(NamespaceID.git, repo, Contoso.bob, allow: 16384)
        state.setACE(NamespaceID.git, repo, Contoso.paymentsGroups.contributors, deny: 16384)
        #expect(evaluate(state, repo, Contoso.bob, 16384).causes.map(\.kind) == [.groupDeny])
        // A more specific Allow wins over an inherited Deny.
        let branch = repo + "/refs/heads/6d00610069006e00"
        state.setACE(NamespaceID.git, branch, Contoso.bob, allow: 16384)
        #expect(evaluate(state, branch, Contoso.bob, 16384).isSatisfied)
    }

    @Test func inheritanceOffStopsAncestorsAndSaysWhere() {
        var state = Contoso.state()
        state.setACE(NamespaceID.git, repo, Contoso.alice, allow: 0, inherit: false)
        let result = evaluate(state, repo, Contoso.carol, 2)
        #expect(result.causes == [DenyCause(kind: .notSet, bits: 2, inheritanceBlockedAt: repo)])
        // Not set without any blocking ACL.
        let plain = evaluate(Contoso.state(), repo, Contoso.carol, 16384)
        #expect(plain.causes == [DenyCause(kind: .notSet, bits: 16384)])
    }

    @Test func tokensMatchWithoutCaseOrTrailingSeparator() {
        var state = Contoso.state()
        state.acls = state.acls.map { acl in
            var copy = acl
            if acl.token == repo { copy.token = repo.uppercased() + "/" }
            return copy
        }
        let result = evaluate(state, repo, Contoso.collectionBuildService, 16384)
        #expect(result.causes.first?.kind == .explicitDeny && result.causes.first?.token == repo.uppercased() + "/")
    }

    @Test func jobIdentityFollowsTheSettings() {
        var state = Contoso.state()
        func job(_ id: Int) -> JobIdentity {
            let index = OrgIndex(state)
            return JobIdentity.of(index.definition(id: id)!, in: index)
        }
        #expect(job(12).scope == .collection && job(12).descriptor == Contoso.collectionBuildService)
        #expect(job(12).displayName == "Project Collection Build Service (contoso)")
        #expect(job(2560).reason == .projectSetting && job(2560).descriptor == Contoso.sharedBuildService)
        #expect(job(3001).reason == .publicProject)
        // Classic definitions honour their own scope only when nothing above enforces it.
        let classic = state.buildDefinitions.firstIndex { $0.id == 57 }!
        state.buildDefinitions[classic].jobAuthorizationScope = .project
        #expect(job(57).reason == .definitionSetting)
        state.buildDefinitions[classic].jobAuthorizationScope = .projectCollection
        state.buildDefinitions[state.buildDefinitions.firstIndex { $0.id == 12 }!].jobAuthorizationScope = .project
        #expect(job(12).scope == .collection, "YAML pipelines have no per-pipeline switch")
        state.pipelineSettings.organization.values["enforceJobAuthScope"] = true
        #expect(job(12).reason == .organizationSetting && job(12).descriptor == Contoso.paymentsBuildService)
        #expect(job(3001).reason == .publicProject)
    }
}
