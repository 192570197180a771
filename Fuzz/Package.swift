// swift-tools-version:6.0
// Coverage-guided fuzz targets (libFuzzer, through the Swift toolchain's -sanitize=fuzzer) for every decoder of
// untrusted input. Kept out of the main package: these executables have no `main` (libFuzzer provides it) and
// only link when built with the sanitizer flags, which scripts/fuzz.sh passes:
//   swift build --package-path Fuzz --scratch-path .build-fuzz -Xswiftc -sanitize=fuzzer,address
// Each target's main.swift hands its test function to libFuzzer's driver (CFuzzerDriver).
import PackageDescription

let targets = ["FuzzOneTimeToken", "FuzzCertificateRequest", "FuzzRequestBodies", "FuzzQueries", "FuzzX5CChain", "FuzzTemplates"]

let package = Package(
    name: "warden-fuzz",
    platforms: [.macOS(.v14)],
    products: targets.map { .executable(name: $0, targets: [$0]) },
    dependencies: [
        .package(name: "warden", path: ".."),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", "4.5.2"..<"5.0.0"),
    ],
    targets: [.target(name: "CFuzzerDriver")]
        + targets.map { name in
            .executableTarget(
                name: name,
                dependencies: [
                    "CFuzzerDriver",
                    .product(name: "WardenCore", package: "warden"),
                    .product(name: "WardenPKI", package: "warden"),
                    .product(name: "WardenTemplate", package: "warden"),
                    .product(name: "X509", package: "swift-certificates"),
                    .product(name: "Crypto", package: "swift-crypto"),
                ])
        }
)
