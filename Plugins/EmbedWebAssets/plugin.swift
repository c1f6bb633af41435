import Foundation
import PackagePlugin

/// Turns the files under a target's `Files/` folder into one generated Swift source (through the
/// WebAssetEmbedder tool), so the web page is compiled into the binary and edited as real files.
@main
struct EmbedWebAssets: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        guard let target = target as? SourceModuleTarget else { return [] }
        // The target sits where SwiftPM looks by default (`Target.directoryURL` needs tools 6.1).
        let root = context.package.directoryURL
            .appendingPathComponent("Sources/\(target.name)/Files", isDirectory: true)
        let rootPath = root.standardizedFileURL.path + "/"
        // SwiftPM hands a plugin the files it does not compile itself: here, everything in Files/.
        let files = target.sourceFiles
            .map(\.url)
            .filter { $0.standardizedFileURL.path.hasPrefix(rootPath) }
            .sorted { $0.path < $1.path }
        let output = context.pluginWorkDirectoryURL.appendingPathComponent("EmbeddedWebFiles.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(files.count) web files in \(target.name)",
                executable: try context.tool(named: "WebAssetEmbedder").url,
                arguments: [output.path, root.path] + files.map(\.path),
                inputFiles: files,
                outputFiles: [output]
            ),
        ]
    }
}
