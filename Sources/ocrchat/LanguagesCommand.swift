import ArgumentParser
import OCRChatEngine
import OCRChatModel

/// `ocrchat languages`: the installed models, and those that could be, with their Debian packages.
struct LanguagesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "languages",
        abstract: "List the installed language models and those that can be installed.",
        discussion: """
            Models are searched in ./tessdata, the checkout's tessdata/, TESSDATA_PREFIX and the system \
            folders. Add one with 'apt-get install PACKAGE' (every one: tesseract-ocr-all, or \
            'make setup LANGUAGES="jpn kor"'), or by copying LANG.traineddata into tessdata/. Offline, \
            'apt-get download PACKAGE' on a connected machine and 'dpkg -i' the .deb here.
            """
    )

    func run() throws {
        let locator = ModelLocator.standard()
        let installed = locator.installedLanguages
        if installed.isEmpty {
            throw ValidationError("no language model is installed; run 'make setup' or 'apt-get install tesseract-ocr-eng'")
        }
        let codes = LanguageCodes.shortCodes(by: LanguageCatalog.languages.map(\.model))
        func describe(_ model: String) -> String {
            if let language = LanguageCatalog.model(named: model) {
                let aliases = codes[model].map { " (\($0.joined(separator: ", ")))" } ?? ""
                return "\(model)\(aliases)  \(language.name)"
            }
            if LanguageCatalog.script(named: model) != nil { return "\(model)  script: any language written in it" }
            return "\(model)  a model of its own"
        }
        print("installed:")
        for model in installed { print("  " + describe(model)) }
        print("orientation detection (osd): \(locator.isInstalled("osd") ? "installed" : "not installed, add tesseract-ocr-osd")")
        let installable = LanguageCatalog.languages.map(\.model).filter { !locator.isInstalled($0) }
            + LanguageCatalog.scripts.map(\.model).filter { !locator.isInstalled($0) }
        guard !installable.isEmpty else { return }
        print("installable (apt-get install PACKAGE; all of them: tesseract-ocr-all):")
        for model in installable { print("  \(describe(model))  \(LanguageCodes.debianPackage(for: model))") }
    }
}
