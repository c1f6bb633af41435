import Crypto
import Foundation

/// Where the premium tier's models and runtime are found, and the checksums they must have.
///
/// Both come from PyPI wheels that `make setup` installs: `rapidocr` carries PP-OCR's ONNX files
/// (Apache-2.0; `rapidocr-*.dist-info/licenses/MODEL_LICENSES.md`) and `onnxruntime` carries
/// `libonnxruntime.so` (MIT). Nothing is downloaded at run time. A models folder given in the
/// configuration (`--models-dir`, `OCRCHAT_MODELS_DIR`) and a library path (`OCRCHAT_ONNXRUNTIME`)
/// come first; then the Python package folders of this machine.
public struct NeuralModelLocator: Sendable, Hashable {
    /// A folder holding the three model files, searched first.
    public var modelsDirectory: String?
    /// The ONNX Runtime library to load, searched first.
    public var libraryPath: String?

    /// The models of rapidocr 3.10.0 and their SHA-256: another file under the same name (another
    /// release, a damaged download) is refused rather than read with the wrong characters.
    public static let detectionModel = ModelFile(
        name: "PP-OCRv6_det_small.onnx", sha256: "090f04abcd9d9a7498bc4ebf677e4cb9bdce1fe4197ddb7e529f1ef44e1ff94f")
    public static let recognitionModel = ModelFile(
        name: "PP-OCRv6_rec_small.onnx", sha256: "6f327246b50388f3c176ae304bd95767ea6dc0c9ae92153ef8cbe210b3c14884")
    public static let classifierModel = ModelFile(
        name: "ch_ppocr_mobile_v2.0_cls_mobile.onnx", sha256: "e47acedf663230f8863ff1ab0e64dd2d82b838fceb5957146dab185a89d6215c")

    /// One model file the tier needs.
    public struct ModelFile: Sendable, Hashable {
        public var name: String
        public var sha256: String
    }

    public init(modelsDirectory: String? = nil, libraryPath: String? = nil) {
        self.modelsDirectory = modelsDirectory
        self.libraryPath = libraryPath
    }

    /// The locator the environment configures: `OCRCHAT_MODELS_DIR`, `OCRCHAT_ONNXRUNTIME`.
    public static func standard(environment: [String: String] = ProcessInfo.processInfo.environment) -> NeuralModelLocator {
        NeuralModelLocator(modelsDirectory: environment["OCRCHAT_MODELS_DIR"].flatMap { $0.isEmpty ? nil : $0 },
                           libraryPath: environment["OCRCHAT_ONNXRUNTIME"].flatMap { $0.isEmpty ? nil : $0 })
    }

    /// Where the Debian package (`make deb`) puts the model files and ONNX Runtime, searched
    /// before Python's folders: a workstation without pip has them there.
    public static let packagedModels = "/usr/share/ocrchat/vlm"
    public static let packagedRuntime = "/usr/lib/ocrchat"

    /// Python package folders where pip puts wheels, most specific first.
    static func packageFolders() -> [String] {
        var folders: [String] = []
        let environment = ProcessInfo.processInfo.environment
        if let venv = environment["VIRTUAL_ENV"] { folders += glob("\(venv)/lib/python3*/site-packages") }
        let home = environment["HOME"] ?? NSHomeDirectory()
        folders += glob("\(home)/.local/lib/python3*/site-packages")
        folders += glob("\(home)/.pyenv/versions/*/lib/python3*/site-packages")
        folders += glob("/usr/local/lib/python3*/dist-packages") + glob("/usr/local/lib/python3*/site-packages")
        folders += glob("/usr/lib/python3/dist-packages") + glob("/opt/*/lib/python3*/site-packages")
        return folders + pythonFolders.filter { !folders.contains($0) }
    }

    /// The package folders `python3` on the PATH reports (a Python installed somewhere the list
    /// above does not name); asked once per process.
    static let pythonFolders: [String] = {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import site; print('\\n'.join(site.getsitepackages() + [site.getusersitepackages()]))"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return [] }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return [] }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }()

    /// The folder holding the model files: the configured one, else rapidocr's inside a package folder.
    func modelFolder() -> String? {
        if let modelsDirectory { return modelsDirectory }
        return ([Self.packagedModels] + Self.packageFolders().map { "\($0)/rapidocr/models" })
            .first { FileManager.default.fileExists(atPath: "\($0)/\(Self.recognitionModel.name)") }
    }

    /// The library to load: the configured one, else the newest inside an onnxruntime package folder.
    func library() -> String? {
        if let libraryPath { return libraryPath }
        if let packaged = glob("\(Self.packagedRuntime)/libonnxruntime.so.*").last { return packaged }
        for folder in Self.packageFolders() {
            let found = glob("\(folder)/onnxruntime/capi/libonnxruntime.so.*").sorted {
                $0.compare($1, options: .numeric) == .orderedAscending
            }
            if let newest = found.last { return newest }
        }
        return nil
    }

    /// The path of `file` in the model folder once its checksum is right.
    func verified(_ file: ModelFile) throws -> String {
        guard let folder = modelFolder() else {
            throw NeuralError.modelUnavailable(
                file: file.name, detail: "no model folder found (install the rapidocr wheel: pip install rapidocr==3.10.0, "
                    + "or give --models-dir)")
        }
        let path = "\(folder)/\(file.name)"
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw NeuralError.modelUnavailable(file: file.name, detail: "not found in \(folder)")
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try? handle.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
        let digest = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        guard digest == file.sha256 else {
            throw NeuralError.modelUnavailable(file: file.name, detail: "its SHA-256 is \(digest), not the recorded \(file.sha256) "
                + "(a damaged file, or another rapidocr release than 3.10.0)")
        }
        return path
    }
}

/// Paths matching a shell pattern (`*` in any component), sorted.
func glob(_ pattern: String) -> [String] {
    var components = pattern.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
    guard !components.isEmpty else { return [] }
    var paths = [components.removeFirst().isEmpty ? "" : "."]
    for component in components {
        var next: [String] = []
        for base in paths {
            let folder = base.isEmpty ? "/" : base
            if component.contains("*") {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
                next += names.filter { matches($0, component) }.sorted().map { "\(base)/\($0)" }
            } else {
                let path = "\(base)/\(component)"
                if FileManager.default.fileExists(atPath: path) { next.append(path) }
            }
        }
        paths = next
    }
    return paths
}

/// `*` matches any run of characters, everything else itself.
private func matches(_ name: String, _ pattern: String) -> Bool {
    let parts = pattern.split(separator: "*", omittingEmptySubsequences: false).map(String.init)
    guard parts.count > 1 else { return name == pattern }
    guard name.hasPrefix(parts[0]) else { return false }
    var rest = Substring(name.dropFirst(parts[0].count))
    for part in parts.dropFirst().dropLast() {
        guard let range = rest.range(of: part) else { return false }
        rest = rest[range.upperBound...]
    }
    return rest.hasSuffix(parts.last!) && rest.count >= parts.last!.count
}
