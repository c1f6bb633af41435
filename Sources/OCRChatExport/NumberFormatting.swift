import Foundation

/// Numbers as the text formats write them: a dot for the decimal point whatever the locale.
enum NumberFormatting {
    /// A confidence forced into 0…1 (a NaN counts as 0), so that no format carries an impossible value.
    static func unitInterval(_ confidence: Double) -> Double {
        guard confidence.isFinite else { return 0 }
        return min(max(confidence, 0), 1)
    }

    /// A confidence in 0…1 with four decimals (`0.9312`).
    static func confidence(_ confidence: Double) -> String {
        // `String(format:)` without a locale always writes a dot.
        String(format: "%.4f", unitInterval(confidence))
    }

    /// A confidence as a whole percentage, 0…100, as hOCR's `x_wconf` wants it.
    static func percent(_ confidence: Double) -> Int {
        Int((unitInterval(confidence) * 100).rounded())
    }
}
