/// Everything the engine can refuse or fail at, each with a message a person can act on.
public enum EngineError: Error, Equatable, Sendable, Codable {
    /// The file has no bytes.
    case emptyFile
    /// The bytes are not any supported format; `detail` says what they look like.
    case unsupportedType(detail: String)
    /// The bytes start like a supported format but cannot be decoded (truncated, corrupt).
    case unreadable(format: String, detail: String)
    /// The file is larger than the configured limit.
    case fileTooLarge(bytes: Int, limit: Int)
    /// A page has more pixels than the configured limit.
    case tooManyPixels(page: Int, width: Int, height: Int, limit: Int)
    /// The file has more pages than the configured limit.
    case tooManyPages(count: Int, limit: Int)
    /// The PDF is encrypted and the password (or its absence) does not open it.
    case passwordRequired(wrongPasswordGiven: Bool)
    /// Recognising a page took longer than the configured time.
    case pageTimedOut(page: Int, seconds: Double)
    /// A language code that is neither a known short code nor a Tesseract model name.
    case unknownLanguage(code: String)
    /// A language whose model is not installed.
    case languageNotInstalled(language: String, installed: [String])
    /// Tesseract could not start with a model.
    case engineStartFailed(language: String, detail: String)
    /// A native library call failed in a way that is not the input's fault.
    case nativeFailure(call: String, detail: String)
    /// The work was cancelled.
    case cancelled
}

extension EngineError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .emptyFile:
            return "the file is empty (0 bytes)"
        case .unsupportedType(let detail):
            return "unsupported file type: \(detail); expected PNG, JPEG, WEBP, GIF, BMP, TIFF or PDF"
        case .unreadable(let format, let detail):
            return "the \(format) file cannot be read: \(detail)"
        case .fileTooLarge(let bytes, let limit):
            return "the file is \(bytes.formattedBytes), over the limit of \(limit.formattedBytes)"
        case .tooManyPixels(let page, let width, let height, let limit):
            return "page \(page + 1) is \(width)×\(height) pixels (\(width.saturatingProduct(height).megapixels) megapixels), "
                + "over the limit of \(limit.megapixels) megapixels per page"
        case .tooManyPages(let count, let limit):
            return "the file has \(count) pages, over the limit of \(limit) pages"
        case .passwordRequired(let wrongPasswordGiven):
            return wrongPasswordGiven
                ? "the password does not open this encrypted PDF"
                : "the PDF is encrypted and needs a password"
        case .pageTimedOut(let page, let seconds):
            return "page \(page + 1) took longer than the limit of \(seconds.formatted) seconds to recognise"
        case .unknownLanguage(let code):
            return "unknown language '\(code)': use auto, an ISO 639 code such as en, de, ja or jpn, "
                + "a Tesseract model name such as eng, chi_sim, deu+eng, or a script such as Latin "
                + "('ocrchat languages' lists them all)"
        case .languageNotInstalled(let language, let installed):
            return "the language model '\(language)' is not installed (installed: \(installed.joined(separator: ", "))); "
                + "add it with 'apt-get install \(LanguageCatalog.debianPackage(for: language))' "
                + "or copy \(language).traineddata into tessdata/"
        case .engineStartFailed(let language, let detail):
            return "Tesseract could not start with the model '\(language)': \(detail)"
        case .nativeFailure(let call, let detail):
            return "\(call) failed: \(detail)"
        case .cancelled:
            return "the work was cancelled"
        }
    }
}

extension Int {
    /// The product, or Int.max when it does not fit (a hostile header's width times height).
    public func saturatingProduct(_ other: Int) -> Int {
        let (product, overflow) = multipliedReportingOverflow(by: other)
        return overflow ? Int.max : product
    }

    var megapixels: String {
        let value = Double(self) / 1_000_000
        return value >= 10 ? String(Int(value.rounded())) : (value * 10).rounded().divided10
    }

    var formattedBytes: String {
        if self >= 1 << 20 { return "\(((Double(self) / Double(1 << 20)) * 10).rounded().divided10) MiB" }
        if self >= 1 << 10 { return "\(((Double(self) / Double(1 << 10)) * 10).rounded().divided10) KiB" }
        return "\(self) bytes"
    }
}

extension Double {
    fileprivate var divided10: String {
        let tenths = Int(self)
        return tenths % 10 == 0 ? String(tenths / 10) : "\(tenths / 10).\(abs(tenths % 10))"
    }

    var formatted: String { (self * 10).rounded().divided10 }
}
