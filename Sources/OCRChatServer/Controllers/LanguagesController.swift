import Hummingbird
import OCRChatConversion
import OCRChatModel

/// `/api/v1/languages/`: the languages this server can read, for the web page's selector and for
/// clients that want to offer a choice; what is installed here, not what Tesseract publishes.
struct LanguagesController {
    let dependencies: ServerDependencies

    /// One installed model and the code a caller sends for it.
    struct Language: Codable {
        /// The shortest code that names it (`fr`, `zh-tw`), else Tesseract's name (`frk`, `Latin`).
        var code: String
        /// Tesseract's name of the model (`fra`, `chi_tra`, `Latin`).
        var model: String
        /// Its English name; a script model's says so (`Latin script`).
        var name: String
    }

    /// The answer: `auto` first, then every installed language model, then the script models.
    struct Languages: ResponseEncodable {
        var languages: [Language]
    }

    func addRoutes(to router: Router<OCRRequestContext>) {
        router.get("/api/v1/languages") { _, _ in Self.installed(dependencies.reader.installedModels()) }
    }

    /// The models installed, named the way callers write them.
    static func installed(_ models: [InstalledModel]) -> Languages {
        var languages = [Language(code: "auto", model: "auto", name: "detect, page by page")]
        var scripts: [Language] = []
        for installed in models {
            let model = installed.model
            if let language = LanguageCatalog.model(named: model) {
                languages.append(Language(code: installed.codes.first ?? model, model: model, name: language.name))
            } else if LanguageCatalog.script(named: model) != nil {
                scripts.append(Language(code: model, model: model, name: "\(model) script"))
            } else {
                languages.append(Language(code: model, model: model, name: "\(model) (a model of its own)"))
            }
        }
        return Languages(languages: languages + scripts)
    }
}
