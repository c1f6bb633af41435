/// A preset of the public API's `tool` field: what the job is for, beyond plain text.
public enum Tool: String, Sendable, Codable, CaseIterable {
    /// Tables first: layout looks hard for tables; the csv download is the tables.
    case extractTables = "extract-tables"
    /// Handwriting: the vlm tier with handwriting settings.
    case handwritingToText = "handwriting-to-text"
    /// Translate the recognised text into `RecognitionOptions.translateTo`.
    case translate
}
