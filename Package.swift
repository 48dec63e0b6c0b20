// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "daymaker",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "daymaker", targets: ["daymaker"]),
        .library(name: "Daymaker", targets: ["Daymaker"]),
        .library(name: "DaymakerCore", targets: ["DaymakerCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.3"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/vapor/leaf.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/leaf-kit.git", from: "1.14.3"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
    ],
    targets: [
        // The domain's plain Swift: policies, parsers, validation and errors. No Vapor, no database.
        .target(
            name: "DaymakerCore",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            // The generator of PhoneRegion+Metadata.swift and what it needs.
            exclude: ["PhoneNumbers/generate.py", "PhoneNumbers/requirements.txt"],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        .target(
            name: "Daymaker",
            dependencies: [
                "DaymakerCore",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "Leaf", package: "leaf"),
                .product(name: "LeafKit", package: "leaf-kit"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            resources: [.copy("Assets")],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        .executableTarget(
            name: "daymaker",
            dependencies: ["Daymaker"],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        .testTarget(
            name: "DaymakerCoreTests",
            dependencies: ["DaymakerCore"],
            resources: [.copy("Fixtures")],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        .testTarget(
            name: "DaymakerTests",
            dependencies: [
                "Daymaker",
                "DaymakerCore",
                .product(name: "VaporTesting", package: "vapor"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
    ]
)
