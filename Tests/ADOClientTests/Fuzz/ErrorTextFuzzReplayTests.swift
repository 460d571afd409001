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
        let check = FuzzChecks.errorText
        for violation in FuzzInputs.violations(kind, target: "error", repositoryRoot: root, check: check) {
            Issue.record("\(violation)")
        }
    }
}
