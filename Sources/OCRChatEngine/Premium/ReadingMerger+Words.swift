import OCRChatModel
import OCRChatNeural

/// Word by word inside one line: where both engines read a line, each stretch of it is taken
/// from the engine whose reading of that stretch the dictionary backs.
///
/// First the line as a whole: the engine with more dictionary words on it (on a tie, Tesseract)
/// is the line's reader. Then the two readings are cut into **stretches**: a Tesseract word and a
/// neural word are one stretch when the middle of either lies inside the other or they share half
/// the narrower one's width (so "in the" read as "inthe" is one stretch, and a neural word box a
/// few pixels off still finds its Tesseract word). In each stretch:
///
/// - both read it: the other engine's words replace the line's reader's only with more words of
///   three letters or more in the dictionary; on a tie (numbers, names) the line's reader's stay,
///   since it read the line better as a whole;
/// - only Tesseract read it: on a line Tesseract reads, it stays. On a line the neural model
///   reads, it stays when it overlaps a neural word (placed a little differently) or is a
///   dictionary word or a confident one; otherwise the neural model, reading the line, saw
///   nothing there: the specks and quotes Tesseract reads into noise and rulings go;
/// - only the neural model read it: on a line it reads, it stays. On a line Tesseract reads, it
///   joins the line when it is a dictionary word or a confident one (a word Tesseract lost in a
///   shadow or in noise) and overlaps none of Tesseract's words (two boxes a little apart are one
///   word placed differently, not two words).
///
/// Deciding per stretch rather than per line keeps what each engine read right on a line where both
/// made one slip each, where a whole-line choice must keep one of the slips.
extension ReadingMerger {
    /// What `combine` made of one line.
    struct CombinedLine {
        var words: [Word]
        /// How many stretches the neural reading won or added.
        var neuralStretches = 0
    }

    /// A word only one engine read stays with this confidence or more (or when it is in the dictionary).
    static let confidentLoneWord = 0.80

    /// Tesseract's words of one line and the neural words that fell on it, stretch by stretch.
    func combine(tesseract: [Word], neural: [Word]) -> CombinedLine {
        let t = tesseract.count
        var sets = DisjointSets(count: t + neural.count)
        for (i, a) in tesseract.enumerated() {
            for (j, b) in neural.enumerated() where Self.sameStretch(a.bbox, b.bbox) {
                sets.join(i, t + j)
            }
        }
        var stretches: [Int: (tesseract: [Word], neural: [Word])] = [:]
        for (i, word) in tesseract.enumerated() { stretches[sets.find(i), default: ([], [])].tesseract.append(word) }
        for (j, word) in neural.enumerated() { stretches[sets.find(t + j), default: ([], [])].neural.append(word) }

        // Detection grows its boxes around the ink, Tesseract fits its own to it: a neural word taken
        // onto this line gets the line's height, so that rows of a tight table stay apart for the
        // layout step and the exports' word boxes sit on the ink.
        let top = tesseract.map(\.bbox.y0).min() ?? 0, bottom = tesseract.map(\.bbox.y1).max() ?? 0
        func fitted(_ words: [Word]) -> [Word] {
            tesseract.isEmpty ? words : Self.fitted(words, top: top, bottom: bottom)
        }
        // The line's reading as a whole: the engine with more dictionary words on it. Its words stand
        // wherever the stretch itself gives no evidence either way (numbers, names, a tie).
        let neuralLine = dictionaryWords(neural.map(\.text)) > dictionaryWords(tesseract.map(\.text))
        var combined = CombinedLine(words: [])
        for stretch in stretches.values {
            let (tWords, pWords) = stretch
            if pWords.isEmpty {
                combined.words += !neuralLine ? tWords : tWords.filter { word in
                    isBacked(word) || neural.contains { Self.touches(word.bbox, $0.bbox) }
                }
            } else if tWords.isEmpty {
                let kept = neuralLine ? pWords
                    : pWords.filter { word in isBacked(word) && !tesseract.contains { Self.touches(word.bbox, $0.bbox) } }
                combined.words += fitted(kept)
                combined.neuralStretches += kept.isEmpty ? 0 : 1
            } else {
                let (tCount, pCount) = (dictionaryWords(tWords.map(\.text)), dictionaryWords(pWords.map(\.text)))
                if Self.typographicallyEqual(tWords, pWords) {
                    // Both read the same text, up to the kind of quote or dash: Tesseract's words
                    // keep the glyphs it told apart (PP-OCR's training text folds ’ to ') and its
                    // boxes, fitted to the ink.
                    combined.words += tWords
                } else if pCount > tCount || (neuralLine && pCount == tCount) {
                    combined.words += fitted(pWords)
                    combined.neuralStretches += 1
                } else {
                    combined.words += tWords
                }
            }
        }
        combined.words.sort { $0.bbox.x0 < $1.bbox.x0 }
        return combined
    }

    /// Neural words given a row's top and bottom (detection grows its boxes around the ink).
    static func fitted(_ words: [Word], top: Int, bottom: Int) -> [Word] {
        words.map { word in
            var word = word
            word.bbox = BoundingBox(x0: word.bbox.x0, y0: top, x1: word.bbox.x1, y1: bottom)
            return word
        }
    }

    /// Whether a word one engine alone read has evidence of its own: the dictionary knows it, or
    /// its engine is confident of it.
    func isBacked(_ word: Word) -> Bool {
        word.confidence >= Self.confidentLoneWord || dictionaryWords([word.text]) > 0
    }

    /// Whether two readings of a stretch are the same words but for the kind of quote, apostrophe
    /// or dash (words split or run together differ: "d’ un" is not "d'un").
    static func typographicallyEqual(_ a: [Word], _ b: [Word]) -> Bool {
        func folded(_ word: Word) -> String {
            String(String.UnicodeScalarView(word.text.unicodeScalars.map { scalar in
                switch scalar {
                case "\u{2018}", "\u{2019}", "\u{201A}", "\u{201B}", "\u{2032}", "`", "\u{00B4}": "'"
                case "\u{201C}", "\u{201D}", "\u{201E}", "\u{201F}", "\u{2033}", "\u{00AB}", "\u{00BB}": "\""
                case "\u{2010}", "\u{2011}", "\u{2012}", "\u{2013}", "\u{2014}", "\u{2015}", "\u{2212}": "-"
                default: scalar
                }
            }))
        }
        return a.map(folded) == b.map(folded)
    }

    /// Whether two word boxes of one line cover the same stretch of it: on one row, the middle of
    /// either lies inside the other or they share half the narrower one's width.
    static func sameStretch(_ a: BoundingBox, _ b: BoundingBox) -> Bool {
        let middleA = (a.x0 + a.x1) / 2, middleB = (b.x0 + b.x1) / 2
        let shared = min(a.x1, b.x1) - max(a.x0, b.x0)
        return sharesRow(a, b) && ((b.x0...b.x1).contains(middleA) || (a.x0...a.x1).contains(middleB)
            || 2 * shared >= min(a.width, b.width))
    }

    /// Whether two word boxes of one line overlap at all, across: then neither is a word the other
    /// engine missed, only one it placed a little differently.
    static func touches(_ a: BoundingBox, _ b: BoundingBox) -> Bool {
        sharesRow(a, b) && min(a.x1, b.x1) > max(a.x0, b.x0)
    }

    private static func sharesRow(_ a: BoundingBox, _ b: BoundingBox) -> Bool {
        (b.y0...b.y1).contains((a.y0 + a.y1) / 2) || (a.y0...a.y1).contains((b.y0 + b.y1) / 2)
    }
}
