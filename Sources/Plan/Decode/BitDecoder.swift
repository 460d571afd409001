/// `adoperm decode 16404 --namespace git` → `PullRequestContribute | CreateBranch | GenericContribute`.
public enum BitDecoder {
    public enum Failure: Error, CustomStringConvertible, Equatable {
        case unknownNamespace(String, suggestion: String?)
        case notABitmask(String)

        public var description: String {
            switch self {
            case .unknownNamespace(let name, let suggestion):
                "unknown security namespace '\(name)'" + (suggestion.map { " (did you mean \($0)?)" }
                    ?? ", expected an alias (git, build, css, project, collection, process, …), a name or an id")
            case .notABitmask(let text): "found '\(text)', expected a bitmask (decimal, or hex with 0x)"
            }
        }
    }

    /// The action names of `bits`, highest bit first; bits the namespace does not define are shown as `bit N`.
    public static func names(_ bits: Int, in namespace: SecurityNamespace) -> [String] {
        var result: [String] = []
        var rest = bits
        for action in namespace.actions.sorted(by: { $0.bit > $1.bit }) where rest & action.bit == action.bit && action.bit != 0 {
            result.append(action.name)
            rest &= ~action.bit
        }
        var unknown: [String] = []
        while rest != 0 {
            let bit = rest & -rest
            unknown.append("bit \(bit)")
            rest &= ~bit
        }
        return result + unknown.reversed()
    }

    /// Decodes a mask written as decimal or `0x…` in the namespace named by alias, name or id.
    public static func decode(
        _ text: String,
        namespace reference: String,
        in namespaces: [SecurityNamespace] = NamespaceCatalogue.wellKnown
    ) -> Result<(SecurityNamespace, [String]), Failure> {
        let value = text.lowercased().hasPrefix("0x") ? Int(text.dropFirst(2), radix: 16) : Int(text)
        guard let value, value >= 0 else { return .failure(.notABitmask(text)) }
        guard let namespace = NamespaceCatalogue.find(reference, in: namespaces) else {
            let candidates = Array(NamespaceCatalogue.aliases.keys).sorted() + namespaces.map(\.name)
            return .failure(.unknownNamespace(reference, suggestion: Suggestion.closest(to: reference, in: candidates)))
        }
        return .success((namespace, names(value, in: namespace)))
    }
}
