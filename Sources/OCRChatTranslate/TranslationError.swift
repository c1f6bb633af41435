/// Why a translation could not be made; each case says what the user can do about it.
public enum TranslationError: Error, Equatable, CustomStringConvertible {
    /// No installed Apertium pair translates `from` into `to`.
    case pairUnavailable(from: String, to: String, available: [String])
    /// A language code no pair knows.
    case unknownLanguage(String)
    /// Apertium is not installed (or not on the PATH).
    case apertiumMissing
    /// Apertium ran and failed.
    case apertiumFailed(pair: String, status: Int32, message: String)
    /// Apertium took longer than allowed.
    case timedOut(pair: String, seconds: Double)
    /// The local language model did not translate (down, an error, too slow).
    case modelFailed(model: String, reason: String)

    public var description: String {
        switch self {
        case let .pairUnavailable(from, to, available):
            let pairs = available.isEmpty ? "none is installed (apt-get install apertium-eng-spa, …)" : available.joined(separator: ", ")
            return "no translation from \(from) to \(to) is installed; available pairs: \(pairs) "
                + "(or start ocrchat with --llm-url and --llm-model to translate with a local language model)"
        case let .unknownLanguage(code):
            return "unknown language '\(code)' for translation"
        case .apertiumMissing:
            return "translation needs Apertium: apt-get install apertium and a pair such as apertium-eng-spa"
        case let .apertiumFailed(pair, status, message):
            return "apertium \(pair) failed (exit \(status)): \(message)"
        case let .timedOut(pair, seconds):
            return "apertium \(pair) did not finish within \(Int(seconds)) s"
        case let .modelFailed(model, reason):
            return "the local model \(model) did not translate: \(reason)"
        }
    }
}
