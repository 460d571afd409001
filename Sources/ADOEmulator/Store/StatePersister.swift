import Foundation

/// Writes the `--state-out` file: the dump, to a temporary file renamed over the target (a reader never sees
/// half a file). Versions only move forward — when two writes race, the later state is never replaced by the
/// earlier one, and a version already covered by a newer file is not written again.
actor StatePersister {
    let url: URL
    let renderer: DumpRenderer
    private var written = -1

    init(url: URL, renderer: DumpRenderer) {
        self.url = url
        self.renderer = renderer
    }

    func persist(_ model: OrgModel, version: Int, force: Bool = false) async throws {
        guard force || version > written else { return }
        let bytes = await renderer.render(model)
        // The actor may have taken another persist while rendering; only the newest version may land.
        guard force || version > written else { return }
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        do {
            try Data(bytes).write(to: temporary)
        } catch {
            throw EmulatorError.stateOut("cannot write \(temporary.path)")
        }
        // rename(2) replaces atomically (FileManager.replaceItemAt is unreliable on Linux).
        guard rename(temporary.path, url.path) == 0 else {
            let code = errno
            try? FileManager.default.removeItem(at: temporary)
            throw EmulatorError.stateOut("cannot replace \(url.path) (errno \(code))")
        }
        written = max(written, version)
    }
}
