import EmulatorSupport
import Foundation
import FuzzChecks
import Testing

/// Replays the committed inputs of the `fuzz-error` target (`fuzz/{regressions,corpus,seeds}/error/`)
/// through the checks it traps on (docs/fuzzing.md).
@Suite("Fuzz replay: error text")
struct ErrorTextFuzzReplayTests {
    @Test("every committed input keeps the invariants", arguments: FuzzInputs.kinds)
    func replay(kind: String) throws {
        let files = FuzzInputs.files(kind, target: "error", repositoryRoot: EmulatorSupport.Fixtures.repositoryRoot)
        if kind != "regressions" { #expect(!files.isEmpty, "no inputs under fuzz/\(kind)/error") }
        for file in files {
            let data = try Data(contentsOf: file)
            do throws(InvariantViolation) {
                try FuzzChecks.errorText(data)
            } catch {
                Issue.record("fuzz/\(kind)/error/\(file.lastPathComponent): \(error)")
            }
        }
    }
}
