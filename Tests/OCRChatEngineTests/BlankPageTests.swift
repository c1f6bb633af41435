import Foundation
import Logging
import OCRChatEngine
import OCRChatModel
import Synchronization
import Testing

@Suite("Blank pages are not read")
struct BlankPageTests {
    /// Keeps the messages logged to it, for a test to look at.
    final class Captured: LogHandler, @unchecked Sendable {
        let messages = Mutex<[String]>([])
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .debug

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let page = event.metadata?["page"].map { " page=\($0)" } ?? ""
            messages.withLock { $0.append("\(event.message)\(page)") }
        }
    }

    @Test("a white page comes back empty without a reading; the page after it and a faint one are read")
    func blankPageSkipped() async throws {
        let captured = Captured()
        let logger = Logger(label: "test") { _ in captured }
        let engine = try OCREngine(configuration: EngineConfiguration(workers: 1, logger: logger))
        let document = try await engine.recognize(sample("blank-page.pdf"))
        #expect(document.pages.count == 3)
        #expect(document.pages[0].blocks.isEmpty && document.pages[0].source == .ocr)
        #expect(document.pages[0].width == document.pages[1].width && document.pages[0].height == document.pages[1].height)
        let truth = try truthPages("phototest.txt")[0]
        #expect(characterErrorRate(document.pages[1].text, truth: truth) < 0.03, "\(document.pages[1].text)")
        #expect(characterErrorRate(document.pages[2].text, truth: truth) < 0.1, "light gray ink is no blank page: \(document.pages[2].text)")
        let messages = captured.messages.withLock { $0 }
        #expect(messages.contains("page is blank: not read page=1"), "\(messages)")
        #expect(messages.filter { $0.hasPrefix("page read") }.count == 2, "only the two pages with ink are read: \(messages)")
    }
}
