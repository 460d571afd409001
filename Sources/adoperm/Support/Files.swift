import Foundation

/// File access for the CLI, with one-line errors instead of Foundation's NSError text.
enum Files {
    static func readText(_ path: String) throws(CLIError) -> String {
        let data = try readData(path)
        guard let text = String(data: data, encoding: .utf8) else {
            throw .cannotRead(path: path, reason: "not UTF-8 text")
        }
        return text
    }

    static func readData(_ path: String) throws(CLIError) -> Data {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .cannotRead(path: path, reason: "no such file")
        }
        if isDirectory.boolValue { throw .cannotRead(path: path, reason: "is a directory") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .cannotRead(path: path, reason: "permission denied")
        }
        return data
    }

    /// Writes atomically (temp file in the same directory, fsync, rename) with the given mode, so a reader never
    /// sees a half-written file and a failure leaves the old file untouched.
    static func writeAtomically(_ data: Data, to path: String, mode: mode_t = 0o600) throws(CLIError) {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        let temp = directory + "/.\(url.lastPathComponent).tmp-\(getpid())"
        // O_EXCL | O_NOFOLLOW: never write through a planted symlink or into a file someone else holds open; a
        // leftover temp file of a killed run with our pid is ours to replace.
        var fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
        if fd < 0, errno == EEXIST, unlink(temp) == 0 {
            fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
        }
        guard fd >= 0 else { throw .cannotWrite(path: path, reason: String(cString: strerror(errno))) }
        var failure: String?
        data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(fd, buffer.baseAddress!.advanced(by: offset), buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = String(cString: strerror(errno))
                    return
                }
                offset += written
            }
        }
        if failure == nil, fsync(fd) != 0 { failure = String(cString: strerror(errno)) }
        if failure == nil, fchmod(fd, mode) != 0 { failure = String(cString: strerror(errno)) }
        close(fd)
        if let failure {
            unlink(temp)
            throw .cannotWrite(path: path, reason: failure)
        }
        guard rename(temp, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temp)
            throw .cannotWrite(path: path, reason: reason)
        }
        // The rename is durable only once the directory entry is.
        let directoryFD = open(directory.isEmpty ? "." : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directoryFD >= 0 {
            fsync(directoryFD)
            close(directoryFD)
        }
    }

    /// Directory of `path` (for resolving a manifest's relative references).
    static func directory(of path: String) -> String {
        URL(fileURLWithPath: path).deletingLastPathComponent().path
    }

    /// `path` relative to `base` unless already absolute.
    static func resolve(_ path: String, relativeTo base: String) -> String {
        path.hasPrefix("/") ? path : URL(fileURLWithPath: base).appendingPathComponent(path).standardized.path
    }
}
