/// Why a requested bit is not effectively allowed.
public struct DenyCause: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, Codable {
        /// A Deny on the requested token for the subject's own descriptor.
        case explicitDeny = "explicit-deny"
        /// A Deny for the subject's own descriptor on an ancestor token.
        case inheritedDeny = "inherited-deny"
        /// A Deny for one of the subject's groups (on this token or an ancestor: see `inherited`).
        case groupDeny = "group-deny"
        /// No level sets the bit for the subject or its groups: implicitly denied.
        case notSet = "not-set"
    }

    public var kind: Kind
    /// The requested bits this cause denies.
    public var bits: Int
    /// The ACL token where the Deny lives (as stored); nil for `notSet`.
    public var token: String?
    /// The canonical key of that token.
    public var tokenKey: String?
    /// The descriptor of the denying ACE (the subject itself or a group).
    public var descriptor: IdentityDescriptor?
    /// Membership path from the subject to the denying group (`[direct group, …, group]`).
    public var via: [IdentityDescriptor]
    /// True when the Deny lives on an ancestor of the requested token.
    public var inherited: Bool
    /// For `notSet`: the token whose ACL stops inheritance (`inheritPermissions: false`), if that is why an
    /// ancestor's Allow does not reach the requested token.
    public var inheritanceBlockedAt: String?

    public init(
        kind: Kind,
        bits: Int,
        token: String? = nil,
        tokenKey: String? = nil,
        descriptor: IdentityDescriptor? = nil,
        via: [IdentityDescriptor] = [],
        inherited: Bool = false,
        inheritanceBlockedAt: String? = nil
    ) {
        self.kind = kind
        self.bits = bits
        self.token = token
        self.tokenKey = tokenKey
        self.descriptor = descriptor
        self.via = via
        self.inherited = inherited
        self.inheritanceBlockedAt = inheritanceBlockedAt
    }
}

/// Where an effectively allowed bit comes from (the deciding Allow).
public struct GrantSource: Sendable, Hashable {
    public var bits: Int
    public var token: String
    public var tokenKey: String
    public var descriptor: IdentityDescriptor
    public var via: [IdentityDescriptor]
    public var inherited: Bool
}

/// The effective permission of one subject on one token, with the reason for every requested bit.
public struct Evaluation: Sendable, Hashable {
    public var namespaceId: String
    public var token: String
    public var subject: IdentityDescriptor
    public var requested: Int
    /// Every bit effectively allowed (not only requested ones).
    public var effectiveAllow: Int
    /// Every bit decided as Deny by an explicit ACE at some level.
    public var effectiveDeny: Int
    /// One entry per denying ACE (or the not-set remainder), most specific level first.
    public var causes: [DenyCause]
    /// One entry per deciding Allow ACE of a requested bit.
    public var grants: [GrantSource]

    public var allowed: Int { requested & effectiveAllow }
    public var missing: Int { requested & ~effectiveAllow }
    public var isSatisfied: Bool { missing == 0 }
    /// Requested bits an explicit Deny decides (the rest of `missing` is not set).
    public var denied: Int { requested & effectiveDeny }
}

/// Effective permissions (reference/ado-rest.md §13.3): walk the token from specific to root while the ACL
/// inherits; at each level take the subject and all its transitive groups; the most specific level that sets a
/// bit decides it; Deny beats Allow within a level; unset means denied.
///
/// Project Collection Administrators' bypass (`alwaysAllowAdministrators`) is not modelled: pipelines' calls and
/// work-item operations do not get it, and adoperm reasons about what a token's identity can do.
public struct Evaluator: Sendable {
    public let index: OrgIndex
    /// Replacement ACLs by ACL key, so a remedy's changes can be tried without touching the state.
    var overlay: [String: AccessControlList] = [:]

    public init(index: OrgIndex) { self.index = index }

    /// An evaluator that sees `changes` applied (each sets one ACE exactly, as `merge: false` does).
    public func applying(_ changes: [AceEdit]) -> Evaluator {
        var copy = self
        for change in changes {
            guard let namespace = index.namespace(change.namespaceId) else { continue }
            let key = OrgIndex.aclKey(change.namespaceId, Tokens.canonical(change.token, separator: namespace.separator))
            var acl = copy.overlay[key] ?? index.acls[key]
                ?? AccessControlList(namespaceId: change.namespaceId, token: change.token)
            if change.allow == 0 && change.deny == 0 {
                acl.entries.removeValue(forKey: change.descriptor)
            } else {
                acl.entries[change.descriptor] = AccessControlEntry(
                    descriptor: change.descriptor, allow: change.allow, deny: change.deny)
            }
            copy.overlay[key] = acl
        }
        return copy
    }

    func acl(_ namespaceId: String, _ key: String) -> AccessControlList? {
        let aclKey = OrgIndex.aclKey(namespaceId, key)
        return overlay[aclKey] ?? index.acls[aclKey]
    }

    /// Evaluates `bits` for `subject` on `token`. With `explain` false only the masks are computed (fast path for
    /// bulk questions); causes and grants are filled when true.
    public func evaluate(
        namespaceId: String,
        token: String,
        subject: IdentityDescriptor,
        bits: Int,
        explain: Bool = true
    ) -> Evaluation {
        var result = Evaluation(
            namespaceId: namespaceId.lowercased(), token: token, subject: subject, requested: bits,
            effectiveAllow: 0, effectiveDeny: 0, causes: [], grants: [])
        guard let namespace = index.namespace(namespaceId) else {
            if bits != 0 { result.causes = [DenyCause(kind: .notSet, bits: bits)] }
            return result
        }
        let ids = index.identitySet(of: subject)
        let chain = Tokens.chain(token, in: namespace)
        var decided = 0
        var blockedAt: String?
        for (level, key) in chain.enumerated() {
            guard let acl = acl(namespace.id, key) else { continue }
            var allow = 0
            var deny = 0
            var matching: [AccessControlEntry] = []
            if acl.entries.count <= ids.count {
                for entry in acl.entries.values where ids.contains(entry.descriptor) {
                    allow |= entry.allow
                    deny |= entry.deny
                    if explain { matching.append(entry) }
                }
            } else {
                for descriptor in ids {
                    guard let entry = acl.entries[descriptor] else { continue }
                    allow |= entry.allow
                    deny |= entry.deny
                    if explain { matching.append(entry) }
                }
            }
            let newDeny = deny & ~decided
            let newAllow = allow & ~deny & ~decided
            if explain && (newDeny | newAllow) & bits != 0 {
                record(matching, level: level, acl: acl, key: key, subject: subject,
                       newDeny: newDeny & bits, newAllow: newAllow & bits, into: &result)
            }
            result.effectiveDeny |= newDeny
            result.effectiveAllow |= newAllow
            decided |= newDeny | newAllow
            if !acl.inheritPermissions {
                if level < chain.count - 1 { blockedAt = acl.token }
                break
            }
        }
        let unset = bits & ~decided
        if explain && unset != 0 {
            result.causes.append(DenyCause(kind: .notSet, bits: unset, inheritanceBlockedAt: blockedAt))
        }
        return result
    }

    private func record(
        _ entries: [AccessControlEntry],
        level: Int,
        acl: AccessControlList,
        key: String,
        subject: IdentityDescriptor,
        newDeny: Int,
        newAllow: Int,
        into result: inout Evaluation
    ) {
        // The subject's own ACE first, then groups by path length and descriptor: stable and most telling first.
        var ordered: [(entry: AccessControlEntry, via: [IdentityDescriptor])] = entries.map { entry in
            (entry, entry.descriptor == subject ? [] : (index.membershipPath(from: subject, to: entry.descriptor) ?? []))
        }
        ordered.sort { lhs, rhs in
            let l = lhs.entry.descriptor == subject ? -1 : lhs.via.count
            let r = rhs.entry.descriptor == subject ? -1 : rhs.via.count
            return l != r ? l < r : lhs.entry.descriptor < rhs.entry.descriptor
        }
        for (entry, via) in ordered {
            let denied = entry.deny & newDeny
            if denied != 0 {
                let own = entry.descriptor == subject
                result.causes.append(DenyCause(
                    kind: own ? (level == 0 ? .explicitDeny : .inheritedDeny) : .groupDeny,
                    bits: denied, token: acl.token, tokenKey: key, descriptor: entry.descriptor, via: via,
                    inherited: level > 0))
            }
            let allowed = entry.allow & newAllow
            if allowed != 0 {
                result.grants.append(GrantSource(
                    bits: allowed, token: acl.token, tokenKey: key, descriptor: entry.descriptor, via: via,
                    inherited: level > 0))
            }
        }
    }
}

/// One ACE as it should be stored after a change (`merge: false` semantics: both masks exactly).
public struct AceEdit: Sendable, Hashable {
    public var namespaceId: String
    public var token: String
    public var descriptor: IdentityDescriptor
    public var allow: Int
    public var deny: Int

    public init(namespaceId: String, token: String, descriptor: IdentityDescriptor, allow: Int, deny: Int) {
        self.namespaceId = namespaceId.lowercased()
        self.token = token
        self.descriptor = descriptor
        self.allow = allow
        self.deny = deny
    }
}
