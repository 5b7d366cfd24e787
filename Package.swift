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
        .library(name: "RemitLedgerPostgres", targets: ["RemitLedgerPostgres"]),
        .library(name: "RemitChannels", targets: ["RemitChannels"]),
        .library(name: "RemitInference", targets: ["RemitInference"]),
        .library(name: "RemitRuntime", targets: ["RemitRuntime"]),
        .library(name: "RemitAgents", targets: ["RemitAgents"]),
        .library(name: "RemitSimulation", targets: ["RemitSimulation"]),
        .library(name: "RemitServer", targets: ["RemitServer"]),
        .executable(name: "remit", targets: ["remit"]),
        .executable(name: "remit-example-agent", targets: ["RemitExampleAgent"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
    ],
    targets: [
        // libsodium, reached through RemitCrypto's *_sodium.swift files.
        .systemLibrary(
            name: "CSodium",
            pkgConfig: "libsodium",
            providers: [.apt(["libsodium-dev"])]
        ),
        // BLAKE2b-256 of four messages at once in AVX2 lanes, for what is hashed in batches (receipt
        // digests, Merkle levels, hash chains); RemitCrypto tests it against libsodium's BLAKE2b.
        .target(name: "CBlake2bx4"),
        .target(
            name: "RemitCrypto",
            dependencies: ["CSodium", "CBlake2bx4"],
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
        // The PostgreSQL ledger store (postgres-nio): several nodes, one ledger. Its own target so the
        // NIO stack stays out of everything that only embeds the SQLite ledger.
        .target(
            name: "RemitLedgerPostgres",
            dependencies: [
                "RemitCore",
                "RemitCrypto",
                "RemitLedger",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Payment channels: pure payer/payee state machines, wrapped by durable books on SQLite.
        .target(
            name: "RemitChannels",
            dependencies: [
                "RemitCore",
                "RemitCrypto",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        // Datanets, tokenizer, suffix-array index, deterministic models, attribution, ModelHost.
        .target(
            name: "RemitInference",
            dependencies: [
                "RemitCore",
                "RemitCrypto",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The agent runtime: Agent API, wallet, policies, directory.
        .target(
            name: "RemitRuntime",
            dependencies: [
                "RemitChannels",
                "RemitCore",
                "RemitCrypto",
                "RemitInference",
                "RemitLedger",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // Ready-made agents: research, trading, and the contributor and pricing agents simulations use.
        .target(
            name: "RemitAgents",
            dependencies: [
                "RemitRuntime", "RemitCore", "RemitCrypto", "RemitInference", "RemitChannels",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Agents",
            exclude: ["README.md"],
            swiftSettings: swiftSettings
        ),
        // Simulated economies: scenarios, a deterministic engine on a virtual clock, metrics, HTML reports;
        // `--over-http` runs the same agents against the world served on a loopback port (RemitServer).
        .target(
            name: "RemitSimulation",
            dependencies: [
                "RemitAgents", "RemitRuntime", "RemitServer", "RemitChannels", "RemitCore", "RemitCrypto", "RemitInference", "RemitLedger",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // Priced endpoints over HTTP (Hummingbird 2): 402 challenge, vouchers and receipts on the wire,
        // directory and ledger API; and the HTTP client side (remote ledger access and model endpoints).
        .target(
            name: "RemitServer",
            dependencies: [
                "RemitRuntime", "RemitChannels", "RemitCore", "RemitCrypto", "RemitInference", "RemitLedger",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // Top layer: the `remit bench …` measurements, next to what they measure.
        .target(
            name: "RemitBenchmarks",
            dependencies: [
                "RemitChannels", "RemitCore", "RemitCrypto", "RemitInference", "RemitLedger", "RemitLedgerPostgres", "RemitRuntime", "RemitServer",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "remit",
            dependencies: [
                "RemitBenchmarks",
                "RemitChannels",
                "RemitCore",
                "RemitCrypto",
                "RemitInference",
                "RemitLedger",
                "RemitRuntime",
                "RemitAgents",
                "RemitSimulation",
                "RemitServer",
                "RemitLedgerPostgres",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The custom agent of the README, built with everything else so it always compiles.
        .executableTarget(
            name: "RemitExampleAgent",
            dependencies: ["RemitRuntime", "RemitCore", "RemitInference"],
            path: "Examples/CustomAgent",
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
                "RemitLedgerPostgres",
                "RemitBenchmarks",
                "RemitCore",
                "RemitCrypto",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                "remit",
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RemitChannelsTests",
            dependencies: ["RemitBenchmarks", "RemitChannels", "RemitCore", "RemitCrypto", "RemitInference", "remit", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RemitInferenceTests",
            dependencies: ["RemitInference", "RemitCore", "RemitCrypto"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RemitRuntimeTests",
            dependencies: [
                "RemitRuntime", "RemitAgents", "RemitChannels", "RemitCore", "RemitCrypto", "RemitInference", "RemitLedger",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RemitSimulationTests",
            dependencies: ["RemitSimulation", "RemitCore", "RemitInference", "RemitLedger", "RemitRuntime", "RemitServer"],
            swiftSettings: swiftSettings
        ),
        // The HTTP API on a real loopback socket: 402 flow, refusals, limits, admin signatures, restart.
        .testTarget(
            name: "RemitServerTests",
            dependencies: [
                "RemitServer", "RemitRuntime", "RemitAgents", "RemitChannels", "RemitCore", "RemitCrypto", "RemitInference", "RemitLedger",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
        // Runs the built `remit` executable as a user would.
        .testTarget(
            name: "RemitCLITests",
            dependencies: ["RemitCore", "RemitRuntime", "remit"],
            swiftSettings: swiftSettings
        ),
    ]
)
