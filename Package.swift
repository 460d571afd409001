// swift-tools-version: 6.1
import PackageDescription

// Module graph (DESIGN.md): Plan is pure; ADOClient and Apply do the I/O; the `adoperm` executable is the only
// place that prints. The emulator is a separate executable so the shipped `adoperm` binary never links NIO.
let package = Package(
    name: "adoperm",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "adoperm", targets: ["adoperm"]),
        .executable(name: "ado-emulator", targets: ["ado-emulator"]),
        .library(name: "Plan", targets: ["Plan"]),
        .library(name: "ADOClient", targets: ["ADOClient"]),
        .library(name: "Apply", targets: ["Apply"]),
        .library(name: "ADOEmulator", targets: ["ADOEmulator"]),
        // For the fuzz package (fuzz/Package.swift), which depends on this one by path.
        .library(name: "FuzzChecks", targets: ["FuzzChecks"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        .target(
            name: "Plan",
            dependencies: [
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Collections", package: "swift-collections"),
            ]
        ),
        .target(
            name: "CCurlShim",
            linkerSettings: [.linkedLibrary("curl")]
        ),
        .target(
            name: "ADOClient",
            dependencies: [
                "Plan",
                "CCurlShim",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // libxml2 (system library) for the JUnit drift report, and the drift report writers.
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .target(name: "DriftReports", dependencies: ["Plan", "CLibXML2"]),
        .target(
            name: "Apply",
            dependencies: [
                "Plan", "ADOClient", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .executableTarget(
            name: "adoperm",
            dependencies: [
                "Plan",
                "ADOClient",
                "Apply",
                "DriftReports",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "ADOEmulator",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "ado-emulator",
            dependencies: [
                "ADOEmulator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Test-only helpers: start a real emulator on 127.0.0.1:0, locate fixtures and built binaries.
        .target(
            name: "EmulatorSupport",
            dependencies: [
                "ADOEmulator",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/EmulatorSupport"
        ),
        // The invariants the fuzz targets (fuzz/) trap on and the replay tests check, one copy for both.
        .target(
            name: "FuzzChecks",
            dependencies: ["Plan", "ADOClient", "Apply", .product(name: "Crypto", package: "swift-crypto")],
            path: "Tests/FuzzChecks"
        ),
        .testTarget(
            name: "PlanTests",
            dependencies: [
                "Plan", "ADOClient", "EmulatorSupport", "DriftReports", "FuzzChecks",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "ADOClientTests",
            dependencies: [
                "ADOClient", "Plan", "EmulatorSupport", "FuzzChecks",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(
            name: "ApplyTests",
            dependencies: [
                "Apply", "ADOClient", "Plan", "EmulatorSupport", "FuzzChecks",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(
            name: "ADOEmulatorTests",
            dependencies: [
                "ADOEmulator", "EmulatorSupport", "Plan", "ADOClient",
                .product(name: "PropertyBased", package: "swift-property-based"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .testTarget(
            name: "adopermTests",
            dependencies: ["EmulatorSupport", "Plan", "Apply"],
            // The bad-input corpus is read from the source tree, not bundled.
            exclude: ["Fixtures"]
        ),
    ]
)

for target in package.targets where target.type != .system {
    var settings = target.swiftSettings ?? []
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    target.swiftSettings = settings
}
