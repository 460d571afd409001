import Crypto
import Foundation

/// Why an apply lock could not be taken.
public enum ApplyLockError: Error, Sendable, Equatable, CustomStringConvertible {
    case held(path: String, pid: Int32, since: String)
    case stale(path: String, pid: Int32, since: String)
    case cannotCreate(path: String, reason: String)

    public var description: String {
        switch self {
        case .held(let path, let pid, let since):
            "another adoperm apply (pid \(pid), since \(since)) holds \(path); wait for it to finish"
        case .stale(let path, let pid, let since):
            "stale apply lock \(path): process \(pid) (since \(since)) is no longer running; check "
                + "`adoperm journal list` for an interrupted run, then remove the lock with `rm \(path)`"
        case .cannotCreate(let path, let reason): "cannot create apply lock \(path): \(reason)"
        }
    }
}

/// One lock file per organization so two applies never interleave their writes. Created with O_EXCL; a lock
/// whose process is gone is reported, never silently taken over (its run may need a rollback first).
public final class ApplyLock: Sendable {
    public let path: String

    private init(path: String) { self.path = path }

    /// Takes the lock for `organizationURL` under `directory` (e.g. `.adoperm/locks`).
    public static func acquire(
        organizationURL: String,
        directory: String,
        startedAt: String
    ) throws(ApplyLockError) -> ApplyLock {
        let name = SHA256.hash(data: Data(organizationURL.lowercased().utf8)).prefix(8)
            .map { String(format: "%02x", $0) }.joined()
        let path = directory + "/" + name + ".lock"
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .cannotCreate(path: path, reason: "cannot create \(directory)")
        }
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd < 0 {
            guard errno == EEXIST else { throw .cannotCreate(path: path, reason: String(cString: strerror(errno))) }
            let holder = readHolder(path)
            if holder.pid <= 0 || (kill(holder.pid, 0) != 0 && errno == ESRCH) {
                throw .stale(path: path, pid: holder.pid, since: holder.since)
            }
            throw .held(path: path, pid: holder.pid, since: holder.since)
        }
        let body = "\(getpid())\n\(startedAt)\n\(organizationURL)\n"
        _ = body.withCString { write(fd, $0, strlen($0)) }
        fsync(fd)
        close(fd)
        return ApplyLock(path: path)
    }

    /// Removes the lock file.
    public func release() { unlink(path) }

    private static func readHolder(_ path: String) -> (pid: Int32, since: String) {
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        let lines = text.split(separator: "\n").map(String.init)
        return (Int32(lines.first ?? "") ?? 0, lines.count > 1 ? lines[1] : "unknown time")
    }
}
