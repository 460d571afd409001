import Foundation
import FuzzChecks

// SwiftPM links an executable's `main` to its module's entry point, so libFuzzer's own `main` is not used: each
// target's top-level code calls `FuzzDriver.run`, which hands the command line to libFuzzer's driver.

/// The check the running target traps on; set once by `FuzzDriver.run`, before libFuzzer calls in.
nonisolated(unsafe) private var activeCheck: ((Data) throws(InvariantViolation) -> Void)?

/// libFuzzer's entry point: traps when an input breaks an invariant, so libFuzzer saves it as a crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ bytes: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let check = activeCheck else { fatalError("FuzzDriver.run was not called") }
    do throws(InvariantViolation) {
        try check(size == 0 ? Data() : Data(bytes: bytes!, count: size))
    } catch {
        fatalError("invariant violated: \(error)")
    }
    return 0
}

@_silgen_name("LLVMFuzzerRunDriver")
private func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// Runs libFuzzer over `check` with this process's command line, and exits with its status.
public enum FuzzDriver {
    public static func run(_ check: @escaping (Data) throws(InvariantViolation) -> Void) -> Never {
        activeCheck = check
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(runFuzzerDriver(&argc, &argv, fuzzOneInput))
    }
}
