import Foundation

/// The committed fuzz inputs of a target, for the replay tests: `fuzz/regressions/<target>/` (every crash or
/// invariant violation libFuzzer found), `fuzz/corpus/<target>/` (the minimized corpus) and `fuzz/seeds/<target>/`
/// (the real inputs it started from).
public enum FuzzInputs {
    public static let kinds = ["regressions", "corpus", "seeds"]

    /// Files of one kind, sorted by name; empty when the directory does not exist.
    public static func files(_ kind: String, target: String, repositoryRoot: URL) -> [URL] {
        let directory = repositoryRoot.appendingPathComponent("fuzz/\(kind)/\(target)")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().map { directory.appendingPathComponent($0) }
    }

    /// Runs `check` over every committed input of one kind and returns one line per input that breaks an
    /// invariant (or cannot be read), named by its path under `fuzz/`. A corpus or seed directory without inputs
    /// is a violation too (only regressions may be empty): a replay over nothing would pass without checking.
    public static func violations(
        _ kind: String, target: String, repositoryRoot: URL,
        check: (Data) throws(InvariantViolation) -> Void
    ) -> [String] {
        let inputs = files(kind, target: target, repositoryRoot: repositoryRoot)
        if inputs.isEmpty && kind != "regressions" { return ["fuzz/\(kind)/\(target): no inputs"] }
        return inputs.compactMap { file in
            let name = "fuzz/\(kind)/\(target)/\(file.lastPathComponent)"
            guard let data = try? Data(contentsOf: file) else { return "\(name): unreadable" }
            do throws(InvariantViolation) {
                try check(data)
                return nil
            } catch {
                return "\(name): \(error)"
            }
        }
    }
}
