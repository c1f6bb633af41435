import OCRChatLayout
import OCRChatModel

extension PageRecognizer {
    /// The recognised page laid out as a reader sees it: the ruling lines of the (upright) page image
    /// are found first, since ruled tables are told from them, then `layout` orders and classifies.
    static func laidOut(_ page: Page, image: PixImage, layout: PageLayout) throws -> Page {
        guard !page.words.isEmpty else { return page }
        let upright = try image.rotated(clockwiseDegrees: page.rotation)
        let lineHeights = page.blocks.flatMap(\.lines).map { Double($0.bbox.height) }.sorted()
        var page = page
        let lineHeight = lineHeights[lineHeights.count / 2]
        page.rulings = StageTimings.measure(.rulings) { RuleLineDetector.rulings(in: upright, lineHeight: lineHeight) }
        return StageTimings.measure(.layout) { layout.analyse(page) }
    }
}
