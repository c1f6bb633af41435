import Foundation

/// Where the server on this machine last kept its data, so that `ocrchat token` run from any
/// folder finds the database `ocrchat serve` uses, while `serve` keeps its default of `./data`
/// (what `make serve` and its users rely on). The record is one line, the folder's absolute path,
/// in `$XDG_STATE_HOME/ocrchat/data-folder` (`~/.local/state/ocrchat/data-folder`).
public enum DataFolderRecord {
    /// The record file for `environment`; nil when neither `XDG_STATE_HOME` nor `HOME` is set.
    public static func file(environment: [String: String]) -> URL? {
        let state = environment["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? environment["HOME"].map { "\($0)/.local/state" }
        return state.map { URL(fileURLWithPath: $0, isDirectory: true).appendingPathComponent("ocrchat/data-folder") }
    }

    /// Records `folder` as the server's (best effort: a read-only home only loses the convenience).
    public static func record(_ folder: URL, environment: [String: String]) {
        guard let file = file(environment: environment) else { return }
        try? FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? Data((folder.standardizedFileURL.path + "\n").utf8).write(to: file, options: .atomic)
    }

    /// The data folder the tools use when none is named: `./data` when it holds a database, else
    /// the folder the last `ocrchat serve` recorded (when its database is still there), else `./data`.
    /// The second part of the answer says which rule chose it.
    public static func defaultFolder(environment: [String: String], currentDirectory: String = FileManager.default.currentDirectoryPath)
        -> (folder: URL, reason: String) {
        let local = URL(fileURLWithPath: currentDirectory, isDirectory: true).appendingPathComponent("data", isDirectory: true)
        if FileManager.default.fileExists(atPath: local.appendingPathComponent("ocrchat.sqlite").path) {
            return (local, "./data here")
        }
        if let file = file(environment: environment), let text = try? String(contentsOf: file, encoding: .utf8) {
            let recorded = URL(fileURLWithPath: text.trimmingCharacters(in: .whitespacesAndNewlines), isDirectory: true)
            if FileManager.default.fileExists(atPath: recorded.appendingPathComponent("ocrchat.sqlite").path) {
                return (recorded, "the folder ocrchat serve last used")
            }
        }
        return (local, "./data here, new")
    }
}
