import Foundation
import OCRChatModel

/// Offline machine translation with Apertium (rule-based; Debian packages one pair per package,
/// e.g. `apertium-eng-spa`), run as a subprocess: `apertium -u -f txt eng-spa`.
///
/// The installed pairs are the mode files in Apertium's modes folder. A document is translated one
/// page per Apertium run: each block (a paragraph; its lines joined, since sentences run across
/// lines) is one paragraph of the input, and the translation is set on the same block, so the page
/// structure and the original text both stay.
public struct ApertiumTranslator: Sendable {
    /// Where Apertium's installed pairs are listed (`eng-spa.mode`, …).
    public var modesDirectory: URL
    /// The `apertium` program.
    public var executable: URL
    /// Longest one Apertium run may take, in seconds.
    public var timeout: Double

    /// Debian's folders and the `apertium` on the PATH.
    public init(modesDirectory: URL = URL(fileURLWithPath: "/usr/share/apertium/modes"),
                executable: URL? = nil, timeout: Double = 120) {
        self.modesDirectory = modesDirectory
        self.executable = executable ?? Self.onPath("apertium") ?? URL(fileURLWithPath: "/usr/bin/apertium")
        self.timeout = timeout
    }

    /// Installed pair names (`eng-spa`, `fr-es`, …), sorted; regional and special variants left out.
    public var availablePairs: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: modesDirectory.path)) ?? []
        return names.filter { $0.hasSuffix(".mode") }.map { String($0.dropLast(5)) }
            .filter { name in
                let parts = name.split(separator: "-")
                return parts.count == 2 && !parts.contains { $0.contains("_") }
            }.sorted()
    }

    /// The installed pair that translates `source` into `target` (codes in any form ocrchat takes).
    public func pair(from source: String, to target: String) throws -> String {
        guard let sourceForms = TranslationLanguages.forms(of: source) else { throw TranslationError.unknownLanguage(source) }
        guard let targetForms = TranslationLanguages.forms(of: target) else { throw TranslationError.unknownLanguage(target) }
        let pairs = availablePairs
        if let pair = pairs.first(where: { name in
            let parts = name.split(separator: "-")
            return TranslationLanguages.matches(parts[0], sourceForms) && TranslationLanguages.matches(parts[1], targetForms)
        }) {
            return pair
        }
        throw TranslationError.pairUnavailable(from: source, to: target, available: pairs)
    }

    /// Checks a request before any work: with a known source, that its pair exists; under `auto`,
    /// that at least one installed pair translates into `target`.
    public func validate(source: String?, target: String) throws {
        guard let source, source.lowercased() != "auto" else {
            guard let targetForms = TranslationLanguages.forms(of: target) else { throw TranslationError.unknownLanguage(target) }
            let pairs = availablePairs
            guard pairs.contains(where: { TranslationLanguages.matches($0.split(separator: "-")[1], targetForms) }) else {
                throw TranslationError.pairUnavailable(from: "any language", to: target, available: pairs)
            }
            return
        }
        _ = try pair(from: source, to: target)
    }

    /// `document` with every OCR'd block translated into `target` by Apertium alone. Pages whose
    /// language has no pair into `target` stay untranslated and the document says so in its warnings.
    public func translate(_ document: Document, to target: String) async throws -> Document {
        guard FileManager.default.isExecutableFile(atPath: executable.path) else { throw TranslationError.apertiumMissing }
        return try await DocumentTranslator(apertium: self).translate(document, to: target)
    }

    /// Paragraphs translated by one Apertium run, one result per paragraph. When Apertium's output
    /// does not split back into as many paragraphs, each is translated on its own.
    func translateParagraphs(_ paragraphs: [String], pair: String) async throws -> [String] {
        let joined = paragraphs.joined(separator: "\n\n")
        let output = try await run(pair: pair, input: joined)
        let pieces = output.components(separatedBy: "\n\n").map(Self.tidy).filter { !$0.isEmpty }
        let nonEmpty = paragraphs.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.count
        if pieces.count == paragraphs.count && nonEmpty == paragraphs.count { return pieces }
        var results: [String] = []
        for paragraph in paragraphs {
            results.append(paragraph.trimmingCharacters(in: .whitespaces).isEmpty
                ? paragraph : Self.tidy(try await run(pair: pair, input: paragraph)))
        }
        return results
    }

    /// Apertium's txt mode leaves a space before punctuation where a line ended and doubles spaces.
    static func tidy(_ text: String) -> String {
        var text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        while text.contains("  ") { text = text.replacingOccurrences(of: "  ", with: " ") }
        for mark in [".", ",", ";", "!", "?", ")"] {
            text = text.replacingOccurrences(of: " \(mark)", with: mark)
        }
        return text
    }

    /// The page's language for translation: the model it was read with, or for a text-layer page
    /// the language the caller named, or English.
    static func sourceLanguage(of page: Page, in document: Document) -> String {
        if !page.language.isEmpty { return page.language }
        if document.requestedLanguage.lowercased() != "auto" { return document.requestedLanguage }
        return document.pages.first { !$0.language.isEmpty }?.language ?? "eng"
    }

    /// One Apertium run: `input` on stdin, the translation from stdout, within the timeout.
    func run(pair: String, input: String) async throws -> String {
        let process = Process()
        process.executableURL = executable
        process.arguments = ["-u", "-f", "txt", pair]
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        do {
            try process.run()
        } catch {
            throw TranslationError.apertiumMissing
        }
        let timeout = self.timeout
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async {
                // Input is written on its own thread so that a full output pipe cannot block it.
                let writer = DispatchQueue(label: "ocrchat.apertium.stdin")
                writer.async {
                    stdin.fileHandleForWriting.write(Data((input + "\n").utf8))
                    try? stdin.fileHandleForWriting.close()
                }
                let deadline = DispatchTime.now() + timeout
                let killer = DispatchWorkItem { if process.isRunning { process.terminate() } }
                DispatchQueue.global().asyncAfter(deadline: deadline, execute: killer)
                let output = stdout.fileHandleForReading.readDataToEndOfFile()
                let errors = stderr.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                killer.cancel()
                if process.terminationReason == .uncaughtSignal {
                    continuation.resume(throwing: TranslationError.timedOut(pair: pair, seconds: timeout))
                } else if process.terminationStatus != 0 {
                    let message = String(decoding: errors, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                    continuation.resume(throwing: TranslationError.apertiumFailed(pair: pair, status: process.terminationStatus,
                                                                                  message: String(message.prefix(300))))
                } else {
                    continuation.resume(returning: String(decoding: output, as: UTF8.self))
                }
            }
        }
    }

    private static func onPath(_ name: String) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }
}
