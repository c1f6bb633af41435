import Foundation
import Logging
import Testing
@testable import OCRChatEngine

/// What keeps long files flat in memory and turned pages cheap: the pool lets go of a page as soon
/// as a thread takes it, and a clearly turned full page is detected before its first reading.
@Suite("Memory and turned pages")
struct StreamingTests {
    private final class PageStandIn: Sendable {}

    @Test("a job taken from the queue no longer holds what it captured (its page image)")
    func takenJobIsReleased() {
        let queue = JobQueue()
        weak var captured: PageStandIn?
        do {
            let page = PageStandIn()
            captured = page
            queue.submit(Job { _ in _ = page })
        }
        #expect(captured != nil, "the queued job holds its page until a thread takes it")
        _ = queue.next()
        #expect(captured == nil, "the taken job's slot still held the page")
        queue.close()
        #expect(queue.next() == nil)
    }

    @Test("an upright page is not flagged, and a short page has too little text for the test to flag it")
    func uprightPagesAreNotFlagged() throws {
        let upright = try PixImage.decode(sample("letter-3pages.tif"), format: .tiff, tiffPage: 0)
        #expect(!TurnedPageCheck.looksTurned(upright))
        // Three short paragraphs give Leptonica too little evidence (its confidence stays under 8):
        // such a page is left to the check after its first reading, as before.
        #expect(!TurnedPageCheck.looksTurned(try upright.rotated(clockwiseDegrees: 180)))
    }

    @Test("weak or contradictory evidence does not flag a page")
    func weakEvidence() {
        #expect(!TurnedPageCheck.isTurned(upright: 12, left: -4))
        #expect(!TurnedPageCheck.isTurned(upright: -1.6, left: 6.2))
        #expect(!TurnedPageCheck.isTurned(upright: 0.6, left: -1.4))
        #expect(TurnedPageCheck.isTurned(upright: -17.7, left: 4))
        #expect(TurnedPageCheck.isTurned(upright: 4, left: 11.3))
        #expect(TurnedPageCheck.isTurned(upright: -5.1, left: -17.7))
    }

    @Test("a page upside down or turned is read upright, the first reading's doubt calling detection", arguments: [180, 270])
    func turnedPageIsReadUpright(degrees: Int) throws {
        let page = try PixImage.decode(sample("letter-3pages.tif"), format: .tiff, tiffPage: 0)
        let turned = try page.rotated(clockwiseDegrees: degrees)
        let worker = RecognitionWorker(models: .standard(), neural: .standard(), logger: Logger(label: "test"))
        let result = try PageRecognizer(language: nil, secondsPerPage: 300)
            .recognize(turned, index: 0, dpi: 300, worker: worker, cancellation: CancellationFlag())
        #expect(result.rotation == (360 - degrees) % 360)
        #expect(result.width == page.width && result.height == page.height)
        let truth = try truthPages("letter-3pages.txt")[0]
        #expect(characterErrorRate(result.text, truth: truth) < 0.03, "\(result.text)")
    }
}
