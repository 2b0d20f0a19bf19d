// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "AgriTrace",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "TraceCrypto", targets: ["TraceCrypto"]),
        .library(name: "AgriTrace", targets: ["AgriTrace"]),
        .library(name: "TraceStore", targets: ["TraceStore"]),
        .library(name: "TraceLabels", targets: ["TraceLabels"]),
        .executable(name: "agritrace", targets: ["agritrace"]),
        .executable(name: "agritrace-verify", targets: ["agritrace-verify"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"])]
        ),
        .systemLibrary(name: "CQRencode", pkgConfig: "libqrencode", providers: [.apt(["libqrencode-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CCairo", pkgConfig: "cairo", providers: [.apt(["libcairo2-dev", "libpango1.0-dev"])]),
        .target(name: "TraceCrypto", dependencies: ["COpenSSL"]),
        // Byte loops in C where Swift cannot reach the processor's vector instructions (AVX2's byte shuffles).
        .target(name: "CByteKernels"),
        .target(
            name: "AgriTrace",
            // GS1's Barcode Syntax Dictionary is compiled in (ThirdParty/gs1-syntax-dictionary, Apache-2.0).
            dependencies: ["TraceCrypto", "CByteKernels"]
        ),
        .target(name: "TraceLabels", dependencies: ["AgriTrace", "CQRencode", "CZlib", "CCairo"]),
        .target(
            name: "TraceStore",
            dependencies: ["AgriTrace", "TraceCrypto", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "GRDBSQLite", package: "GRDB.swift")]
        ),
        .executableTarget(
            name: "agritrace",
            dependencies: [
                "AgriTrace", "TraceCrypto", "TraceStore", "TraceLabels",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "agritrace-verify",
            dependencies: [
                "AgriTrace", "TraceCrypto",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "agritrace-bench",
            dependencies: ["AgriTrace", "TraceCrypto", "TraceStore", "TraceLabels", "COpenSSL"],
            path: "Benchmarks/agritrace-bench"
        ),
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "TraceCryptoTests", dependencies: ["TraceCrypto", "TestSupport"]),
        .testTarget(name: "AgriTraceTests", dependencies: ["AgriTrace", "TraceCrypto", "TestSupport"]),
        .testTarget(name: "TraceLabelsTests", dependencies: ["TraceLabels", "AgriTrace", "TraceCrypto", "TestSupport"]),
        .testTarget(name: "TraceStoreTests", dependencies: ["TraceStore", "AgriTrace", "TraceCrypto", "TestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["AgriTrace", "TraceCrypto", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
