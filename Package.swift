// swift-tools-version:6.0
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "warden",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "warden", targets: ["warden"]),
        .executable(name: "warden-console", targets: ["warden-console"]),
        .library(name: "WardenCore", targets: ["WardenCore"]),
        .library(name: "WardenTemplate", targets: ["WardenTemplate"]),
        .library(name: "WardenPKI", targets: ["WardenPKI"]),
        .library(name: "WardenStore", targets: ["WardenStore"]),
        .library(name: "WardenServer", targets: ["WardenServer"]),
        .library(name: "WardenClient", targets: ["WardenClient"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/apple/swift-crypto.git", "4.5.2"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.8.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        .target(
            name: "WardenCore",
            swiftSettings: swiftSettings
        ),
        // Go's text/template language with step's functions: pure, no I/O; only WardenCore (design.md §2).
        .target(name: "WardenTemplate", dependencies: ["WardenCore"], swiftSettings: swiftSettings),
        .target(
            name: "WardenPKI",
            dependencies: [
                "WardenCore", "WardenTemplate",
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "JWTKit", package: "jwt-kit"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "WardenStore",
            dependencies: [
                "WardenCore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "WardenServer",
            dependencies: [
                "WardenCore", "WardenPKI", "WardenStore", "WardenTemplate",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "WardenClient",
            dependencies: [
                "WardenCore", "WardenPKI",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "X509", package: "swift-certificates"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "WardenCommandLine",
            dependencies: ["WardenCore", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "warden",
            dependencies: [
                "WardenCore", "WardenPKI", "WardenStore", "WardenServer", "WardenClient", "WardenCommandLine", "WardenTemplate",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .systemLibrary(name: "CNCursesW", path: "tui/CNCursesW", providers: [.apt(["libncursesw5-dev"])]),
        .target(name: "WardenConsoleCore", dependencies: ["WardenCore"], path: "tui/WardenConsoleCore", swiftSettings: swiftSettings),
        .executableTarget(
            name: "warden-console",
            dependencies: [
                "WardenConsoleCore", "WardenClient", "WardenCore", "WardenPKI", "WardenCommandLine", "CNCursesW",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "X509", package: "swift-certificates"),
            ],
            path: "tui/warden-console",
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "WardenConsoleCoreTests", dependencies: ["WardenConsoleCore", "WardenCore"], swiftSettings: swiftSettings),
        .target(
            name: "WardenTestSupport",
            dependencies: [
                "WardenCore", "WardenPKI", "WardenStore", "WardenServer", "WardenClient",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Tests/WardenTestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "WardenCoreTests", dependencies: ["WardenCore"], swiftSettings: swiftSettings),
        .testTarget(name: "WardenTemplateTests", dependencies: ["WardenTemplate", "WardenCore"], swiftSettings: swiftSettings),
        .testTarget(name: "WardenClientTests", dependencies: ["WardenClient", "WardenCore"], swiftSettings: swiftSettings),
        .testTarget(
            name: "WardenPKITests",
            dependencies: [
                "WardenPKI",
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "WardenStoreTests",
            dependencies: [
                "WardenStore", "WardenTestSupport",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "WardenServerTests",
            dependencies: [
                "WardenServer", "WardenClient", "WardenPKI", "WardenStore", "WardenTestSupport",
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
