import Foundation

/// Why no credential could be read. Never contains the secret.
public enum CredentialError: Error, Sendable, Equatable, CustomStringConvertible {
    case cannotReadPATFile(path: String, reason: String)
    case emptyPATFile(path: String)

    public var description: String {
        switch self {
        case .cannotReadPATFile(let path, let reason): "cannot read the PAT file \(path): \(reason)"
        case .emptyPATFile(let path): "the PAT file \(path) is empty"
        }
    }
}

/// Finds the credential in CONTRACTS.md §5 order: `--pat-file`, `ADOPERM_PAT`, `AZURE_DEVOPS_EXT_PAT` (the az CLI's),
/// `SYSTEM_ACCESSTOKEN` (Bearer, inside Azure Pipelines). Libraries never read the process environment: the CLI
/// passes it in.
public enum CredentialResolver {
    /// The environment variables consulted, in order, with the kind each holds.
    public static let environmentSources: [(name: String, kind: Credential.Kind)] = [
        ("ADOPERM_PAT", .pat),
        ("AZURE_DEVOPS_EXT_PAT", .pat),
        ("SYSTEM_ACCESSTOKEN", .bearer),
    ]

    /// - Parameters:
    ///   - patFile: the `--pat-file` path, if given; it wins over the environment, and an unreadable or empty file
    ///     is an error rather than a silent fall-through.
    ///   - environment: the process environment (empty values are skipped).
    /// - Returns: the credential, or nil when no source provides one.
    public static func resolve(
        patFile: String?,
        environment: [String: String]
    ) throws(CredentialError) -> Credential? {
        if let patFile {
            let text = try readPATFile(patFile)
            return Credential(kind: .pat, secret: text, source: .patFile(patFile))
        }
        for (name, kind) in environmentSources {
            guard let value = environment[name], !value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
            else { continue }
            return Credential(kind: kind, secret: value, source: .environment(name))
        }
        return nil
    }

    private static func readPATFile(_ path: String) throws(CredentialError) -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .cannotReadPATFile(path: path, reason: "no such file")
        }
        guard !isDirectory.boolValue else { throw .cannotReadPATFile(path: path, reason: "is a directory") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .cannotReadPATFile(path: path, reason: "permission denied")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .cannotReadPATFile(path: path, reason: "not UTF-8 text")
        }
        // The token is the first non-blank line: editors add trailing newlines, and a PAT never spans lines.
        let line = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .first { !$0.isEmpty }
        guard let line else { throw .emptyPATFile(path: path) }
        return line
    }
}
