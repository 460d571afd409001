import Foundation
import Plan

extension OrgStateLoader {
    /// What a manifest needs, in at most two passes: first what it names directly (`LoadScope(manifest:)`), then,
    /// once the agents' files are read and the manifest expands, any projects or files the expansion reaches
    /// (cross-project repositories, pipelines, wikis named in agent front matter or locks).
    ///
    /// - Parameter localFiles: agent files the CLI read from disk (`from-agent: { file: … }`).
    /// - Returns: the snapshot, and the expansion's diagnostics when the manifest did not expand (then the
    ///   snapshot covers only the first pass).
    public func loadSnapshot(
        manifest: Manifest,
        localFiles: [String: String] = [:],
        capturedAt: Date = Date()
    ) async throws(ADOError) -> (snapshot: Snapshot, expansionErrors: DiagnosticError?) {
        let first = try await loadSnapshot(LoadScope(manifest: manifest), capturedAt: capturedAt)
        let state: OrgState
        do {
            state = try OrgState(snapshot: first)
        } catch {
            throw .decoding(route: "organization state", detail: error.description)
        }
        let desired: DesiredState
        do {
            desired = try ManifestExpander.expand(manifest, index: OrgIndex(state), localFiles: localFiles)
        } catch let error as DiagnosticError {
            return (first, error)
        } catch {
            return (first, DiagnosticError([Diagnostic(.error, String(describing: error))]))
        }
        guard let delta = LoadScope(desired: desired).missing(from: first) else { return (first, nil) }
        let second = try await loadSnapshot(delta, capturedAt: capturedAt)
        return (first.merged(with: second), nil)
    }
}
