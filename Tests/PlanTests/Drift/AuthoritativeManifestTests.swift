import Plan
import Testing

/// `authoritative: true` on allow entries (drift: every other bit the subject holds on the token is drift).
@Suite struct AuthoritativeManifestTests {
    static func manifest(_ flag: String, forbid: Bool = false) -> String {
        """
        version: 1
        requirements:
          - id: carol-reads
            subject: { identity: carol@contoso.com }
            allow:
              - git: { project: Payments, repository: payments-api }
                permissions: [GenericRead]
        \(flag.isEmpty ? "" : "        authoritative: \(flag)")
              - git: { project: Payments, repository: payments-docs }
                permissions: [GenericRead]
        """
            + (forbid
                ? """

                forbid:
                  - id: no-push
                    subject: { identity: carol@contoso.com }
                    git: { project: Payments, repository: payments-api }
                    permissions: [GenericContribute]
                    authoritative: true
                """ : "")
    }

    @Test func theFlagReachesTheBoundCheckOfItsEntryOnly() throws {
        let manifest = try Manifest.parse(Self.manifest("true"), file: "adoperm.yaml")
        guard case .explicit(_, let allow) = manifest.entries[0].body else {
            Issue.record("not an explicit requirement")
            return
        }
        #expect(allow.map(\.authoritative) == [true, false])
        let index = OrgIndex(Contoso.state())
        let bound = try Binder.bind(try ManifestExpander.expand(manifest, index: index), to: index)
        #expect(bound.checks.map(\.authoritative) == [true, false])
        let off = try Manifest.parse(Self.manifest("false"), file: "adoperm.yaml")
        guard case .explicit(_, let plain) = off.entries[0].body else { return }
        #expect(plain.map(\.authoritative) == [false, false])
    }

    @Test func anythingButABooleanIsAnError() {
        #expect(
            parseErrors(Self.manifest("yes"))
                == ["adoperm.yaml:8:24: error: found 'yes' for 'authoritative', expected true or false"]
        )
        #expect(
            parseErrors(Self.manifest("\"true\"")) == [
                "adoperm.yaml:8:24: error: found 'true' for 'authoritative', expected true or false"
            ]
        )
    }

    @Test func forbidRulesHaveNoAuthoritativeKey() throws {
        let errors = try #require(parseErrors(Self.manifest("", forbid: true)))
        #expect(errors.count == 1)
        #expect(errors[0].hasPrefix("adoperm.yaml:16:5: error: unknown key 'authoritative' in a forbid rule"))
    }
}
