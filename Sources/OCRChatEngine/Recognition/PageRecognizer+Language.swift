import OCRChatModel

/// `language=auto` beyond the script: the language of a page is identified from its text (CLD2) and
/// the page is read with that language's model, or with two for a mixed page (`fra+eng`).
///
/// Identification decides which model to try; whether its reading is kept is decided by the
/// readings themselves. A page whose text is too short to identify (a line, a snippet, a form of
/// numbers) is read as before.
extension PageRecognizer {
    /// The language of a page of a document whose language is not known yet, from strips across
    /// the middle of the page read with the default model, so that the page is then read once, with
    /// its own language's model. Nil on a line or a snippet, and when the strips say too little to
    /// be sure (the page is then read with the default and identified after).
    ///
    /// The sample grows only as far as the evidence needs. The first strip, a twelfth of the page
    /// (five or six lines of body text, a few hundred letters, which CLD2 is sure of), usually
    /// decides it. When its text is no language, script detection on the first of its lines that
    /// hold enough letters for it names another script (a Cyrillic or Arabic page read with the
    /// Latin default): detection classifies every letter it is given, so it is given a line or
    /// two, not the page. Only a Latin strip too short or too sparse to identify (a heading, a
    /// figure across the middle) has the next sixth of the page read as well.
    func sampledLanguage(_ image: PixImage, index: Int, worker: RecognitionWorker,
                         cancellation: CancellationFlag) throws -> String? {
        guard image.width * image.height > Self.smallImagePixels else { return nil }
        let strip = max(1, image.height / Self.sampleStripsPerPage)
        let top = image.height / 2 - strip / 2
        let handle = try worker.handle(for: Self.autoLanguage(worker.models))
        func readStrip(from y0: Int, to y1: Int) throws -> (image: PixImage, lines: [Line]) {
            let cut = try image.cropped(to: (x0: 0, y0: y0, x1: image.width, y1: y1), margin: 0).image
            let blocks = try handle.recognize(cut, pageIndex: index, seconds: secondsPerPage, cancellation: cancellation).blocks
            return (cut, blocks.flatMap(\.lines))
        }
        let middle = try readStrip(from: top, to: top + strip)
        var text = middle.lines.map(\.text).joined(separator: "\n")
        var sampled = LanguageIdentifier.identify(text)?.tesseractLanguage(installed: worker.models.isInstalled)
        var script: String?
        // The default model reads another script as a few confident Latin words among many unsure
        // ones (a Chinese page's Latin names and numbers), and CLD2 names their language: an unsure
        // strip has its script checked even when its text was identified.
        let words = middle.lines.flatMap(\.words)
        let isUnsure = words.isEmpty || words.map(\.confidence).mean < Self.checkBelowConfidence
        let guess = sampled == nil || isUnsure
            ? try detectedScript(of: middle, letters: text.count, worker: worker) : nil
        if let guess, let model = LanguageCodes.modelsForScript[guess.script]?.first(where: worker.models.isInstalled) ?? sampled {
            script = guess.script
            sampled = model
        }
        let isOtherScript = script.flatMap { LanguageCodes.modelsForScript[$0] } != nil
        if sampled == nil, !isOtherScript, top + strip < image.height {
            text += "\n" + (try readStrip(from: top + strip, to: min(image.height, top + 3 * strip))).lines.map(\.text)
                .joined(separator: "\n")
            sampled = LanguageIdentifier.identify(text)?.tesseractLanguage(installed: worker.models.isInstalled)
        }
        worker.logger.debug("page sampled", metadata: [
            "page": "\(index + 1)", "language": "\(sampled ?? "?")", "script": "\(script ?? "-")",
            "script_confidence": "\(guess?.scriptConfidence ?? 0)", "letters": "\(text.count)",
        ])
        return sampled
    }

    /// The script of a strip when detection is sure of it and the default model found enough
    /// letters in it for detection to judge.
    private func detectedScript(of strip: (image: PixImage, lines: [Line]), letters: Int,
                                worker: RecognitionWorker) throws -> OrientationGuess? {
        guard letters >= Self.minimumScriptLetters, let detector = worker.orientationDetector(),
              let guess = try detector.detectOrientation(Self.scriptSample(of: strip.lines, in: strip.image)),
              guess.scriptConfidence >= Self.minimumScriptConfidence else { return nil }
        return guess
    }

    /// Tesseract's script detection wants at least 50 letters and stops at 250; twice its minimum
    /// is enough for a sure answer at a fraction of the cost of the most.
    static let scriptSampleLetters = 100
    /// Tesseract's minimum: on a strip the default model found fewer letters in (a gap between
    /// paragraphs, a heading) detection guesses, and once named Cyrillic, sure of it, for a strip of
    /// a French and German page. Such a page is read with the default and checked after.
    static let minimumScriptLetters = 50

    /// The part of a strip that script detection looks at: its first lines (as the default model
    /// found them, whatever it made of their letters) up to `scriptSampleLetters`, or the whole
    /// strip when they hold fewer. Lines the default model was unsure of come first: on a page of
    /// another script the lines it read well are that page's Latin (commands, names, numbers), and
    /// the question is what the others are written in.
    static func scriptSample(of lines: [Line], in strip: PixImage) throws -> PixImage {
        let unsure = lines.filter { $0.confidence < checkBelowConfidence }
        let lines = unsure.reduce(0) { $0 + $1.text.count } >= scriptSampleLetters ? unsure : lines
        var taken: [Line] = []
        var letters = 0
        for line in lines where letters < scriptSampleLetters {
            taken.append(line)
            letters += line.text.count
        }
        guard letters >= scriptSampleLetters, let box = BoundingBox.union(taken.map(\.bbox)) else { return strip }
        return try strip.cropped(to: (x0: box.x0, y0: box.y0, x1: box.x1, y1: box.y1), margin: 4).image
    }

    /// The page read again with the language its text is in, when that is not what it was read with
    /// and its model is installed. The new reading is kept unless the evidence is against it on
    /// both counts: lower length-weighted confidence and fewer dictionary words.
    ///
    /// A later page read with the model(s) of the document's earlier pages (`remembered`) is read
    /// again only when their languages are under a fifth of its text (the next page of a
    /// contract that turns from French to German): a page of the document's language with some
    /// English in it reads as it would with the language named, and costs one reading.
    func identified(_ reading: Reading, image: PixImage, remembered: String? = nil, worker: RecognitionWorker,
                    cancellation: CancellationFlag) throws -> Reading {
        guard let found = LanguageIdentifier.identify(reading.page.text),
              let wanted = found.tesseractLanguage(installed: worker.models.isInstalled) else { return reading }
        let readWith = Set(reading.page.language.split(separator: "+"))
        guard !Set(wanted.split(separator: "+")).isSubset(of: readWith) else { return reading }
        if let remembered, reading.page.language == remembered,
           found.shares.contains(where: { readWith.contains(Substring($0.model)) && $0.percent >= IdentifiedLanguages.mixedPageShare }) {
            return reading
        }
        let again = try read(image, index: reading.page.index, dpi: reading.page.dpi, rotation: reading.page.rotation,
                             language: wanted, worker: worker, cancellation: cancellation, stage: .reread)
        let kept = again.page.qualityScore >= reading.page.qualityScore || again.dictionaryWords >= reading.dictionaryWords
        worker.logger.debug("page identified", metadata: [
            "page": "\(reading.page.index + 1)", "identified": "\(found.shares.map { "\($0.model) \($0.percent)%" })",
            "was": "\(reading.page.language)", "kept": "\(kept ? wanted : reading.page.language)",
        ])
        return kept ? again : reading
    }

    /// Whether `reading` should replace `best`. Under auto a reading whose text is identified as the
    /// language of its own model beats one whose text is not (another language, or nonsense read
    /// with the wrong script's model), since confidences of different models do not compare; between
    /// two of a kind, the more confident wins (`margin` in favour of `reading`).
    func isBetter(_ reading: Reading, than best: Reading, margin: Double) -> Bool {
        if language == nil, reading.readsItsLanguage != best.readsItsLanguage { return reading.readsItsLanguage }
        return reading.page.qualityScore + margin > best.page.qualityScore
    }
}

extension Reading {
    /// Whether the text is reliably identified as a language of the model(s) it was read with. A
    /// reading of nonsense never is: CLD2 calls a handful of Devanagari or kana letters Hindi or
    /// Japanese with confidence, whatever they spell, so the script alone proves nothing.
    var readsItsLanguage: Bool {
        !isNonsense && (LanguageIdentifier.identify(page.text)?.isRead(by: page.language) ?? false)
    }

    /// Words of three letters or more that are in the model's dictionary.
    var dictionaryWords: Int { Int((dictionaryWordShare * Double(longWords)).rounded()) }
}
