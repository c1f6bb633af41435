// swift-tools-version:6.0
import PackageDescription

// The path of a file through ocrchat, in target order:
//   CTesseract / CPoppler   C libraries (Tesseract + Leptonica, Poppler), reached only by the engine
//   OCRChatModel            the plain document model: pages → blocks → lines → words
//   OCRChatEngine           bytes → pages (sniff, decode, render, text layer) → recognition → Document
//   OCRChatExport           Document → txt, md, json, …
//   ocrchat                 the command line (`convert`, `languages`, …)
let package = Package(
    name: "ocrchat",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "ocrchat", targets: ["ocrchat"]),
        .library(name: "OCRChatEngine", targets: ["OCRChatEngine"]),
        .library(name: "OCRChatExport", targets: ["OCRChatExport"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
    ],
    targets: [
        .systemLibrary(
            name: "CTesseract",
            pkgConfig: "tesseract lept",
            providers: [.apt(["libtesseract-dev", "libleptonica-dev"])]
        ),
        .target(
            name: "CPoppler",
            linkerSettings: [.linkedLibrary("poppler-cpp"), .linkedLibrary("stdc++")]
        ),
        .target(name: "OCRChatModel"),
        .target(
            name: "OCRChatEngine",
            dependencies: [
                "CTesseract",
                "CPoppler",
                "OCRChatModel",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "OCRChatExport",
            dependencies: ["OCRChatModel", .product(name: "ZIPFoundation", package: "ZIPFoundation")]
        ),
        .executableTarget(
            name: "ocrchat",
            dependencies: [
                "OCRChatEngine",
                "OCRChatExport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "OCRChatEngineTests", dependencies: ["OCRChatEngine"]),
        .testTarget(name: "OCRChatExportTests", dependencies: ["OCRChatExport"]),
        .testTarget(name: "ocrchatTests", dependencies: ["ocrchat"]),
    ],
    cxxLanguageStandard: .cxx17
)
