import Crypto
import Foundation

/// Why an apply lock could not be taken.
public enum ApplyLockError: Error, Sendable, Equatable, CustomStringConvertible {
    case held(path: String, pid: Int32, since: String)
    case stale(path: String, pid: Int32, since: String, runId: String?)
    case cannotCreate(path: String, reason: String)

    public var description: String {
        switch self {
        case .held(let path, let pid, let since):
            "another adoperm apply or rollback (pid \(pid), since \(since)) holds \(path); wait for it to finish"
        case .stale(let path, let pid, let since, let runId):
            "stale apply lock \(path): process \(pid) (since \(since)) is no longer running"
                + (runId.map {
                    " and its run \($0) was interrupted; `adoperm rollback .adoperm/journal/\($0).jsonl` "
                        + "undoes it and clears the lock, or check `adoperm journal show \($0)` and"
                } ?? "; check "
                    + "`adoperm journal list` for an interrupted run, then")
                + " remove the lock with `rm \(path)`"
        case .cannotCreate(let path, let reason): "cannot create apply lock \(path): \(reason)"
        }
    }
}

/// One lock file per organization so two applies (or an apply and a rollback) never interleave their writes.
/// Created with O_EXCL and holding `pid`, start time, organization and run id. A lock whose process is gone is
/// reported, never silently taken over — except by the rollback of the very run that left it.
public final class ApplyLock: Sendable {
    public let path: String

    private init(path: String) { self.path = path }

    /// The lock file of an organization under `directory`.
    public static func path(organizationURL: String, directory: String) -> String {
        var url = organizationURL.lowercased()
        while url.hasSuffix("/") { url.removeLast() }
        let name = SHA256.hash(data: Data(url.utf8)).prefix(8).map { String(format: "%02x", $0) }.joined()
        return directory + "/" + name + ".lock"
    }

    /// Takes the lock for `organizationURL` under `directory` (e.g. `.adoperm/locks`).
    /// - Parameter takingOverFrom: a run id whose stale lock may be taken over (its rollback).
    public static func acquire(
        organizationURL: String,
        directory: String,
        startedAt: String,
        runId: String = "",
        takingOverFrom staleRun: String? = nil
    ) throws(ApplyLockError) -> ApplyLock {
        let path = path(organizationURL: organizationURL, directory: directory)
        do {
            try FileManager.default.createDirectory(
                atPath: directory,
                withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700]
            )
        } catch {
            throw .cannotCreate(path: path, reason: "cannot create \(directory)")
        }
        for attempt in 0..<2 {
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            if fd >= 0 {
                let body = Array("\(getpid())\n\(startedAt)\n\(organizationURL)\n\(runId)\n".utf8)
                // A lock without its holder (a full disk) would later read as a dead one: refuse instead.
                let written = body.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                let synced = written == body.count && fsync(fd) == 0
                let reason = synced ? "" : String(cString: strerror(written < 0 || written == body.count ? errno : ENOSPC))
                close(fd)
                guard synced else {
                    unlink(path)
                    throw .cannotCreate(path: path, reason: reason)
                }
                return ApplyLock(path: path)
            }
            guard errno == EEXIST else { throw .cannotCreate(path: path, reason: String(cString: strerror(errno))) }
            let holder = readHolder(path)
            let dead = holder.pid <= 0 || (kill(holder.pid, 0) != 0 && errno == ESRCH)
            guard dead else { throw .held(path: path, pid: holder.pid, since: holder.since) }
            if attempt == 0, let staleRun, !staleRun.isEmpty, holder.runId == staleRun {
                unlink(path)
                continue
            }
            throw .stale(path: path, pid: holder.pid, since: holder.since, runId: holder.runId)
        }
        throw .cannotCreate(path: path, reason: "the lock was taken again while being cleared")
    }

    /// Removes the locks under `directory` left by run `runId` whose process is gone; returns their paths.
    public static func clearStale(ofRun runId: String, directory: String) -> [String] {
        guard !runId.isEmpty, let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
            return []
        }
        var cleared: [String] = []
        for name in names.sorted() where name.hasSuffix(".lock") {
            let path = directory + "/" + name
            let holder = readHolder(path)
            let dead = holder.pid <= 0 || (kill(holder.pid, 0) != 0 && errno == ESRCH)
            if holder.runId == runId, dead, unlink(path) == 0 { cleared.append(path) }
        }
        return cleared
    }

    /// Removes the lock file.
    public func release() { unlink(path) }

    private static func readHolder(_ path: String) -> (pid: Int32, since: String, runId: String?) {
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let runId = lines.count > 3 && !lines[3].isEmpty ? lines[3] : nil
        return (Int32(lines.first ?? "") ?? 0, lines.count > 1 ? lines[1] : "unknown time", runId)
    }
}
