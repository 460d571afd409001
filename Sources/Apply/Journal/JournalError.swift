/// Why a journal cannot be written or trusted. One line each, naming the file and line.
public enum JournalError: Error, Sendable, Equatable, CustomStringConvertible {
    case cannotOpen(path: String, reason: String)
    case cannotWrite(path: String, reason: String)
    case malformed(path: String, line: Int, reason: String)
    case brokenChain(path: String, line: Int)
    case outOfSequence(path: String, line: Int, expected: Int, found: Int)
    case empty(path: String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason): "cannot open journal \(path): \(reason)"
        case .cannotWrite(let path, let reason): "cannot write journal \(path): \(reason)"
        case .malformed(let path, let line, let reason):
            "\(path):\(line): journal line is not a valid record: \(reason)"
        case .brokenChain(let path, let line):
            "\(path):\(line): journal hash chain is broken (the line does not follow the one before it); "
                + "the journal was edited or truncated and will not be used"
        case .outOfSequence(let path, let line, let expected, let found):
            "\(path):\(line): journal sequence number \(found) where \(expected) was expected"
        case .empty(let path): "\(path): the journal is empty"
        }
    }
}
