import ADOClient
import Apply
import Foundation
import Plan

extension Connection {
    /// What a manifest needs plus the objects the journals' changes wrote (their ACLs read exactly, the projects
    /// of their settings and definitions), so a change outside the manifest's scope is compared with its real
    /// live value rather than with "not loaded". A snapshot file is read whole.
    func orgState(manifest: Manifest, localFiles: [String: String], journal: [JournalChange]) async throws -> OrgState {
        guard case .live(let client) = source, !journal.isEmpty else {
            return try await orgState(manifest: manifest, localFiles: localFiles)
        }
        var extraACLs: [LoadScope.ExtraACL] = []
        var projects: [String] = []
        for change in journal where change.state == ChangeOutcome.State.verified.rawValue {
            let target = change.target
            if let namespaceId = target["namespaceId"]?.stringValue, let token = target["token"]?.stringValue {
                extraACLs.append(LoadScope.ExtraACL(namespaceId: namespaceId, token: token))
            } else if let projectId = target["projectId"]?.stringValue {
                projects.append(projectId)
            }
        }
        let loader = OrgStateLoader(client: client)
        let snapshot: Snapshot
        do throws(ADOError) {
            let first = try await loader.loadSnapshot(manifest: manifest, localFiles: localFiles).snapshot
            if extraACLs.isEmpty && projects.isEmpty {
                snapshot = first
            } else {
                let scope = LoadScope(projects: .named(Array(Set(projects)).sorted()), extraACLs: Array(Set(extraACLs)))
                snapshot = first.merged(with: try await loader.loadSnapshot(scope))
            }
        } catch {
            throw CLIError.remote(error.description)
        }
        do {
            return try OrgState(snapshot: snapshot)
        } catch {
            throw CLIError.remote("the organization's data cannot be read: \(error.description)")
        }
    }
}
