import FuzzChecks
import FuzzDriver

// libFuzzer over the plan checks (docs/fuzzing.md).
FuzzDriver.run(FuzzChecks.plan)
