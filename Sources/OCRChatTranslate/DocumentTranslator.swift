import Foundation
import OCRChatModel

/// Translates a document offline: each page with the installed Apertium pair from the language it
/// was read in, else with the operator's local language model when one is configured. A pair that
/// neither can do is refused before any work (a 400 at upload) with the pairs that are installed.
public struct DocumentTranslator: Sendable {
    public var apertium: ApertiumTranslator
    /// The local model, for pairs Apertium does not have; nil: Apertium only.
    public var model: ModelTranslator?

    public init(apertium: ApertiumTranslator = ApertiumTranslator(), model: ModelTranslator? = nil) {
        self.apertium = apertium
        self.model = model
    }

    /// Checks a request before any work: an installed pair (or, under `auto`, one into `target`),
    /// or a configured model and two languages it can be told about.
    public func validate(source: String?, target: String) throws {
        do {
            try apertium.validate(source: source, target: target)
        } catch let error as TranslationError {
            guard model != nil, case .pairUnavailable = error else { throw error }
            if let source, source.lowercased() != "auto", TranslationLanguages.forms(of: source) == nil {
                throw TranslationError.unknownLanguage(source)
            }
        }
    }

    /// `document` with every block translated into `target`: `translation` set on each block and
    /// page, the original text kept. Pages whose language neither translator takes stay as they
    /// are, and the document's warnings say so.
    public func translate(_ document: Document, to target: String) async throws -> Document {
        var result = document
        result.translatedTo = TranslationLanguages.forms(of: target)?.first ?? target
        var missing: Set<String> = []
        var byModel: [Int] = []
        for pageIndex in result.pages.indices {
            let page = result.pages[pageIndex]
            guard !page.blocks.isEmpty else { continue }
            let source = ApertiumTranslator.sourceLanguage(of: page, in: document)
            let paragraphs = page.blocks.map { block in
                block.lines.map(\.text).joined(separator: " ").replacingOccurrences(of: "\n", with: " ")
            }
            let translated: [String]
            if let pair = try? apertium.pair(from: source, to: target) {
                guard FileManager.default.isExecutableFile(atPath: apertium.executable.path) else {
                    throw TranslationError.apertiumMissing
                }
                translated = try await apertium.translateParagraphs(paragraphs, pair: pair)
            } else if let model {
                translated = try await model.translateParagraphs(paragraphs, from: source, to: target)
                byModel.append(pageIndex + 1)
            } else {
                missing.insert(source)
                continue
            }
            for (blockIndex, text) in translated.enumerated() {
                result.pages[pageIndex].blocks[blockIndex].translation = text
            }
        }
        if let model, !byModel.isEmpty {
            result.warnings.append("no Apertium pair into \(target) for \(byModel.count == result.pages.count ? "this document" : "\(byModel.count) page(s)"): "
                + "translated by the local model \(model.name), which can be less literal than Apertium")
        }
        for source in missing.sorted() {
            result.warnings.append("pages read as \(source) were not translated: "
                + TranslationError.pairUnavailable(from: source, to: target, available: apertium.availablePairs).description)
        }
        return result
    }
}
