import EmulatorSupport
import Foundation
import FuzzChecks
import Testing

/// Replays the committed inputs of the `fuzz-plan` target (`fuzz/{regressions,corpus,seeds}/plan/`)
/// through the checks it traps on (docs/fuzzing.md).
@Suite("Fuzz replay: plan")
struct PlanFuzzReplayTests {
    @Test("every committed input keeps the invariants", arguments: FuzzInputs.kinds)
    func replay(kind: String) throws {
        let files = FuzzInputs.files(kind, target: "plan", repositoryRoot: EmulatorSupport.Fixtures.repositoryRoot)
        if kind != "regressions" { #expect(!files.isEmpty, "no inputs under fuzz/\(kind)/plan") }
        for file in files {
            let data = try Data(contentsOf: file)
            do throws(InvariantViolation) {
                try FuzzChecks.plan(data)
            } catch {
                Issue.record("fuzz/\(kind)/plan/\(file.lastPathComponent): \(error)")
            }
        }
    }
}
