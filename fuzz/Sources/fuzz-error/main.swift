import FuzzChecks
import FuzzDriver

// libFuzzer over the error checks (docs/fuzzing.md).
FuzzDriver.run(FuzzChecks.errorText)
