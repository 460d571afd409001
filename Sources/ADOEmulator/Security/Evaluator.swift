/// The emulator's own permission evaluator (written independently of the planner's, so the two can check each
/// other). Rules, reference/ado-rest.md §13:
///
/// - walk the token from the most specific level towards the root;
/// - at each level that has an ACL, combine the ACEs of every descriptor in the identity set (the identity
///   and all its groups, transitively): Deny beats Allow within a level;
/// - the most specific level that sets a bit decides it; lower levels are not consulted for that bit;
/// - an ACL with `inheritPermissions: false` stops the walk after its own level;
/// - a bit no level sets is not allowed.
struct Evaluator {
    let namespace: Namespace
    let acls: [String: StoredACL]

    struct Decision: Sendable, Equatable {
        var allow: Int
        var deny: Int
    }

    /// Effective allow/deny for an identity set at a token.
    func effective(token: String, identitySet: Set<String>) -> Decision {
        var allow = 0
        var deny = 0
        var decided = 0
        for level in Tokens.chain(Tokens.key(token, in: namespace), in: namespace) {
            guard let acl = acls[level] else { continue }
            var levelAllow = 0
            var levelDeny = 0
            for key in identitySet {
                guard let ace = acl.aces[key] else { continue }
                levelAllow |= ace.allow
                levelDeny |= ace.deny
            }
            let newDeny = levelDeny & ~decided
            let newAllow = levelAllow & ~levelDeny & ~decided
            deny |= newDeny
            allow |= newAllow
            decided |= newDeny | newAllow
            if !acl.inheritPermissions { break }
        }
        return Decision(allow: allow, deny: deny)
    }

    /// Whether every bit of `bits` is effectively allowed.
    func allows(_ bits: Int, token: String, identitySet: Set<String>) -> Bool {
        effective(token: token, identitySet: identitySet).allow & bits == bits
    }

    /// `AceExtendedInformation` of one descriptor's entry on the ACL at `token` (reference/ado-rest.md §13.4):
    /// computed for that descriptor alone, without its groups (as the az CLI reads it). Inherited bits come from
    /// the nearest ancestor that sets them (only if the ACL at `token` inherits) and exclude the bits the entry
    /// sets explicitly.
    func extendedInfo(token: String, descriptorKey: String) -> ExtendedInfo {
        let key = Tokens.key(token, in: namespace)
        let chain = Tokens.chain(key, in: namespace)
        let explicit = acls[key]?.aces[descriptorKey]
        let explicitAllow = explicit?.allow ?? 0
        let explicitDeny = explicit?.deny ?? 0
        var inheritedAllow = 0
        var inheritedDeny = 0
        if acls[key]?.inheritPermissions ?? true {
            var decided = 0
            for level in chain.dropFirst() {
                guard let acl = acls[level] else { continue }
                if let ace = acl.aces[descriptorKey] {
                    let newDeny = ace.deny & ~decided
                    let newAllow = ace.allow & ~ace.deny & ~decided
                    inheritedDeny |= newDeny
                    inheritedAllow |= newAllow
                    decided |= newDeny | newAllow
                }
                if !acl.inheritPermissions { break }
            }
        }
        let explicitBits = explicitAllow | explicitDeny
        inheritedAllow &= ~explicitBits
        inheritedDeny &= ~explicitBits
        return ExtendedInfo(
            inheritedAllow: inheritedAllow,
            inheritedDeny: inheritedDeny,
            effectiveAllow: (explicitAllow & ~explicitDeny) | inheritedAllow,
            effectiveDeny: explicitDeny | inheritedDeny
        )
    }
}

/// The four `extendedInfo` members of an ACE.
struct ExtendedInfo: Sendable, Equatable {
    var inheritedAllow: Int
    var inheritedDeny: Int
    var effectiveAllow: Int
    var effectiveDeny: Int

    /// Wire form: members that are 0 are omitted (`{}` when all are).
    var json: JSON {
        var object = JSONObject()
        if inheritedAllow != 0 { object["inheritedAllow"] = .int(inheritedAllow) }
        if inheritedDeny != 0 { object["inheritedDeny"] = .int(inheritedDeny) }
        if effectiveAllow != 0 { object["effectiveAllow"] = .int(effectiveAllow) }
        if effectiveDeny != 0 { object["effectiveDeny"] = .int(effectiveDeny) }
        return .object(object)
    }
}

/// How an incoming ACE combines with the stored one (reference/ado-rest.md §2.4, UNCONFIRMED bit rule):
/// a bit set in both allow and deny of the request is a deny; `merge: false` replaces the stored entry;
/// `merge: true` adds the new bits and removes them from the opposite side, leaving unmentioned bits alone.
enum ACEMerge {
    static func apply(stored: StoredACE?, incomingAllow: Int, incomingDeny: Int, merge: Bool) -> (allow: Int, deny: Int)
    {
        let allowIn = incomingAllow & ~incomingDeny
        guard merge, let stored else { return (allowIn, incomingDeny) }
        let allow = (stored.allow | allowIn) & ~incomingDeny
        let deny = (stored.deny | incomingDeny) & ~allowIn
        return (allow, deny)
    }
}
