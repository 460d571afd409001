// swift-tools-version: 6.1
import Foundation
import PackageDescription

// libFuzzer targets for adoperm's input decoders (docs/fuzzing.md). Built only by fuzz/run.sh, with
// `-sanitize=fuzzer,address`; the root package never builds this one. Each target's main.swift names its
// check; FuzzDriver defines `LLVMFuzzerTestOneInput` and hands the command line to libFuzzer's driver. The
// invariants live in the root package's FuzzChecks target, which the replay tests use too.
//
// A path dependency's identity is its directory's name, so the root is named by that (a clone called `adoperm`,
// `main`, …); a root directory called `fuzz` would clash with this package's own identity.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
let rootIdentity = root.lastPathComponent.lowercased()

let fuzzers = ["fuzz-manifest", "fuzz-plan", "fuzz-journal", "fuzz-error"]

let package = Package(
    name: "adoperm-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(path: "..")],
    targets: [
        // The libFuzzer glue every target shares: the entry point and the hand-off to libFuzzer's driver.
        .target(
            name: "FuzzDriver",
            dependencies: [.product(name: "FuzzChecks", package: rootIdentity)],
            path: "Sources/FuzzDriver"
        )
    ] + fuzzers.map { name in
        .executableTarget(
            name: name,
            dependencies: ["FuzzDriver", .product(name: "FuzzChecks", package: rootIdentity)],
            path: "Sources/\(name)"
        )
    }
)
