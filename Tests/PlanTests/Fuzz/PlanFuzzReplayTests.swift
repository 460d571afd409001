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
        if kind != "regressions" {
            let files = FuzzInputs.files(kind, target: "plan", repositoryRoot: root)
            #expect(!files.isEmpty, "no inputs under fuzz/\(kind)/plan")
        }
        let violations = FuzzInputs.violations(kind, target: "plan", repositoryRoot: root, check: FuzzChecks.plan)
        for violation in violations {
            Issue.record("\(violation)")
        }
    }
}
