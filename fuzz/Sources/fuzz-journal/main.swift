import Foundation
import FuzzChecks

// SwiftPM links an executable's `main` to this module's entry point, so libFuzzer's own `main` is not used:
// the top-level code hands the command line to libFuzzer's driver instead.

/// libFuzzer's entry point: traps when an input breaks an invariant, so libFuzzer saves it as a crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ bytes: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    do {
        try FuzzChecks.journal(size == 0 ? Data() : Data(bytes: bytes!, count: size))
    } catch {
        fatalError("invariant violated: \(error)")
    }
    return 0
}

@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

var argc = CommandLine.argc
var argv = CommandLine.unsafeArgv
exit(runFuzzerDriver(&argc, &argv, fuzz))
