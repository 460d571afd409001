import FuzzChecks
import FuzzDriver

// libFuzzer over the journal checks (docs/fuzzing.md).
FuzzDriver.run(FuzzChecks.journal)
