/// One namespace's ACLs by canonical token, with the tokens also kept in UTF-8 order: the state dump lists them
/// in that order without sorting, and a recursive query finds a token's descendants by binary search (they are
/// exactly the keys that start with it) instead of scanning every ACL of the namespace.
struct ACLTable: Sendable, Equatable {
    private(set) var entries: [String: StoredACL] = [:]
    private(set) var sortedKeys: [String] = []

    init() {}

    /// From canonical key → ACL (one sort).
    init(_ entries: [String: StoredACL]) {
        self.entries = entries
        sortedKeys = entries.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    var isEmpty: Bool { entries.isEmpty }
    var count: Int { entries.count }

    subscript(key: String) -> StoredACL? {
        get { entries[key] }
        set {
            if let newValue {
                if entries.updateValue(newValue, forKey: key) == nil { sortedKeys.insert(key, at: lowerBound(key)) }
            } else if entries.removeValue(forKey: key) != nil {
                sortedKeys.remove(at: lowerBound(key))
            }
        }
    }

    /// Every ACL in canonical-token order.
    var ordered: [StoredACL] { sortedKeys.compactMap { entries[$0] } }

    /// Keys strictly below `key` in the namespace's hierarchy, in order.
    func descendantKeys(of key: String, in namespace: Namespace) -> [String] {
        var result: [String] = []
        var index = lowerBound(key)
        while index < sortedKeys.count, sortedKeys[index].utf8.starts(with: key.utf8) {
            let candidate = sortedKeys[index]
            if Tokens.isDescendant(candidate, of: key, in: namespace) { result.append(candidate) }
            index += 1
        }
        return result
    }

    /// ACLs strictly below `key`, in canonical-token order.
    func descendants(of key: String, in namespace: Namespace) -> [StoredACL] {
        descendantKeys(of: key, in: namespace).compactMap { entries[$0] }
    }

    /// First index whose key is not before `key` (UTF-8 order).
    private func lowerBound(_ key: String) -> Int {
        var low = 0
        var high = sortedKeys.count
        while low < high {
            let middle = (low + high) / 2
            if sortedKeys[middle].utf8.lexicographicallyPrecedes(key.utf8) { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
