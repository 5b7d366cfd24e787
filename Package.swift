// swift-tools-version:6.1
// Remit: agent-to-agent micropayments with attribution receipts.
// Targets follow the layers in docs/ARCHITECTURE.md; arrows point down only.

import PackageDescription

/// One set of settings for every target of ours: Swift 6 language mode (strict concurrency),
/// a small public surface and explicit imports.
let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "Remit",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "RemitCrypto", targets: ["RemitCrypto"]),
        .library(name: "RemitCore", targets: ["RemitCore"]),
        .library(name: "RemitLedger", targets: ["RemitLedger"]),
        .executable(name: "remit", targets: ["remit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
    ],
    targets: [
        // The only C in the package: libsodium, reached through RemitCrypto's *_sodium.swift files.
        .systemLibrary(
            name: "CSodium",
            pkgConfig: "libsodium",
            providers: [.apt(["libsodium-dev"])]
        ),
        .target(
            name: "RemitCrypto",
            dependencies: ["CSodium"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "RemitCore",
            dependencies: ["RemitCrypto"],
            swiftSettings: swiftSettings
        ),
        // The ledger: double-entry journal, escrow, settlement, checkpoints; SQLite store through GRDB.
        .target(
            name: "RemitLedger",
            dependencies: [
                "RemitCore",
                "RemitCrypto",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        // Top layer: the `remit bench …` measurements, next to what they measure.
        .target(
            name: "RemitBenchmarks",
            dependencies: [
                "RemitCore",
                "RemitCrypto",
                "RemitLedger",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "remit",
            dependencies: [
                "RemitBenchmarks",
                "RemitCore",
                "RemitCrypto",
                "RemitLedger",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RemitCryptoTests",
            dependencies: ["RemitCrypto"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RemitCoreTests",
            dependencies: ["RemitCore", "RemitCrypto"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RemitLedgerTests",
            dependencies: [
                "RemitLedger",
                "RemitCore",
                "RemitCrypto",
                .product(name: "GRDB", package: "GRDB.swift"),
                "remit",
            ],
            swiftSettings: swiftSettings
        ),
        // Runs the built `remit` executable as a user would.
        .testTarget(
            name: "RemitCLITests",
            dependencies: ["RemitCore", "remit"],
            swiftSettings: swiftSettings
        ),
    ]
)
