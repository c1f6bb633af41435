import Foundation
import OCRChatAnswers
import OCRChatEngine
import OCRChatModel

/// The repository's Samples/ folder (fixtures with their ground truth; see Samples/README.md).
let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Samples")

/// One engine for the whole suite, as in the server.
let sharedEngine: OCREngine = {
    do {
        return try OCREngine(configuration: EngineConfiguration(workers: 2))
    } catch {
        fatalError("the test machine has no Tesseract model: \(error) (run make setup)")
    }
}()

/// The samples read by the real engine, once per run (recognition is the slow part).
actor RecognisedSamples {
    static let shared = RecognisedSamples()
    private var documents: [String: Document] = [:]

    func document(_ name: String) async throws -> Document {
        if let document = documents[name] { return document }
        let document = try await sharedEngine.recognize(contentsOf: samples.appendingPathComponent(name),
                                                        options: RecognitionOptions(language: "eng"))
        documents[name] = document
        return document
    }
}
