import Foundation

/// Appends records to one run's journal, fsync'ing each line before returning so that a record is durable before
/// the step it describes begins. The file is created with mode 0600 (it holds before-images of ACLs).
public final class JournalWriter: @unchecked Sendable {
    // @unchecked: `fd`, `seq` and `lastDigest` are only touched under `lock`.
    public let path: String
    public let runId: String
    public let planId: String
    private let fd: Int32
    private var seq: Int
    private var lastDigest: String
    private let lock = NSLock()

    /// Creates a new journal at `path` (fails if it exists) inside a directory created with mode 0700.
    public init(path: String, runId: String, planId: String) throws(JournalError) {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        do {
            try FileManager.default.createDirectory(
                atPath: directory,
                withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700]
            )
        } catch {
            throw .cannotOpen(path: path, reason: "cannot create \(directory)")
        }
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        fchmod(fd, 0o600)
        Self.syncDirectory(directory)
        self.path = path
        self.runId = runId
        self.planId = planId
        self.fd = fd
        self.seq = 0
        self.lastDigest = JournalRecord.genesis
    }

    /// Continues an existing, verified journal (rollback appends its own records to the run it undoes). A torn last
    /// line the journal was read without is cut off first, so the next record starts on a line of its own.
    public init(continuing journal: Journal) throws(JournalError) {
        let fd = open(journal.path, O_WRONLY | O_APPEND | O_CLOEXEC)
        guard fd >= 0 else { throw .cannotOpen(path: journal.path, reason: String(cString: strerror(errno))) }
        if journal.droppedIncompleteTail {
            guard ftruncate(fd, off_t(journal.validLength)) == 0, fsync(fd) == 0 else {
                let reason = String(cString: strerror(errno))
                close(fd)
                throw .cannotWrite(path: journal.path, reason: "cannot cut off the incomplete last line: \(reason)")
            }
        }
        self.path = journal.path
        self.runId = journal.runId
        self.planId = journal.planId
        self.fd = fd
        self.seq = journal.records.last?.seq ?? 0
        self.lastDigest = journal.lastDigest
    }

    deinit { close(fd) }

    /// Appends one record (filling in `seq`, `runId`, `planId`, `prev`) and fsyncs it. Returns the record written.
    @discardableResult
    public func append(_ draft: JournalRecord) throws(JournalError) -> JournalRecord {
        lock.lock()
        defer { lock.unlock() }
        var record = draft
        record.seq = seq + 1
        record.runId = runId
        record.planId = planId
        record.prev = lastDigest
        let line: Data
        do {
            line = try JournalCoding.encode(record)
        } catch {
            throw .cannotWrite(path: path, reason: "cannot encode record")
        }
        var bytes = line
        bytes.append(UInt8(ascii: "\n"))
        let failure: String? = bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(fd, buffer.baseAddress!.advanced(by: offset), buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return String(cString: strerror(errno))
                }
                offset += written
            }
            return fsync(fd) == 0 ? nil : String(cString: strerror(errno))
        }
        if let failure { throw .cannotWrite(path: path, reason: failure) }
        seq = record.seq
        lastDigest = JournalCoding.digest(line)
        return record
    }

    /// Makes a new file's directory entry durable, so the journal survives a crash right after creation.
    private static func syncDirectory(_ directory: String) {
        let dirFD = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard dirFD >= 0 else { return }
        fsync(dirFD)
        close(dirFD)
    }
}
