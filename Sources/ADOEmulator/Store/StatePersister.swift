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
        let pieces = await renderer.renderPieces(model)
        // The actor may have taken another persist while rendering; only the newest version may land.
        guard force || version > written else { return }
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        guard Self.write(pieces, to: temporary.path) else {
            unlink(temporary.path)
            throw EmulatorError.stateOut("cannot write \(temporary.path) (errno \(errno))")
        }
        // rename(2) replaces atomically (FileManager.replaceItemAt is unreliable on Linux).
        guard rename(temporary.path, url.path) == 0 else {
            let code = errno
            unlink(temporary.path)
            throw EmulatorError.stateOut("cannot replace \(url.path) (errno \(code))")
        }
        written = max(written, version)
    }

    /// Writes the runs straight from their buffers (no joined copy of a 30 MB dump).
    private static func write(_ pieces: DumpPieces, to path: String) -> Bool {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        for run in pieces.runs {
            let complete = run.withUnsafeBytes { raw -> Bool in
                var offset = 0
                while offset < raw.count {
                    let sent = Foundation.write(fd, raw.baseAddress! + offset, raw.count - offset)
                    if sent < 0 && errno == EINTR { continue }
                    guard sent > 0 else { return false }
                    offset += sent
                }
                return true
            }
            guard complete else { return false }
        }
        return true
    }
}
