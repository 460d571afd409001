import FuzzChecks
import FuzzDriver

// libFuzzer over the manifest checks (docs/fuzzing.md).
FuzzDriver.run(FuzzChecks.manifest)
