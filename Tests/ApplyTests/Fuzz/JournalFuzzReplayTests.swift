import EmulatorSupport
import Foundation
import FuzzChecks
import Testing

/// Replays the committed inputs of the `fuzz-journal` target (`fuzz/{regressions,corpus,seeds}/journal/`)
/// through the checks it traps on (docs/fuzzing.md).
@Suite("Fuzz replay: journal")
struct JournalFuzzReplayTests {
    @Test("every committed input keeps the invariants", arguments: FuzzInputs.kinds)
    func replay(kind: String) {
        let root = EmulatorSupport.Fixtures.repositoryRoot
        let check = FuzzChecks.journal
        for violation in FuzzInputs.violations(kind, target: "journal", repositoryRoot: root, check: check) {
            Issue.record("\(violation)")
        }
    }
}
