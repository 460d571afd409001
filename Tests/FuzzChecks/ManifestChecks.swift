import Foundation
import Plan

extension FuzzChecks {
    static let manifestFile = "fuzz.yaml"

    /// `Manifest.parse` on any bytes: a manifest, or a `DiagnosticError` of one-line `fuzz.yaml:L:C` diagnostics
    /// that point into the text; the same answer twice.
    public static func manifest(_ data: Data) throws(InvariantViolation) {
        let text = String(decoding: data, as: UTF8.self)
        let first = Result { try Manifest.parse(text, file: manifestFile) }
        let second = Result { try Manifest.parse(text, file: manifestFile) }
        switch (first, second) {
        case (.success(let manifest), .success(let again)):
            guard manifest == again else { throw InvariantViolation("two parses of the same text differ") }
            try check(manifest, text: text)
        case (.failure(let error), .failure(let again)):
            guard let diagnostics = error as? DiagnosticError else {
                throw InvariantViolation("parse threw \(type(of: error)), not DiagnosticError: \(error)")
            }
            guard diagnostics == again as? DiagnosticError else {
                throw InvariantViolation("two parses of the same text report different diagnostics")
            }
            try check(diagnostics, text: text)
        default:
            throw InvariantViolation("one parse of the text succeeded and the other failed")
        }
    }

    private static func check(_ manifest: Manifest, text: String) throws(InvariantViolation) {
        guard manifest.version == 1 else { throw InvariantViolation("accepted version \(manifest.version)") }
        guard manifest.manifestSha256 == sha256Hex(Data(text.utf8)) else {
            throw InvariantViolation("manifestSha256 is not the digest of the text")
        }
        var ids = Set<String>()
        for id in manifest.entries.map(\.id) + manifest.forbids.map(\.id) {
            guard !id.isEmpty else { throw InvariantViolation("accepted an empty requirement id") }
            guard ids.insert(id).inserted else { throw InvariantViolation("accepted the duplicate id '\(id)'") }
        }
    }

    private static func check(_ error: DiagnosticError, text: String) throws(InvariantViolation) {
        guard !error.diagnostics.isEmpty else { throw InvariantViolation("DiagnosticError without a diagnostic") }
        // Lines as YAML counts them (\n, \r\n and \r each end one), plus the position just past the end.
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(
            omittingEmptySubsequences: false,
            whereSeparator: { $0 == "\n" || $0 == "\r" }
        ).count
        for diagnostic in error.diagnostics {
            try MessageCheck.oneLine(diagnostic.description, "diagnostic", input: text)
            guard diagnostic.severity == .error else {
                throw InvariantViolation("thrown diagnostic is a \(diagnostic.severity): \(diagnostic)")
            }
            guard let location = diagnostic.location else {
                throw InvariantViolation("diagnostic without file:line:col: \(diagnostic)")
            }
            guard location.file == manifestFile, (1...lines + 1).contains(location.line), location.column >= 1 else {
                throw InvariantViolation("diagnostic points outside the text (\(lines) lines): \(diagnostic)")
            }
        }
    }
}

/// The properties the fuzz targets (`fuzz/`) and the replay tests check on every input.
public enum FuzzChecks {}
