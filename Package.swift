// swift-tools-version:6.0
import PackageDescription

// The path of a file through ocrchat, in target order:
//   CTesseract / CPoppler   C libraries (Tesseract + Leptonica, Poppler), reached only by the engine
//   CQPDF                   C face over qpdf (+ Leptonica to decode page images), reached only by OCRChatPDF
//   CShimSupport            C++ inside both C faces: a C++ exception → a status and a message naming the call
//   OCRChatModel            the plain document model (pages → blocks → lines → words) and the shared
//                           vocabulary of a reading: Tier, Tool, RecognitionOptions, EngineError
//   OCRChatLayout           recognised words → reading order, headings, lists, tables (pure Swift)
//   CONNXRuntime            C face over ONNX Runtime's C API, opened with dlopen at run time
//   OCRChatNeural           PP-OCR (detection, line classifier, recognition) on ONNX Runtime: the vlm tier's reader
//   OCRChatEngine           bytes → pages (sniff, decode, render, text layer) → recognition → Document
//   OCRChatTranslate        Document → the same with each block translated (Apertium, offline)
//   OCRChatExport           Document → txt, md, json, …
//   OCRChatPDF              Document + the source file → searchable PDF (image pages or the original PDF)
//   OCRChatLocalModel       the one client of the operator's local OpenAI-compatible model (chat answers,
//                           translation, the vision model's page readings), on the one bounded HTTP
//                           transport the server's outgoing calls share (completion callbacks too)
//   OCRChatAnswers          Document + question → passages → ranked passages → answer with page citations
//   OCRChatConversion       the one pipeline every front end uses: a DocumentReader (the engine here,
//                           or the worker pool) → translation → every export, with the rule of which
//                           export shows the translation written once
//   OCRChatWorker           a DocumentReader in supervised child processes (`ocrchat worker`)
//   OCRChatBatch            folders: scan, resume (manifest), convert in parallel, report, hot folder
//   OCRChatWebAssets        the web page and the API's documentation as real files (Files/: layout.html,
//                           pages/, static/ scripts and style, openapi.json), compiled in at build time
//                           by the EmbedWebAssets plugin (which runs WebAssetEmbedder): one binary, no bundle
//   OCRChatServer           the ocr.chat-compatible HTTP API: uploads → jobs (SQLite, or PostgreSQL shared
//                           by several nodes) → downloads; it
//                           reads through a DocumentReader and never imports the engine
//   ocrchat                 the command line (`convert`, `batch`, `serve`, `submit` (an API client of any
//                           server), `token`, `languages`, `doctor`, …)
let package = Package(
    name: "ocrchat",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "ocrchat", targets: ["ocrchat"]),
        .library(name: "OCRChatEngine", targets: ["OCRChatEngine"]),
        .library(name: "OCRChatExport", targets: ["OCRChatExport"]),
        .library(name: "OCRChatPDF", targets: ["OCRChatPDF"]),
        .library(name: "OCRChatAnswers", targets: ["OCRChatAnswers"]),
        .library(name: "OCRChatConversion", targets: ["OCRChatConversion"]),
        .library(name: "OCRChatServer", targets: ["OCRChatServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/vapor/multipart-kit", from: "4.7.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.81.0"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.25.0"),
        // GET /metrics: the server counts through swift-metrics' API into a Prometheus registry of its own.
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        // serve --database postgres://…: several nodes share one PostgreSQL (queue, accounts, files).
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CTesseract",
            pkgConfig: "tesseract lept",
            providers: [.apt(["libtesseract-dev", "libleptonica-dev"])]
        ),
        .target(name: "CShimSupport", linkerSettings: [.linkedLibrary("stdc++")]),
        .target(
            name: "CPoppler",
            dependencies: ["CShimSupport"],
            linkerSettings: [.linkedLibrary("poppler-cpp"), .linkedLibrary("stdc++")]
        ),
        .target(
            name: "CQPDF",
            dependencies: ["CShimSupport"],
            cxxSettings: [.define("POINTERHOLDER_TRANSITION", to: "4")],  // qpdf 11: std::shared_ptr only
            linkerSettings: [.linkedLibrary("qpdf"), .linkedLibrary("lept"), .linkedLibrary("stdc++")]
        ),
        // ONNX Runtime is opened with dlopen when the vlm tier first needs it: without it the
        // package still builds and the cpu tier still runs.
        .target(name: "CONNXRuntime", linkerSettings: [.linkedLibrary("dl")]),
        // Language identification (Google's CLD2, C++ inside, C outside), for `language=auto`.
        .target(name: "CCLD2", linkerSettings: [.linkedLibrary("cld2"), .linkedLibrary("stdc++")]),
        .target(name: "OCRChatModel"),
        // Optimised even in debug builds: its pixel loops (sampling, the detection map) would
        // otherwise make the test suite's neural pages take minutes.
        .target(
            name: "OCRChatNeural",
            dependencies: ["CONNXRuntime", "OCRChatModel", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: [.unsafeFlags(["-O"])]
        ),
        .target(name: "OCRChatLayout", dependencies: ["OCRChatModel"]),
        .target(
            name: "OCRChatEngine",
            dependencies: [
                "CTesseract",
                "CPoppler",
                "CCLD2",
                "OCRChatModel",
                "OCRChatLayout",
                "OCRChatPDF",  // which pages carry an earlier OCR's invisible text (--mode redo)
                "OCRChatNeural",
                "OCRChatLocalModel",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),  // NIOThreadPool: rendering and decoding off the cooperative pool
            ]
        ),
        // The one client of the operator's local OpenAI-compatible model: chat, translation, vision.
        .target(name: "OCRChatLocalModel"),
        .target(name: "OCRChatTranslate", dependencies: ["OCRChatModel"]),
        .target(
            name: "OCRChatExport",
            dependencies: ["OCRChatModel", .product(name: "ZIPFoundation", package: "ZIPFoundation")]
        ),
        .target(name: "OCRChatPDF", dependencies: ["CQPDF", "OCRChatModel"]),
        .target(name: "OCRChatAnswers", dependencies: ["OCRChatModel", "OCRChatLocalModel"]),
        // Reader → translation → exports, once; the local model translates through OCRChatLocalModel's client.
        .target(
            name: "OCRChatConversion",
            dependencies: ["OCRChatEngine", "OCRChatExport", "OCRChatPDF", "OCRChatTranslate", "OCRChatLocalModel", "OCRChatModel"]
        ),
        // Supervised `ocrchat worker` child processes: a native crash on a hostile file ends a child, not the server.
        .target(
            name: "OCRChatWorker",
            dependencies: ["OCRChatConversion", "OCRChatEngine", "OCRChatModel", .product(name: "Logging", package: "swift-log")]
        ),
        .target(
            name: "OCRChatBatch",
            dependencies: [
                "OCRChatConversion",
                "OCRChatEngine",
                "OCRChatExport",
                "OCRChatModel",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Files/ is compiled in by the plugin: every HTML, CSS, JavaScript and JSON file there becomes
        // a string in a generated source, so the binary carries the page and nothing sits beside it.
        .executableTarget(name: "WebAssetEmbedder"),
        .plugin(name: "EmbedWebAssets", capability: .buildTool(), dependencies: ["WebAssetEmbedder"]),
        .target(name: "OCRChatWebAssets", plugins: ["EmbedWebAssets"]),
        .target(
            name: "OCRChatServer",
            dependencies: [
                "OCRChatAnswers",
                "OCRChatConversion",
                "OCRChatExport",
                "OCRChatLocalModel",
                "OCRChatModel",
                "OCRChatTranslate",
                "OCRChatWebAssets",
                .product(name: "Hummingbird", package: "hummingbird"),
                // The HTTP layer's own handlers (upload pace, framing errors as JSON) sit in NIO's pipeline.
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),  // NIOThreadPool: uploads are written on it
                .product(name: "_NIOFileSystem", package: "swift-nio"),  // downloads are read through it
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .executableTarget(
            name: "ocrchat",
            dependencies: [
                "OCRChatConversion",
                "OCRChatEngine",
                "OCRChatExport",
                "OCRChatPDF",
                "OCRChatBatch",
                "OCRChatServer",
                "OCRChatWorker",
                "OCRChatTranslate",
                "OCRChatNeural",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "OCRChatEngineTests", dependencies: ["OCRChatEngine", "OCRChatNeural", .product(name: "Logging", package: "swift-log")]),
        .testTarget(name: "OCRChatNeuralTests", dependencies: ["OCRChatNeural"]),
        .testTarget(name: "OCRChatLayoutTests", dependencies: ["OCRChatLayout", "OCRChatEngine", "OCRChatExport"]),
        .testTarget(name: "OCRChatTranslateTests", dependencies: ["OCRChatTranslate", "OCRChatEngine", "OCRChatExport"]),
        // The Python scripts under Consumers/ are the independent readers the export tests run.
        .testTarget(name: "OCRChatExportTests", dependencies: ["OCRChatExport"], exclude: ["Consumers"]),
        // The searchable PDF is read back with qpdf and Poppler's pdftotext, pdfimages and pdftoppm.
        .testTarget(name: "OCRChatPDFTests", dependencies: ["OCRChatPDF", "OCRChatEngine"], exclude: ["Consumers"]),
        // Answers on documents recognised by the real engine, and a loopback stub of a local model.
        .testTarget(
            name: "OCRChatAnswersTests",
            dependencies: ["OCRChatAnswers", "OCRChatEngine", "OCRChatLocalModel", "OCRChatModel",
                           .product(name: "Hummingbird", package: "hummingbird")]
        ),
        .testTarget(
            name: "OCRChatBatchTests",
            dependencies: ["OCRChatBatch", "OCRChatConversion", "OCRChatEngine", "OCRChatExport", "OCRChatModel"]
        ),
        // node --check and openapi-spec-validator read the files under Sources/OCRChatWebAssets/Files.
        .testTarget(name: "OCRChatWebAssetsTests", dependencies: ["OCRChatWebAssets"]),
        // A throw-away PostgreSQL cluster (initdb, pg_ctl on a free loopback port) for the tests that
        // run the server on PostgreSQL.
        .target(name: "PostgresHarness", path: "Tests/PostgresHarness"),
        .testTarget(
            name: "OCRChatServerTests",
            dependencies: [
                "OCRChatServer",
                "PostgresHarness",
                "OCRChatConversion",
                "OCRChatEngine",
                "OCRChatExport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        // Clients/ holds the Python and curl clients the live tests run against the server; Web/ the
        // Selenium script that drives the web page and the schemathesis settings; Robustness/ the
        // hostile files (with their provenance) that RobustnessTests sends to a live server.
        .testTarget(name: "ocrchatTests", dependencies: ["ocrchat", "PostgresHarness"], exclude: ["Clients", "Web", "Robustness"]),
    ],
    cxxLanguageStandard: .cxx17
)
