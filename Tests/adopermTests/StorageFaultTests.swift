import ADOEmulator
import EmulatorSupport
import Foundation
import Testing

/// Issue 8, storage faults: the journal's (or the lock's) file system full or read-only → `apply` refuses before
/// its first write to the organization, says why, and leaves no empty journal behind. Uses small tmpfs mounts, so
/// it needs root (root ignores permission bits, so a chmod'ed directory would prove nothing; a full or read-only
/// file system stops root too). Without root, ApplyRecoveryTests' file-where-the-directory-belongs case remains.
@Suite(.serialized, .enabled(if: Tmpfs.canMount, "needs root to mount a tmpfs"))
struct StorageFaultTests {
    /// Plans the seed remedy 3 in a workspace and runs `prepare` on it, then an apply that must be refused with
    /// `reason` before any write.
    func refusesBeforeTheFirstWrite(
        reason: String,
        _ prepare: @escaping (ApplyWorkspace) async throws -> CLIResult
    ) async throws {
        try await withEmulator { emulator in
            let workspace = try ApplyWorkspace(emulator)
            defer { try? FileManager.default.removeItem(at: workspace.directory) }
            #expect(try await workspace.plan().status == 0)
            try await emulator.clearRequestLog()
            let result = try await prepare(workspace)
            #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
            #expect(result.stderr.contains(reason), "\(result.stderr)")
            #expect(result.stderr.contains("nothing was written"), "\(result.stderr)")
            #expect(try await emulator.requestLog().filter(\.isWrite).isEmpty, "no write reached the organization")
            let summary = try await emulator.requestSummary()
            #expect(summary["writes"] as? Int == 0)
        }
    }

    @Test func aFullJournalFileSystemStopsTheApplyBeforeAnyWrite() async throws {
        try await refusesBeforeTheFirstWrite(reason: "No space left on device") { workspace in
            try await Tmpfs.mount(at: workspace.journalDirectory, options: "size=64k") {
                try Tmpfs.fill(workspace.journalDirectory)
                let result = try await workspace.apply(try workspace.changeIds(rank: 3))
                #expect(result.stderr.contains("the journal cannot be written"), "\(result.stderr)")
                let left = try FileManager.default.contentsOfDirectory(atPath: workspace.journalDirectory.path)
                #expect(left == ["filler"], "no empty journal left behind: \(left)")
                return result
            }
        }
    }

    @Test func aReadOnlyJournalFileSystemStopsTheApplyBeforeAnyWrite() async throws {
        try await refusesBeforeTheFirstWrite(reason: "Read-only file system") { workspace in
            try await Tmpfs.mount(at: workspace.journalDirectory, options: "size=64k,ro") {
                let result = try await workspace.apply(try workspace.changeIds(rank: 3))
                #expect(result.stderr.contains("the journal cannot be written"), "\(result.stderr)")
                return result
            }
        }
    }

    @Test func aFullStateDirectoryStopsTheApplyAtItsLock() async throws {
        try await refusesBeforeTheFirstWrite(reason: "No space left on device") { workspace in
            let state = workspace.directory.appendingPathComponent(".adoperm")
            return try await Tmpfs.mount(at: state, options: "size=64k") {
                try FileManager.default.createDirectory(
                    at: state.appendingPathComponent("locks"),
                    withIntermediateDirectories: true
                )
                try Tmpfs.fill(state)
                let result = try await workspace.apply(try workspace.changeIds(rank: 3))
                #expect(result.stderr.contains("cannot create apply lock"), "\(result.stderr)")
                let locks = try FileManager.default.contentsOfDirectory(atPath: state.appendingPathComponent("locks").path)
                #expect(locks.isEmpty, "no holderless lock left behind: \(locks)")
                return result
            }
        }
    }
}

/// Small tmpfs mounts for the storage tests.
enum Tmpfs {
    static let canMount: Bool = {
        guard getuid() == 0 else { return false }
        let probe = FileManager.default.temporaryDirectory.appendingPathComponent("adoperm-mount-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: probe) }
        guard (try? FileManager.default.createDirectory(at: probe, withIntermediateDirectories: true)) != nil,
            system("/bin/mount", "-t", "tmpfs", "-o", "size=16k", "tmpfs", probe.path) == 0
        else { return false }
        return system("/bin/umount", probe.path) == 0
    }()

    /// Runs a short system command (mount, umount) to its end.
    @discardableResult
    static func system(_ executable: String, _ arguments: String...) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return -1 }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Mounts a tmpfs of `size` at `directory` (created) for `body`, then unmounts it.
    static func mount<T>(at directory: URL, options: String, _ body: () async throws -> T) async throws -> T {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try #require(system("/bin/mount", "-t", "tmpfs", "-o", options, "tmpfs", directory.path) == 0)
        defer { system("/bin/umount", directory.path) }
        return try await body()
    }

    /// Fills the file system holding `directory` until a write fails with ENOSPC.
    static func fill(_ directory: URL) throws {
        let fd = open(directory.appendingPathComponent("filler").path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        try #require(fd >= 0)
        defer { close(fd) }
        let chunk = [UInt8](repeating: 0x78, count: 4096)
        while chunk.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) > 0 {}
        #expect(errno == ENOSPC)
    }
}
