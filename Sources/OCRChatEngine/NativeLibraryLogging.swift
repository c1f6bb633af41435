import Foundation
import CPoppler
import CTesseract
import Logging

/// Sends Poppler's and Leptonica's own messages to our logger instead of stderr.
enum NativeLibraryLogging {
    /// Installed once per process, on first engine start.
    private static let installed: Void = {
        cpoppler_set_log_handler({ message, _ in
            guard let message else { return }
            NativeLibraryLogging.logger.debug("poppler: \(String(cString: message))")
        }, nil)
        leptSetStderrHandler { message in
            guard let message else { return }
            let text = String(cString: message).trimmingCharacters(in: .whitespacesAndNewlines)
            NativeLibraryLogging.logger.debug("leptonica: \(text)")
        }
    }()

    static let logger = Logger(label: "ocrchat.native")

    static func install() { _ = installed }
}

/// Versions of the native libraries the engine runs on, for `ocrchat version` and bug reports.
public enum NativeLibraries {
    public static var versions: [(name: String, version: String)] {
        let leptonica: String = {
            guard let text = getLeptonicaVersion() else { return "unknown" }
            defer { lept_free(text) }
            return String(cString: text)
        }()
        return [
            ("tesseract", TessVersion().map { String(cString: $0) } ?? "unknown"),
            ("leptonica", leptonica.replacingOccurrences(of: "leptonica-", with: "")),
            ("poppler", String(cString: cpoppler_version())),
        ]
    }
}
