import EmulatorSupport
import Foundation
import FuzzChecks
import Testing

/// Replays the committed inputs of the `fuzz-error` target (`fuzz/{regressions,corpus,seeds}/error/`)
/// through the checks it traps on (docs/fuzzing.md).
@Suite("Fuzz replay: error text")
struct ErrorTextFuzzReplayTests {
    @Test("every committed input keeps the invariants", arguments: FuzzInputs.kinds)
    func replay(kind: String) {
        let root = EmulatorSupport.Fixtures.repositoryRoot
        if kind != "regressions" {
            let files = FuzzInputs.files(kind, target: "error", repositoryRoot: root)
            #expect(!files.isEmpty, "no inputs under fuzz/\(kind)/error")
        }
        let violations = FuzzInputs.violations(kind, target: "error", repositoryRoot: root, check: FuzzChecks.errorText)
        for violation in violations {
            Issue.record("\(violation)")
        }
    }
}
