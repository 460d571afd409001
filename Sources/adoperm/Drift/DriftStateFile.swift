import Foundation
import Plan

/// `.adoperm/drift-state.json`: read before a run, written (atomically, mode 0600) after it.
enum DriftStateFile {
    static func read(_ path: String) throws -> DriftState? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let data = try Files.readData(path)
        switch Result(catching: { () throws(DriftStateError) in try DriftState.parse(data) }) {
        case .success(let state): return state
        case .failure(let error): throw CLIError.cannotRead(path: path, reason: error.description)
        }
    }

    static func write(_ state: DriftState, to path: String) throws {
        let directory = Files.directory(of: path)
        if !FileManager.default.fileExists(atPath: directory) {
            do {
                try FileManager.default.createDirectory(
                    atPath: directory,
                    withIntermediateDirectories: true,
                    attributes: [.posixPermissions: 0o700]
                )
            } catch {
                throw CLIError.cannotWrite(path: path, reason: "cannot create \(directory)")
            }
        }
        try Files.writeAtomically(state.fileData(), to: path, mode: 0o600)
    }
}
