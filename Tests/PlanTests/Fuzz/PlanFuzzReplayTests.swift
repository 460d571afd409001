import EmulatorSupport
import Foundation
import FuzzChecks
import Testing

/// Replays the committed inputs of the `fuzz-plan` target (`fuzz/{regressions,corpus,seeds}/plan/`)
/// through the checks it traps on (docs/fuzzing.md).
@Suite("Fuzz replay: plan")
struct PlanFuzzReplayTests {
    @Test("every committed input keeps the invariants", arguments: FuzzInputs.kinds)
    func replay(kind: String) {
        let root = EmulatorSupport.Fixtures.repositoryRoot
        let check = FuzzChecks.plan
        for violation in FuzzInputs.violations(kind, target: "plan", repositoryRoot: root, check: check) {
            Issue.record("\(violation)")
        }
    }
}
