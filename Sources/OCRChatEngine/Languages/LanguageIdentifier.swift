import CCLD2
import Foundation
import OCRChatModel

/// The languages of a text, as Google's Compact Language Detector 2 finds them, named by the
/// Tesseract models that read them.
struct IdentifiedLanguages: Equatable {
    /// One language and its share of the text.
    struct Share: Equatable {
        /// The Tesseract model of the language (`fra`, `chi_tra`).
        var model: String
        /// Share of the text's letters, 0…100.
        var percent: Int
    }

    /// The languages found, largest share first (at most three); languages no model reads are left out.
    var shares: [Share]
    /// CLD2's judgement that the first language is clearly the most likely, given the text's length:
    /// a line of a dozen letters, or a reading of nonsense, is not reliable.
    var isReliable: Bool

    /// Below this share a second language is a quotation or a name, not a mixed page: a fifth of
    /// the text, a paragraph in five.
    static let mixedPageShare = 20

    /// The Tesseract language to read the text with: its main language, with the second when the
    /// page is mixed (`fra+eng`); only installed models. A main language whose model is missing is
    /// read with the closest installed (its script's model, a related language); nil when none is.
    func tesseractLanguage(installed: (String) -> Bool) -> String? {
        guard isReliable, let main = shares.first,
              let model = LanguageCodes.readingModel(for: main.model, installed: installed) else { return nil }
        if shares.count > 1, shares[1].percent >= Self.mixedPageShare, shares[1].model != model, installed(shares[1].model) {
            return model + "+" + shares[1].model
        }
        return model
    }

    /// Whether `tesseractLanguage` (`fra`, `fra+eng`) covers the text's main language: a reading
    /// whose text is identified as the language of its own model.
    func isRead(by tesseractLanguage: String) -> Bool {
        guard isReliable, let main = shares.first else { return false }
        return tesseractLanguage.split(separator: "+").contains { $0 == main.model }
    }
}

/// Identifies the language of recognised text with CLD2 (thread-safe, no state, microseconds a page).
enum LanguageIdentifier {
    /// The languages of `text`; nil when CLD2 found none (no letters, or failed).
    static func identify(_ text: String) -> IdentifiedLanguages? {
        var result = CCLD2Result()
        let status = text.utf8CString.withUnsafeBufferPointer { buffer in
            ccld2_detect(buffer.baseAddress, buffer.count - 1, &result)
        }
        guard status == CCLD2_OK else { return nil }
        let slots = withUnsafeBytes(of: result.languages) { raw in
            Array(raw.bindMemory(to: CCLD2Language.self))
        }
        var shares: [IdentifiedLanguages.Share] = []
        for slot in slots where slot.percent > 0 {
            let code = withUnsafeBytes(of: slot.code) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard let model = LanguageCodes.languageCodes[code.lowercased()] else { continue }
            if let index = shares.firstIndex(where: { $0.model == model }) {
                shares[index].percent += Int(slot.percent)
            } else {
                shares.append(.init(model: model, percent: Int(slot.percent)))
            }
        }
        guard !shares.isEmpty else { return nil }
        return IdentifiedLanguages(shares: shares, isReliable: result.is_reliable)
    }

    /// A text-layer page with the language its text is in (a text layer says nothing of it).
    static func identifyingLanguage(of page: Page) -> Page {
        guard page.language.isEmpty, let found = identify(page.text), found.isReliable else { return page }
        var page = page
        page.language = found.shares[0].model
        return page
    }
}
