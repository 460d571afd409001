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
}
