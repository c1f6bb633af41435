import Foundation
import OCRChatModel

/// Finds Tesseract's `.traineddata` models: the project's `tessdata/` first, then
/// `TESSDATA_PREFIX`, then the system folders.
public struct ModelLocator: Sendable {
    /// Folders searched, in order.
    public let searchPaths: [URL]

    /// A locator over explicit folders (tests, configuration).
    public init(searchPaths: [URL]) {
        self.searchPaths = searchPaths
    }

    /// The default search order: `./tessdata`, the `tessdata/` beside the checkout the binary was
    /// built in, `TESSDATA_PREFIX` (and its `tessdata/`), then Debian's and other system folders.
    public static func standard(environment: [String: String] = ProcessInfo.processInfo.environment) -> ModelLocator {
        var paths: [URL] = [URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("tessdata")]
        // The checkout the binary was built in (.build/…/release/ocrchat): the nearest folder
        // above it that holds Package.swift.
        var folder = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<5 where folder.path != "/" {
            folder = folder.deletingLastPathComponent()
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path) {
                paths.append(folder.appendingPathComponent("tessdata"))
                break
            }
        }
        if let prefix = environment["TESSDATA_PREFIX"], !prefix.isEmpty {
            let url = URL(fileURLWithPath: prefix)
            paths.append(url)
            paths.append(url.appendingPathComponent("tessdata"))
        }
        for system in ["/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata",
                       "/usr/share/tessdata", "/usr/local/share/tessdata", "/opt/homebrew/share/tessdata"] {
            paths.append(URL(fileURLWithPath: system))
        }
        var seen: Set<String> = []
        return ModelLocator(searchPaths: paths.filter { seen.insert($0.standardizedFileURL.path).inserted })
    }

    /// Every installed model name (without `osd`), sorted.
    public var installedLanguages: [String] {
        Array(Set(searchPaths.flatMap(models(in:))).subtracting(["osd"])).sorted()
    }

    /// For each script with an installed model, its first installed model (`rus`, `ara`, `chi_sim`…).
    var modelPerScript: [String] {
        let installed = Set(installedLanguages)
        var models: [String] = []
        for script in LanguageCodes.modelsForScript.keys.sorted() {
            if let model = LanguageCodes.modelsForScript[script]?.first(where: installed.contains), !models.contains(model) {
                models.append(model)
            }
        }
        return models
    }

    /// Whether a model is installed anywhere on the search path.
    public func isInstalled(_ model: String) -> Bool {
        searchPaths.contains { FileManager.default.fileExists(atPath: $0.appendingPathComponent("\(model).traineddata").path) }
    }

    /// A folder that holds every model of `language` (`deu+eng`), the first on the search path.
    ///
    /// When the models are spread over several folders, a folder of links to them is made in the
    /// temporary directory, since Tesseract takes one data folder.
    func dataPath(for language: String) throws -> String {
        try requireInstalled(language)
        let models = language.split(separator: "+").map(String.init)
        for folder in searchPaths where models.allSatisfy({ folderHas(folder, $0) }) {
            return folder.path
        }
        let merged = FileManager.default.temporaryDirectory
            .appendingPathComponent("ocrchat-tessdata-\(getuid())-\(models.joined(separator: "+"))")
        try? FileManager.default.createDirectory(at: merged, withIntermediateDirectories: true)
        for model in models {
            let link = merged.appendingPathComponent("\(model).traineddata")
            guard let source = searchPaths.first(where: { folderHas($0, model) }) else { continue }
            try? FileManager.default.removeItem(at: link)
            try FileManager.default.createSymbolicLink(at: link, withDestinationURL: source.appendingPathComponent("\(model).traineddata"))
        }
        return merged.path
    }

    /// Throws unless every model of `language` (`deu+eng`) is installed: a real model that is
    /// missing names the installed ones, a name no one publishes is an unknown language.
    public func requireInstalled(_ language: String) throws {
        let missing = language.split(separator: "+").map(String.init).filter { !isInstalled($0) }
        guard let first = missing.first else { return }
        if missing.allSatisfy(LanguageCodes.tesseractModels.contains) {
            throw EngineError.languageNotInstalled(language: first, installed: installedLanguages)
        }
        throw EngineError.unknownLanguage(code: first)
    }

    private func folderHas(_ folder: URL, _ model: String) -> Bool {
        FileManager.default.fileExists(atPath: folder.appendingPathComponent("\(model).traineddata").path)
    }

    private func models(in folder: URL) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".traineddata") }.map { String($0.dropLast(".traineddata".count)) }
    }
}
