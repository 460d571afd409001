import EmulatorSupport
import Foundation
import FuzzChecks
import Testing

/// Replays the committed inputs of the `fuzz-manifest` target (`fuzz/{regressions,corpus,seeds}/manifest/`)
/// through the checks it traps on (docs/fuzzing.md).
@Suite("Fuzz replay: manifest")
struct ManifestFuzzReplayTests {
    @Test("every committed input keeps the invariants", arguments: FuzzInputs.kinds)
    func replay(kind: String) throws {
        let files = FuzzInputs.files(kind, target: "manifest", repositoryRoot: EmulatorSupport.Fixtures.repositoryRoot)
        if kind != "regressions" { #expect(!files.isEmpty, "no inputs under fuzz/\(kind)/manifest") }
        for file in files {
            let data = try Data(contentsOf: file)
            do throws(InvariantViolation) {
                try FuzzChecks.manifest(data)
            } catch {
                Issue.record("fuzz/\(kind)/manifest/\(file.lastPathComponent): \(error)")
            }
        }
    }
}
