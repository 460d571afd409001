import PropertyBased
import Testing

@testable import ADOEmulator

/// The ACL index behind recursive queries and the dump order.
@Suite("ACL table")
struct ACLTableTests {
    static let git = EvaluatorTests.git
    static let segment = Gen.int(in: 0...3).map { ["a", "b", "ab", "b0"][$0] }
    static let token = segment.array(of: 1...4).map { "repoV2/" + $0.joined(separator: "/") }

    static func acl(_ token: String) -> StoredACL {
        StoredACL(
            token: token,
            inheritPermissions: true,
            aces: ["x;1": StoredACE(descriptor: "x;1", allow: 1, deny: 0)]
        )
    }

    @Test func descendantsAreExactlyTheTokensBelowInOrder() async {
        await propertyCheck(input: Self.token.array(of: 0...30), Self.token) { tokens, probe in
            var table = ACLTable()
            for token in tokens { table[Tokens.key(token, in: Self.git)] = Self.acl(token) }
            let key = Tokens.key(probe, in: Self.git)
            let expected = Set(tokens.map { Tokens.key($0, in: Self.git) })
                .filter { Tokens.isDescendant($0, of: key, in: Self.git) }
                .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            #expect(table.descendantKeys(of: key, in: Self.git) == expected)
            #expect(table.descendants(of: "repov2", in: Self.git).count == table.count)
        }
    }

    @Test func keysStayOrderedThroughInsertsAndRemovals() async {
        await propertyCheck(input: Self.token.array(of: 0...40), Gen.int(in: 0...40)) { tokens, removals in
            var table = ACLTable()
            for token in tokens { table[Tokens.key(token, in: Self.git)] = Self.acl(token) }
            for token in tokens.prefix(removals) { table[Tokens.key(token, in: Self.git)] = nil }
            let keys = table.sortedKeys
            #expect(keys == keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
            #expect(Set(keys) == Set(table.entries.keys) && keys.count == table.count)
        }
    }
}
