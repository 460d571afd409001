import PropertyBased
import Testing

@testable import ADOEmulator

/// The emulator's own evaluator on hand-built ACLs (no HTTP).
@Suite("Evaluator")
struct EvaluatorTests {
    static let git = Namespace(
        id: "2e9eb7ed-3c0a-47d4-87c1-0ffdd275fd87",
        name: "Git Repositories",
        displayName: "Git Repositories",
        separator: "/",
        elementLength: -1,
        isHierarchical: true,
        readPermission: 2,
        writePermission: 8192,
        actions: [.init(bit: 4, name: "GenericContribute", displayName: "Contribute")],
        raw: .null
    )
    static let css = Namespace(
        id: "83e28ad4-2d72-4ceb-97b0-c7726d5502c3",
        name: "CSS",
        displayName: "CSS",
        separator: ":",
        elementLength: -1,
        isHierarchical: true,
        readPermission: 1,
        writePermission: 2,
        actions: [],
        raw: .null
    )

    static let user = "user;u"
    static let groupA = "group;a"
    static let groupB = "group;b"

    static func acl(_ token: String, inherit: Bool = true, _ entries: [(String, Int, Int)]) -> (String, StoredACL) {
        var aces: [String: StoredACE] = [:]
        for (descriptor, allow, deny) in entries {
            aces[descriptor] = StoredACE(descriptor: descriptor, allow: allow, deny: deny)
        }
        return (Tokens.key(token, in: git), StoredACL(token: token, inheritPermissions: inherit, aces: aces))
    }

    static func evaluator(_ acls: [(String, StoredACL)]) -> Evaluator {
        Evaluator(namespace: git, acls: Dictionary(uniqueKeysWithValues: acls))
    }

    /// root `repoV2`: allow 2|4, deny 8 · project `repoV2/p`: allow 16, deny 4 · repo `repoV2/p/r`: allow 32.
    static func chain(rootInherit: Bool = true, projectInherit: Bool = true, repoInherit: Bool = true) -> Evaluator {
        evaluator([
            Self.acl("repoV2", inherit: rootInherit, [(user, 2 | 4, 8)]),
            Self.acl("repoV2/p", inherit: projectInherit, [(user, 16, 4)]),
            Self.acl("repoV2/p/r", inherit: repoInherit, [(user, 32, 0)]),
        ])
    }

    @Test func extendedInfoOnAThreeLevelChainWithInheritance() {
        let info = Self.chain().extendedInfo(token: "repoV2/p/r", descriptorKey: Self.user)
        // Nearest ancestor decides: 4 is denied at the project level before the root's allow is consulted.
        #expect(
            info
                == ExtendedInfo(
                    inheritedAllow: 2 | 16,
                    inheritedDeny: 4 | 8,
                    effectiveAllow: 2 | 16 | 32,
                    effectiveDeny: 4 | 8
                )
        )
        #expect(info.json == ["inheritedAllow": 18, "inheritedDeny": 12, "effectiveAllow": 50, "effectiveDeny": 12])
    }

    @Test func extendedInfoWhenTheTokenDoesNotInherit() {
        let info = Self.chain(repoInherit: false).extendedInfo(token: "repoV2/p/r", descriptorKey: Self.user)
        #expect(info == ExtendedInfo(inheritedAllow: 0, inheritedDeny: 0, effectiveAllow: 32, effectiveDeny: 0))
        #expect(info.json == ["effectiveAllow": 32])
    }

    @Test func extendedInfoWhenTheMiddleLevelDoesNotInherit() {
        // The project's own entries still flow down; the root's stop at the project.
        let info = Self.chain(projectInherit: false).extendedInfo(token: "repoV2/p/r", descriptorKey: Self.user)
        #expect(info == ExtendedInfo(inheritedAllow: 16, inheritedDeny: 4, effectiveAllow: 16 | 32, effectiveDeny: 4))
    }

    @Test func extendedInfoExcludesExplicitBitsAndOmitsZeroMembers() {
        let evaluator = Self.evaluator([
            Self.acl("repoV2/p", [(Self.user, 4, 0)]), Self.acl("repoV2/p/r", [(Self.user, 0, 4)]),
        ])
        let info = evaluator.extendedInfo(token: "repoV2/p/r", descriptorKey: Self.user)
        #expect(info == ExtendedInfo(inheritedAllow: 0, inheritedDeny: 0, effectiveAllow: 0, effectiveDeny: 4))
        #expect(evaluator.extendedInfo(token: "repoV2/other", descriptorKey: "nobody;x").json == [:])
    }

    @Test func denyBeatsAllowAcrossGroupsAtOneLevel() {
        let evaluator = Self.evaluator([Self.acl("repoV2/p", [(Self.groupA, 4 | 2, 0), (Self.groupB, 0, 4)])])
        let decision = evaluator.effective(token: "repoV2/p/r", identitySet: [Self.user, Self.groupA, Self.groupB])
        #expect(decision == Evaluator.Decision(allow: 2, deny: 4))
        #expect(evaluator.allows(2, token: "repoV2/p/r", identitySet: [Self.user, Self.groupA]))
        #expect(!evaluator.allows(4, token: "repoV2/p/r", identitySet: [Self.user, Self.groupA, Self.groupB]))
    }

    @Test func moreSpecificAllowBeatsInheritedGroupDeny() {
        let evaluator = Self.evaluator([
            Self.acl("repoV2/p", [(Self.groupA, 0, 4)]), Self.acl("repoV2/p/r", [(Self.user, 4, 0)]),
        ])
        #expect(evaluator.allows(4, token: "repoV2/p/r", identitySet: [Self.user, Self.groupA]))
        #expect(!evaluator.allows(4, token: "repoV2/p/other", identitySet: [Self.user, Self.groupA]))
    }

    @Test func unsetIsDenied() {
        #expect(
            Self.evaluator([]).effective(token: "repoV2/p", identitySet: [Self.user])
                == Evaluator.Decision(allow: 0, deny: 0)
        )
    }

    @Test func tokensIgnoreCaseAndTrailingSeparators() {
        let evaluator = Self.evaluator([Self.acl("repoV2/P/R/refs/heads/6d00610069006e00/", [(Self.user, 16, 0)])])
        #expect(evaluator.allows(16, token: "REPOV2/p/r/refs/heads/6d00610069006e00", identitySet: [Self.user]))
        #expect(Tokens.key("NAMESPACE:", in: Self.css) == Tokens.key("namespace", in: Self.css))
    }

    @Test func vstfsURIsAreSingleElements() {
        let root = "vstfs:///Classification/Node/11111111-1111-1111-1111-111111111111"
        let child = root + ":vstfs:///Classification/Node/22222222-2222-2222-2222-222222222222"
        #expect(Tokens.chain(Tokens.key(child, in: Self.css), in: Self.css) == [child.lowercased(), root.lowercased()])
        let project = "$PROJECT:vstfs:///Classification/TeamProject/a6845a01-3c2b-4d5e-8f70-1a2b3c4d5e6f"
        #expect(Tokens.chain(Tokens.key(project, in: Self.css), in: Self.css).last == "$project")
        #expect(Tokens.chain("$process:a:b", in: Self.css) == ["$process:a:b", "$process:a", "$process"])
    }

    @Test func branchTokensUseUTF16LittleEndianHexPerSegment() {
        #expect(GitTokens.encodeSegment("main") == "6d00610069006e00")
        #expect(GitTokens.encodeSegment("master") == "6d0061007300740065007200")
        #expect(
            GitTokens.refToken(repositoryToken: "repoV2/p/r", refName: "refs/heads/release/1.0")
                == "repoV2/p/r/refs/heads/720065006c006500610073006500/31002e003000"
        )
        #expect(
            GitTokens.refToken(repositoryToken: "repoV2/p/r", refName: "refs/heads/agent/x")
                .hasPrefix("repoV2/p/r/refs/heads/6100670065006e007400/")
        )
    }

    // MARK: properties

    static let bits = Gen.int(in: 0...0xFF)

    @Test func effectiveAllowAndDenyAreDisjoint() async {
        await propertyCheck(input: Self.bits, Self.bits, Self.bits, Self.bits) { a, d, childAllow, childDeny in
            let evaluator = Self.evaluator([
                Self.acl("repoV2/p", [(Self.groupA, a, d)]),
                Self.acl("repoV2/p/r", [(Self.user, childAllow, childDeny)]),
            ])
            let decision = evaluator.effective(token: "repoV2/p/r", identitySet: [Self.user, Self.groupA])
            #expect(decision.allow & decision.deny == 0)
        }
    }

    @Test func addingADenyNeverGrantsMore() async {
        await propertyCheck(input: Self.bits, Self.bits, Self.bits, Self.bits) { a, d, extra, level in
            let token = level % 2 == 0 ? "repoV2/p" : "repoV2/p/r"
            let before = Self.evaluator([Self.acl("repoV2/p", [(Self.groupA, a, d)])])
            var acls = [Self.acl("repoV2/p", [(Self.groupA, a, d)])]
            if token == "repoV2/p" {
                acls = [Self.acl("repoV2/p", [(Self.groupA, a, d), (Self.groupB, 0, extra)])]
            } else {
                acls.append(Self.acl("repoV2/p/r", [(Self.groupB, 0, extra)]))
            }
            let after = Self.evaluator(acls)
            let set: Set<String> = [Self.user, Self.groupA, Self.groupB]
            let allowedBefore = before.effective(token: "repoV2/p/r", identitySet: set).allow
            let allowedAfter = after.effective(token: "repoV2/p/r", identitySet: set).allow
            #expect(allowedAfter & ~allowedBefore == 0)
            #expect(allowedAfter & extra == 0)
        }
    }

    @Test func mergeNeverLeavesABitOnBothSides() async {
        await propertyCheck(input: Self.bits, Self.bits, Self.bits, Self.bits) { storedAllow, storedDeny, allow, deny in
            let stored = StoredACE(descriptor: Self.user, allow: storedAllow & ~storedDeny, deny: storedDeny)
            for merge in [true, false] {
                let result = ACEMerge.apply(stored: stored, incomingAllow: allow, incomingDeny: deny, merge: merge)
                #expect(result.allow & result.deny == 0)
                #expect(result.deny & deny == deny)
                if merge {
                    // Bits the request does not mention keep their stored value.
                    let untouched = ~(allow | deny)
                    #expect(result.allow & untouched == stored.allow & untouched)
                    #expect(result.deny & untouched == stored.deny & untouched)
                }
            }
        }
    }

    @Test func canonicalKeysAreIdempotent() async {
        await propertyCheck(input: Gen.letterOrNumber.string(of: 1...8).array(of: 1...5)) { parts in
            let token = "repoV2/" + parts.joined(separator: "/")
            let key = Tokens.key(token, in: Self.git)
            #expect(Tokens.key(key, in: Self.git) == key)
            #expect(Tokens.key(token + "/", in: Self.git) == key)
            #expect(Tokens.chain(key, in: Self.git).count == parts.count + 1)
        }
    }
}
