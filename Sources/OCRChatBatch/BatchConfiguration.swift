import Foundation
import OCRChatExport
import OCRChatModel

/// How a hot folder waits for files.
public struct WatchSettings: Sendable, Equatable {
    /// How long a file's size and modification time must stay the same before it is taken.
    public var settleSeconds: Double
    /// How often the folder is listed.
    public var pollSeconds: Double

    public init(settleSeconds: Double = 2, pollSeconds: Double? = nil) {
        self.settleSeconds = settleSeconds
        self.pollSeconds = pollSeconds ?? min(1, max(0.1, settleSeconds / 4))
    }
}

/// Everything a batch run needs to know.
public struct BatchConfiguration: Sendable {
    /// The folder converted.
    public var inputFolder: URL
    /// Where outputs, the manifest and the report go; its tree mirrors the input's.
    public var outputFolder: URL
    /// One output per format for each input.
    public var formats: [ExportFormat]
    /// Language and tier (the progress callback is set by the runner).
    public var recognition: RecognitionOptions
    /// The language the outputs are translated into (`--translate-to`); nil: no translation.
    public var translateTo: String?
    /// Whether sub-folders are converted too (their tree mirrored under the output folder).
    public var recursive: Bool
    /// Documents read at once; their pages share the engine's threads.
    public var concurrentDocuments: Int
    /// Keep running and convert files as they arrive.
    public var watch: WatchSettings?
    /// Move finished originals to `IN/done/` and failed ones to `IN/failed/`.
    public var moveOriginals: Bool
    /// Makes each format's bytes (see `BatchOutputs.render`).
    public var render: OutputRenderer

    public init(inputFolder: URL, outputFolder: URL, formats: [ExportFormat] = [.txt],
                recognition: RecognitionOptions = RecognitionOptions(), translateTo: String? = nil, recursive: Bool = false,
                concurrentDocuments: Int = 2, watch: WatchSettings? = nil, moveOriginals: Bool = false,
                render: @escaping OutputRenderer = BatchOutputs.standardRenderer) {
        self.inputFolder = inputFolder.standardizedFileURL
        self.outputFolder = outputFolder.standardizedFileURL
        self.formats = formats
        self.recognition = recognition
        self.translateTo = translateTo
        self.recursive = recursive
        self.concurrentDocuments = max(1, concurrentDocuments)
        self.watch = watch
        self.moveOriginals = moveOriginals
        self.render = render
    }

    /// Where finished originals go when they are moved.
    public var doneFolder: URL { inputFolder.appendingPathComponent("done") }
    /// Where failed originals go when they are moved.
    public var failedFolder: URL { inputFolder.appendingPathComponent("failed") }

    /// The recognition settings outputs depend on; outputs made with others are made again.
    public var settingsFingerprint: String {
        "language=\(recognition.language) tier=\(recognition.tier.rawValue) dpi=\(recognition.renderDPI)"
            + (recognition.tool.map { " tool=\($0.rawValue)" } ?? "")
    }

    /// Checks the folders: the input must be a folder, the output must not be the input (it may
    /// lie inside it: it is then left out of the scan).
    public func validate() throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: inputFolder.path, isDirectory: &isDirectory) else {
            throw BatchError.invalidFolder("\(inputFolder.path): no such folder")
        }
        guard isDirectory.boolValue else { throw BatchError.invalidFolder("\(inputFolder.path) is a file, not a folder") }
        let input = inputFolder.resolvingSymlinksInPath().path
        let output = outputFolder.resolvingSymlinksInPath().path
        if input == output { throw BatchError.invalidFolder("the output folder must not be the input folder") }
        if FileManager.default.fileExists(atPath: output, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw BatchError.invalidFolder("\(outputFolder.path) is a file, not a folder")
        }
    }
}
