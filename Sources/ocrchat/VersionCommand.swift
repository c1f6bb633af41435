import ArgumentParser
import Foundation
import OCRChatEngine
import OCRChatNeural

/// `ocrchat version`: what this binary runs on, for bug reports.
struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version",
        abstract: "Show the versions of ocrchat and the libraries it runs on."
    )

    static let ocrchatVersion = "0.1.0"

    func run() {
        print("ocrchat \(Self.ocrchatVersion)")
        for library in NativeLibraries.versions {
            print("\(library.name) \(library.version)")
        }
        print("OMP_THREAD_LIMIT=\(ProcessInfo.processInfo.environment["OMP_THREAD_LIMIT"] ?? "unset")")
        print("model folders searched: \(ModelLocator.standard().searchPaths.map(\.path).joined(separator: ", "))")
        switch NeuralReader.load(.standard()) {
        case .success(let reader): print("vlm tier: \(reader.description)")
        case .failure(let error): print("vlm tier: neural recogniser unavailable, pages are read by Tesseract: \(error)")
        }
    }
}
