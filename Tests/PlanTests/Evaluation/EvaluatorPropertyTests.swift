import Plan
import PropertyBased
import Testing

/// A small random organization: one hierarchical namespace, a 4-level token chain, users and groups with random
/// (acyclic) memberships, random ACEs and inheritance flags. Built deterministically from a list of integers so
/// PropertyBased can shrink failures.
struct RandomOrg: CustomStringConvertible {
    static let namespace = SecurityNamespace(
        id: "00000000-0000-4000-8000-0000000000aa", name: "Test", separator: "/", isHierarchical: true,
        actions: (0..<4).map { SecurityNamespace.Action(bit: 1 << $0, name: "Bit\($0)", displayName: "Bit \($0)") })
    static let tokens = ["root", "root/a", "root/a/b", "root/a/b/c"]
    static let users = (0..<3).map { IdentityDescriptor("User;u\($0)") }
    static let groups = (0..<4).map { IdentityDescriptor("Group;g\($0)") }
    static var descriptors: [IdentityDescriptor] { users + groups }

    var state: OrgState
    var seeds: [Int]

    init(_ seeds: [Int]) {
        self.seeds = seeds
        var values = seeds.makeIterator()
        func next(_ bound: Int) -> Int { (values.next() ?? 0).magnitude.quotientAndRemainder(dividingBy: UInt(bound)).remainder.int }
        var memberships: [Membership] = []
        for user in Self.users where next(3) > 0 {
            memberships.append(Membership(member: user, container: Self.groups[next(4)]))
        }
        for (index, group) in Self.groups.enumerated().dropLast() where next(2) == 1 {
            // Only towards higher-numbered groups: acyclic.
            memberships.append(Membership(member: group, container: Self.groups[index + 1 + next(Self.groups.count - index - 1)]))
        }
        var acls: [AccessControlList] = []
        for token in Self.tokens {
            var entries: [IdentityDescriptor: AccessControlEntry] = [:]
            for _ in 0..<next(4) {
                let descriptor = Self.descriptors[next(Self.descriptors.count)]
                entries[descriptor] = AccessControlEntry(descriptor: descriptor, allow: next(16), deny: next(16) & next(16))
            }
            acls.append(AccessControlList(namespaceId: Self.namespace.id, token: token,
                                          inheritPermissions: next(5) > 0, entries: entries))
        }
        state = OrgState(
            organization: OrganizationInfo(name: "r", url: "https://dev.azure.com/r", collectionId: "c", hostId: "h",
                                           tenantId: "t"),
            namespaces: [Self.namespace], memberships: memberships, acls: acls)
    }

    var description: String { "RandomOrg(\(seeds))" }

    /// Per-bit reference evaluation, written independently of `Evaluator`: naive recursive group expansion, string
    /// parent tokens, one bit at a time.
    func reference(_ token: String, _ subject: IdentityDescriptor) -> (allow: Int, deny: Int) {
        func groups(of member: IdentityDescriptor) -> Set<IdentityDescriptor> {
            var result: Set<IdentityDescriptor> = []
            for edge in state.memberships where edge.member == member {
                result.insert(edge.container)
                result.formUnion(groups(of: edge.container))
            }
            return result
        }
        let ids = groups(of: subject).union([subject])
        var allow = 0
        var deny = 0
        for bit in (0..<4).map({ 1 << $0 }) {
            var current: String? = token
            while let t = current {
                if let acl = state.acls.first(where: { $0.token == t }) {
                    let entries = acl.entries.values.filter { ids.contains($0.descriptor) }
                    if entries.contains(where: { $0.deny & bit != 0 }) { deny |= bit; break }
                    if entries.contains(where: { $0.allow & bit != 0 }) { allow |= bit; break }
                    if !acl.inheritPermissions { break }
                }
                current = t.contains("/") ? String(t[..<t.lastIndex(of: "/")!]) : nil
            }
        }
        return (allow, deny)
    }

    func evaluate(_ token: String, _ subject: IdentityDescriptor, state: OrgState? = nil) -> Evaluation {
        Evaluator(index: OrgIndex(state ?? self.state)).evaluate(
            namespaceId: Self.namespace.id, token: token, subject: subject, bits: 15)
    }
}

extension UInt { fileprivate var int: Int { Int(self) } }

@Suite struct EvaluatorPropertyTests {
    static let orgs = Gen.int(in: 0...1_000_000).array(of: 40...60).map { RandomOrg($0) }
    static let choice = Gen.int(in: 0...1_000)

    @Test func agreesWithAPerBitReferenceEvaluator() async {
        await propertyCheck(count: 300, input: Self.orgs) { org in
            for token in RandomOrg.tokens {
                for subject in RandomOrg.descriptors {
                    let result = org.evaluate(token, subject)
                    let expected = org.reference(token, subject)
                    #expect(result.effectiveAllow == expected.allow, "\(token) \(subject)")
                    #expect(result.effectiveDeny == expected.deny, "\(token) \(subject)")
                }
            }
        }
    }

    @Test func causesPartitionTheMissingBits() async {
        await propertyCheck(count: 200, input: Self.orgs) { org in
            for subject in RandomOrg.users {
                let result = org.evaluate("root/a/b/c", subject)
                let notSet = result.causes.filter { $0.kind == .notSet }.reduce(0) { $0 | $1.bits }
                let denied = result.causes.filter { $0.kind != .notSet }.reduce(0) { $0 | $1.bits }
                #expect(notSet | denied == result.missing)
                #expect(notSet & denied == 0)
                #expect(denied == result.denied)
                #expect(result.grants.reduce(0) { $0 | $1.bits } == result.allowed)
            }
        }
    }

    @Test func addingAnAllowNeverRemovesAGrantedBit() async {
        await propertyCheck(count: 200, input: Self.orgs, Self.choice) { org, choice in
            let token = RandomOrg.tokens[choice % 4]
            let who = RandomOrg.descriptors[choice % RandomOrg.descriptors.count]
            let bit = 1 << (choice % 4)
            var changed = org.state
            let index = changed.acls.firstIndex { $0.token == token }!
            var entry = changed.acls[index].entries[who] ?? AccessControlEntry(descriptor: who, allow: 0, deny: 0)
            entry.allow |= bit
            changed.acls[index].entries[who] = entry
            for subject in RandomOrg.users {
                for evaluated in RandomOrg.tokens {
                    let before = org.evaluate(evaluated, subject).effectiveAllow
                    let after = org.evaluate(evaluated, subject, state: changed).effectiveAllow
                    #expect(after & before == before)
                }
                // On the most specific token, the new Allow grants the bit unless a Deny at that level reaches the subject.
                if token == "root/a/b/c" && (who == subject || OrgIndex(org.state).groups(of: subject).contains(who)) {
                    let ids = OrgIndex(org.state).identitySet(of: subject)
                    let deniedHere = changed.acls[index].entries.values.contains { ids.contains($0.descriptor) && $0.deny & bit != 0 }
                    let after = org.evaluate(token, subject, state: changed)
                    #expect((after.effectiveAllow & bit != 0) == !deniedHere)
                }
            }
        }
    }

    @Test func aDenyAtTheMostSpecificLevelAlwaysDenies() async {
        await propertyCheck(count: 200, input: Self.orgs, Self.choice) { org, choice in
            let subject = RandomOrg.users[choice % RandomOrg.users.count]
            let ids = Array(OrgIndex(org.state).identitySet(of: subject)).sorted()
            let who = ids[choice % ids.count]
            let bit = 1 << (choice % 4)
            var changed = org.state
            let index = changed.acls.firstIndex { $0.token == "root/a/b/c" }!
            var entry = changed.acls[index].entries[who] ?? AccessControlEntry(descriptor: who, allow: 0, deny: 0)
            entry.deny |= bit
            changed.acls[index].entries[who] = entry
            let after = org.evaluate("root/a/b/c", subject, state: changed)
            #expect(after.effectiveAllow & bit == 0)
            #expect(after.causes.contains { $0.bits & bit != 0 && $0.descriptor == who && !$0.inherited })
        }
    }

    @Test func inheritanceOffIgnoresEveryAncestor() async {
        await propertyCheck(count: 200, input: Self.orgs) { org in
            var blocked = org.state
            let index = blocked.acls.firstIndex { $0.token == "root/a/b" }!
            blocked.acls[index].inheritPermissions = false
            var pruned = blocked
            pruned.acls.removeAll { $0.token == "root" || $0.token == "root/a" }
            for subject in RandomOrg.descriptors {
                let a = org.evaluate("root/a/b/c", subject, state: blocked)
                let b = org.evaluate("root/a/b/c", subject, state: pruned)
                #expect(a.effectiveAllow == b.effectiveAllow && a.effectiveDeny == b.effectiveDeny)
            }
        }
    }
}
