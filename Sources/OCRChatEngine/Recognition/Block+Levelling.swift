import OCRChatModel

extension Block {
    /// The block with its boxes taken from a deskewed image back to the page image as it was given.
    func mapped(skewDegrees: Double, imageWidth: Int, imageHeight: Int, pageWidth: Int, pageHeight: Int) -> Block {
        mapped { $0.levelledBack(skewDegrees: skewDegrees, imageWidth: imageWidth, imageHeight: imageHeight,
                                 pageWidth: pageWidth, pageHeight: pageHeight) }
    }

    /// The block with every box moved by `map`.
    func mapped(_ map: (BoundingBox) -> BoundingBox) -> Block {
        var block = self
        block.bbox = map(bbox)
        block.lines = lines.map { line in
            Line(bbox: map(line.bbox), confidence: line.confidence,
                 words: line.words.map { Word(text: $0.text, bbox: map($0.bbox), confidence: $0.confidence) })
        }
        return block
    }
}

extension BoundingBox {
    /// The box of a deskewed image back on the page as it was given: its centre turned back about
    /// the image centre (Leptonica turned the page clockwise by `skewDegrees`, y down), its size kept.
    func levelledBack(skewDegrees: Double, imageWidth: Int, imageHeight: Int, pageWidth: Int, pageHeight: Int) -> BoundingBox {
        levelled(by: -skewDegrees, imageWidth: imageWidth, imageHeight: imageHeight, pageWidth: pageWidth, pageHeight: pageHeight)
    }

    /// The box turned by `degrees` about the image centre (clockwise, y down), its size kept:
    /// `levelledBack` undone, for a page's boxes laid on the deskewed image.
    func levelled(by degrees: Double, imageWidth: Int, imageHeight: Int, pageWidth: Int, pageHeight: Int) -> BoundingBox {
        let (x, y) = BoundingBox.turning(x: Double(x0 + x1) / 2, y: Double(y0 + y1) / 2, by: degrees * .pi / 180,
                                         centerX: Double(imageWidth) / 2, centerY: Double(imageHeight) / 2)
        let (halfWidth, halfHeight) = (Double(x1 - x0) / 2, Double(y1 - y0) / 2)
        func clampX(_ v: Double) -> Int { min(max(Int(v.rounded()), 0), pageWidth) }
        func clampY(_ v: Double) -> Int { min(max(Int(v.rounded()), 0), pageHeight) }
        return BoundingBox(x0: clampX(x - halfWidth), y0: clampY(y - halfHeight), x1: clampX(x + halfWidth), y1: clampY(y + halfHeight))
    }
}
