import Plan

/// Exit codes of CONTRACTS.md §5.
enum ExitStatus: Int32 {
    case success = 0
    case error = 1
    /// Changes proposed (`plan --detailed-exitcode`) or drift found.
    case changes = 2
    /// `apply` stopped and rolled back.
    case rolledBack = 3
    /// Refused: stale or tampered plan, missing approval.
    case refused = 4
}

/// Everything the CLI reports as a one-line failure. Never carries a credential or raw Foundation error text.
enum CLIError: Error, CustomStringConvertible {
    case cannotRead(path: String, reason: String)
    case cannotWrite(path: String, reason: String)
    case emptyFile(path: String)
    case diagnostics(DiagnosticError)
    case noOrganization
    case conflictingSources(String)
    case emulator(String)
    case invalidArgument(String)
    case remote(String)
    case refused(String)

    var description: String {
        switch self {
        case .cannotRead(let path, let reason): "cannot read \(path): \(reason)"
        case .cannotWrite(let path, let reason): "cannot write \(path): \(reason)"
        case .emptyFile(let path): "\(path): error: the file is empty"
        case .diagnostics(let error): error.description
        case .noOrganization:
            "no organization: pass --org URL, --emulate snapshot.json or --snapshot snapshot.json, set "
                + "`organization:` in the manifest, or SYSTEM_COLLECTIONURI"
        case .conflictingSources(let message): message
        case .emulator(let message): "emulator: \(message)"
        case .invalidArgument(let message): message
        case .remote(let message): message
        case .refused(let message): message
        }
    }

    var exitStatus: ExitStatus {
        switch self {
        case .refused: .refused
        default: .error
        }
    }
}
