import ArgumentParser
import OCRChatEngine

/// `ocrchat languages`: the installed models and where they were found.
struct LanguagesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "languages",
        abstract: "List the installed language models.",
        discussion: """
            Models are searched in ./tessdata, the checkout's tessdata/, TESSDATA_PREFIX and the system \
            folders. Add one with 'apt-get install tesseract-ocr-LANG' (all: tesseract-ocr-all) or by \
            copying LANG.traineddata into tessdata/.
            """
    )

    func run() throws {
        let locator = ModelLocator.standard()
        let installed = locator.installedLanguages
        if installed.isEmpty {
            throw ValidationError("no language model is installed; run 'make setup' or 'apt-get install tesseract-ocr-eng'")
        }
        let shortCodes = LanguageCodes.shortCodes(by: installed)
        for model in installed {
            let codes = shortCodes[model].map { " (\($0.joined(separator: ", ")))" } ?? ""
            print("\(model)\(codes)")
        }
        print("orientation detection (osd): \(locator.isInstalled("osd") ? "installed" : "not installed")")
    }
}
