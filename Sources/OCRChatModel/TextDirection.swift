/// Which way a piece of text runs, judged from its letters.
public enum TextDirection {
    /// Whether most of the letters in `text` belong to right-to-left scripts (Arabic, Hebrew, Syriac,
    /// Thaana, N'Ko, …). Digits, punctuation and spaces are neutral and do not count either way, so
    /// an Arabic line with a Latin product code or a date still reads as right-to-left.
    public static func isMostlyRightToLeft(_ text: String) -> Bool {
        var rightToLeft = 0
        var letters = 0
        for scalar in text.unicodeScalars where scalar.properties.isAlphabetic {
            letters += 1
            if isRightToLeft(scalar) { rightToLeft += 1 }
        }
        return letters > 0 && rightToLeft * 2 > letters
    }

    /// Whether the scalar lies in a block of a right-to-left script. Swift does not expose the
    /// Unicode bidi class, and the blocks are a close, stable stand-in for letters.
    public static func isRightToLeft(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0590...0x08FF,   // Hebrew, Arabic, Syriac, Thaana, N'Ko, Samaritan, Mandaic, Arabic extensions
             0xFB1D...0xFDFF,   // Hebrew and Arabic presentation forms A
             0xFE70...0xFEFF,   // Arabic presentation forms B
             0x10800...0x10FFF, // historic right-to-left scripts (Phoenician, Kharoshthi, Old South Arabian, …)
             0x1E800...0x1EFFF: // Mende Kikakui, Adlam, Arabic mathematical letters
            return true
        default:
            return false
        }
    }
}
