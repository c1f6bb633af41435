import Foundation
import Logging
import OCRChatNeural

/// What one pool thread owns: its Tesseract handles, created on first use and reused across pages
/// and documents. Used only on its own thread.
final class RecognitionWorker {
    /// How many language handles a worker keeps loaded before dropping the least recently used.
    static let keptLanguages = 3

    let models: ModelLocator
    /// Where the vlm tier's neural models and runtime are found.
    let neural: NeuralModelLocator
    let logger: Logger
    private var handles: [TesseractHandle] = []  // most recently used last
    private var orientationHandle: TesseractHandle?
    private var orientationUnavailable = false

    init(models: ModelLocator, neural: NeuralModelLocator, logger: Logger) {
        self.models = models
        self.neural = neural
        self.logger = logger
    }

    /// The handle for `language`, loading the model the first time.
    func handle(for language: String) throws -> TesseractHandle {
        if let index = handles.firstIndex(where: { $0.language == language }) {
            let handle = handles.remove(at: index)
            handles.append(handle)
            return handle
        }
        let started = ContinuousClock.now
        let handle = try TesseractHandle(language: language, dataPath: models.dataPath(for: language))
        logger.debug("loaded model", metadata: ["language": "\(language)", "took": "\(ContinuousClock.now - started)"])
        if handles.count >= Self.keptLanguages { handles.removeFirst() }
        handles.append(handle)
        return handle
    }

    /// The neural reader (loaded once per process, shared by the threads), or why there is none.
    func neuralReader() -> Result<NeuralReader, NeuralError> {
        NeuralReader.load(neural)
    }

    /// The orientation-and-script handle (`osd` model), or nil when that model is not installed.
    func orientationDetector() -> TesseractHandle? {
        if let orientationHandle { return orientationHandle }
        guard !orientationUnavailable else { return nil }
        do {
            orientationHandle = try TesseractHandle(language: "osd", dataPath: models.dataPath(for: "osd"))
        } catch {
            orientationUnavailable = true
            logger.warning("orientation detection is off: \(error)")
        }
        return orientationHandle
    }
}
