import Foundation

/// Why a local agent file cannot be read or written.
public enum LocalFileError: Error, Sendable, Equatable, CustomStringConvertible {
    case outsideCheckout(path: String, checkout: String)
    case symbolicLink(String)
    case notFound(path: String, checkout: String)
    case unreadable(path: String, reason: String)
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case .outsideCheckout(let path, let checkout):
            "\(path) is outside the checkout directory \(checkout); adoperm only edits files below it"
        case .symbolicLink(let path): "\(path) is a symbolic link; adoperm edits regular files only"
        case .notFound(let path, let checkout):
            "\(path) not found: the agent file is looked up under the checkout directory (\(checkout)); pass "
                + "--checkout DIR with the repository's working copy"
        case .unreadable(let path, let reason): "cannot read \(path): \(reason)"
        case .cannotWrite(let path, let reason): "cannot write \(path): \(reason)"
        }
    }
}

/// The local files front-matter changes edit: found under a checkout directory, read as UTF-8, written atomically
/// (temp file in the same directory, fsync, rename, directory fsync) keeping the file's mode.
public enum LocalFiles {
    /// The absolute path of `relative` under `checkout` (an absolute `relative` must lie below it too).
    public static func resolve(_ relative: String, checkout: String) throws(LocalFileError) -> String {
        let root = URL(fileURLWithPath: checkout).standardizedFileURL.path
        let candidate =
            relative.hasPrefix("/")
            ? URL(fileURLWithPath: relative).standardizedFileURL.path
            : URL(fileURLWithPath: root).appendingPathComponent(relative).standardizedFileURL.path
        guard candidate.hasPrefix(root.hasSuffix("/") ? root : root + "/") else {
            throw .outsideCheckout(path: relative, checkout: root)
        }
        var info = stat()
        if lstat(candidate, &info) == 0 {
            if info.st_mode & S_IFMT == S_IFLNK { throw .symbolicLink(candidate) }
        } else {
            throw .notFound(path: candidate, checkout: root)
        }
        return candidate
    }

    /// The file's text, nil when it does not exist.
    public static func read(_ path: String) throws(LocalFileError) -> String? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadable(path: path, reason: "permission denied")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw .unreadable(path: path, reason: "not UTF-8") }
        return text
    }

    /// Replaces the file's content with `text` atomically, keeping its permission bits (0644 for a new file).
    public static func replaceContents(of path: String, with text: String) throws(LocalFileError) {
        var info = stat()
        let mode: mode_t = stat(path, &info) == 0 ? info.st_mode & 0o7777 : 0o644
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        let temp = directory + "/.\(url.lastPathComponent).adoperm-\(getpid())"
        let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard fd >= 0 else { throw .cannotWrite(path: path, reason: String(cString: strerror(errno))) }
        let data = Data(text.utf8)
        var failure: String? = data.withUnsafeBytes { buffer -> String? in
            var offset = 0
            while offset < buffer.count {
                let written = write(fd, buffer.baseAddress!.advanced(by: offset), buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return String(cString: strerror(errno))
                }
                offset += written
            }
            return nil
        }
        if failure == nil, fchmod(fd, mode) != 0 { failure = String(cString: strerror(errno)) }
        if failure == nil, fsync(fd) != 0 { failure = String(cString: strerror(errno)) }
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
        let directoryFD = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directoryFD >= 0 {
            fsync(directoryFD)
            close(directoryFD)
        }
    }
}
