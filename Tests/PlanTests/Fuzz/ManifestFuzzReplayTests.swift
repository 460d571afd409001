import EmulatorSupport
import Foundation
import FuzzChecks
import Testing

/// Replays the committed inputs of the `fuzz-manifest` target (`fuzz/{regressions,corpus,seeds}/manifest/`)
/// through the checks it traps on (docs/fuzzing.md).
@Suite("Fuzz replay: manifest")
struct ManifestFuzzReplayTests {
    @Test("every committed input keeps the invariants", arguments: FuzzInputs.kinds)
    func replay(kind: String) {
        let root = EmulatorSupport.Fixtures.repositoryRoot
        if kind != "regressions" {
            let files = FuzzInputs.files(kind, target: "manifest", repositoryRoot: root)
            #expect(!files.isEmpty, "no inputs under fuzz/\(kind)/manifest")
        }
        let violations = FuzzInputs.violations(
            kind, target: "manifest", repositoryRoot: root, check: FuzzChecks.manifest)
        for violation in violations {
            Issue.record("\(violation)")
        }
    }
}
