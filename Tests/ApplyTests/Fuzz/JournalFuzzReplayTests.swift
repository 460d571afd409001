import EmulatorSupport
import Foundation
import FuzzChecks
import Testing

/// Replays the committed inputs of the `fuzz-journal` target (`fuzz/{regressions,corpus,seeds}/journal/`)
/// through the checks it traps on (docs/fuzzing.md).
@Suite("Fuzz replay: journal")
struct JournalFuzzReplayTests {
    @Test("every committed input keeps the invariants", arguments: FuzzInputs.kinds)
    func replay(kind: String) throws {
        let files = FuzzInputs.files(kind, target: "journal", repositoryRoot: EmulatorSupport.Fixtures.repositoryRoot)
        if kind != "regressions" { #expect(!files.isEmpty, "no inputs under fuzz/\(kind)/journal") }
        for file in files {
            let data = try Data(contentsOf: file)
            do throws(InvariantViolation) {
                try FuzzChecks.journal(data)
            } catch {
                Issue.record("fuzz/\(kind)/journal/\(file.lastPathComponent): \(error)")
            }
        }
    }
}
