import OCRChatModel

extension Block {
    /// The block with its boxes taken from a deskewed image back to the page image as it was given.
    func mapped(skewDegrees: Double, imageWidth: Int, imageHeight: Int, pageWidth: Int, pageHeight: Int) -> Block {
        // Leptonica turned the page clockwise by `skewDegrees` (y down); turn the boxes back.
        let radians = -skewDegrees * .pi / 180
        let (cx, cy) = (Double(imageWidth) / 2, Double(imageHeight) / 2)
        func map(_ box: BoundingBox) -> BoundingBox {
            // The centre turns back about the image centre; the box keeps its size.
            let (x, y) = BoundingBox.turning(x: Double(box.x0 + box.x1) / 2, y: Double(box.y0 + box.y1) / 2, by: radians,
                                             centerX: cx, centerY: cy)
            let (halfWidth, halfHeight) = (Double(box.x1 - box.x0) / 2, Double(box.y1 - box.y0) / 2)
            func clampX(_ v: Double) -> Int { min(max(Int(v.rounded()), 0), pageWidth) }
            func clampY(_ v: Double) -> Int { min(max(Int(v.rounded()), 0), pageHeight) }
            return BoundingBox(x0: clampX(x - halfWidth), y0: clampY(y - halfHeight),
                               x1: clampX(x + halfWidth), y1: clampY(y + halfHeight))
        }
        return Block(bbox: map(bbox), confidence: confidence, lines: lines.map { line in
            Line(bbox: map(line.bbox), confidence: line.confidence,
                 words: line.words.map { Word(text: $0.text, bbox: map($0.bbox), confidence: $0.confidence) })
        })
    }
}
