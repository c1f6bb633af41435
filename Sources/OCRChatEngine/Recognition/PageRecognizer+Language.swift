import OCRChatModel

/// `language=auto` beyond the script: the language of a page is identified from its text (CLD2) and
/// the page is read with that language's model, or with two for a mixed page (`fra+eng`).
///
/// Identification decides which model to try; whether its reading is kept is decided by the
/// readings themselves. A page whose text is too short to identify (a line, a snippet, a form of
/// numbers) is read as before.
extension PageRecognizer {
    /// The language of a page of a document whose language is not known yet, from a band across
    /// the middle of the page (a sixth of its height: six to ten lines of body text, a few hundred
    /// letters, plenty for CLD2) read with the default model: the page is then read once, with its
    /// own language's model, for a sixth of a reading more. Nil on a line or a snippet, and when the
    /// band says too little to be sure (the page is then read with the default and identified after).
    func sampledLanguage(_ image: PixImage, index: Int, worker: RecognitionWorker,
                         cancellation: CancellationFlag) throws -> String? {
        guard image.width * image.height > Self.smallImagePixels else { return nil }
        let band = try image.cropped(to: (x0: 0, y0: image.height * 5 / 12, x1: image.width, y1: image.height * 7 / 12),
                                     margin: 0).image
        let recognition = try worker.handle(for: Self.autoLanguage(worker.models))
            .recognize(band, pageIndex: index, seconds: secondsPerPage, cancellation: cancellation)
        let text = recognition.blocks.map(\.text).joined(separator: "\n")
        var sampled = LanguageIdentifier.identify(text)?.tesseractLanguage(installed: worker.models.isInstalled)
        if sampled == nil, let guess = worker.orientationDetector()?.detectOrientation(image),
           guess.scriptConfidence >= Self.minimumScriptConfidence {
            // The band read as no language: another script (a Cyrillic or Arabic page read with the
            // Latin default). Detection names it for the whole page, so the page is read with that
            // script's model at once rather than after a reading of nonsense.
            sampled = LanguageCodes.modelsForScript[guess.script]?.first(where: worker.models.isInstalled)
        }
        worker.logger.debug("page sampled", metadata: ["page": "\(index + 1)", "language": "\(sampled ?? "?")"])
        return sampled
    }

    /// The page read again with the language its text is in, when that is not what it was read with
    /// and its model is installed. The new reading is kept unless the evidence is against it on
    /// both counts: lower length-weighted confidence and fewer dictionary words.
    func identified(_ reading: Reading, image: PixImage, worker: RecognitionWorker,
                    cancellation: CancellationFlag) throws -> Reading {
        guard let found = LanguageIdentifier.identify(reading.page.text),
              let wanted = found.tesseractLanguage(installed: worker.models.isInstalled) else { return reading }
        let readWith = Set(reading.page.language.split(separator: "+"))
        guard !Set(wanted.split(separator: "+")).isSubset(of: readWith) else { return reading }
        let again = try read(image, index: reading.page.index, dpi: reading.page.dpi, rotation: reading.page.rotation,
                             language: wanted, worker: worker, cancellation: cancellation)
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
