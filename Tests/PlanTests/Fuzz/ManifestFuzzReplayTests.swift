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
        let check = FuzzChecks.manifest
        for violation in FuzzInputs.violations(kind, target: "manifest", repositoryRoot: root, check: check) {
            Issue.record("\(violation)")
        }
    }
}
